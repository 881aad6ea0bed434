/**
 * JSON text → value, refusing duplicate object keys and numbers whose text is not exactly the double it denotes
 * (docs/api.md §4, RFC 8785 §3.1, RFC 7493). One definition for the service and the SDK's gateway middleware: the
 * server reuses the SDK's pure module, which never imports server code (docs/architecture.md, "Shared with the SDK"),
 * and answers with its own KakuninError (sdk-errors.ts): INVALID_REQUEST with `field` = the JSON path.
 */
import { parseJsonStrict as parseJsonStrictSdk } from '../../../packages/sdk/src/envelope/strict-json.js';
import { withServerErrors } from '../sdk-errors.js';

export { MAX_STRICT_JSON_DEPTH } from '../../../packages/sdk/src/envelope/strict-json.js';

/** Parses like `JSON.parse`; a duplicated key, an inexact number or invalid JSON is INVALID_REQUEST (400). */
export const parseJsonStrict = withServerErrors(parseJsonStrictSdk);
