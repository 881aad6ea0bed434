/**
 * Strict base64 for envelope signatures (docs/api.md §4: "standard base64"): only the canonical spelling decodes. One
 * definition for the verifier and the SDK's offline verifier: the server reuses the SDK's pure module, which never
 * imports server code (docs/architecture.md, "Shared with the SDK"). It throws nothing.
 */
export { decodeStrictBase64, encodeBase64, encodeBase64Url } from '../../../packages/sdk/src/envelope/base64.js';
