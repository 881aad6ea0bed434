/**
 * Scope ↔ DER (the extnValue of the scope extension), failing closed on anything but the canonical DER of a
 * contract-valid scope. One definition for the service and the SDK: the server reuses the SDK's pure module, which
 * never imports server code (docs/architecture.md, "Shared with the SDK"), and answers with its own KakuninError
 * (sdk-errors.ts): INVALID_REQUEST with `field` = `scope`.
 */
import {
  decodeScope as decodeScopeSdk,
  encodeScope as encodeScopeSdk,
} from '../../../packages/sdk/src/scope/scope-codec.js';
import { withServerErrors } from '../sdk-errors.js';

/** DER of a scope; the scope is normalised first, so what is encoded is always contract-valid. */
export const encodeScope = withServerErrors(encodeScopeSdk);
/** Scope from DER. @throws KakuninError INVALID_REQUEST (field `scope`) on anything but canonical DER. */
export const decodeScope = withServerErrors(decodeScopeSdk);
