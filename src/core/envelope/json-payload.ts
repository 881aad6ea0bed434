/**
 * Copies an untrusted payload into a fresh tree of plain JSON values, refusing anything the signer and the verifier
 * could see differently (docs/api.md §4). One definition for the service and the SDK, which signs the same copy: the
 * server reuses the SDK's pure module, which never imports server code (docs/architecture.md, "Shared with the SDK"),
 * and answers with its own KakuninError (sdk-errors.ts): INVALID_REQUEST with `field` = the first bad JSON path.
 */
import { copyJsonPayload as copyJsonPayloadSdk } from '../../../packages/sdk/src/envelope/json-payload.js';
import { withServerErrors } from '../sdk-errors.js';

export {
  type JsonValue,
  MAX_PAYLOAD_DEPTH,
  MAX_PAYLOAD_NODES,
} from '../../../packages/sdk/src/envelope/json-payload.js';

/** A validated deep copy of `value` as plain JSON (paths rooted at `path`, by default `payload`). */
export const copyJsonPayload = withServerErrors(copyJsonPayloadSdk);
