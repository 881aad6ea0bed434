/**
 * The amounts the velocity counters hold exactly (docs/api.md §3–§4, "Amount bounds"). One definition for the service
 * and the SDK, so the SDK never signs an amount the service refuses: the server reuses the SDK's pure module, which
 * never imports server code (docs/architecture.md, "Shared with the SDK").
 */
export {
  AMOUNT_BOUNDS_RULE,
  AMOUNT_MAX_DECIMALS,
  AMOUNT_UPPER_BOUND,
  enforceableDayLimit,
  isCountableAmount,
} from '../../../packages/sdk/src/scope/amount-bounds.js';
