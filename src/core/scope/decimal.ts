/**
 * Canonical plain decimals of scope amounts. One definition for the service and the SDK: the server reuses the SDK's
 * pure module, which never imports server code (docs/architecture.md, "Shared with the SDK").
 */
export { formatDecimal, parseDecimal } from '../../../packages/sdk/src/scope/decimal.js';
