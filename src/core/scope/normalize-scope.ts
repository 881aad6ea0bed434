/**
 * Scope validation and normalisation (docs/api.md §3). One definition for the service and the SDK: the server reuses
 * the SDK's pure module, which never imports server code (docs/architecture.md, "Shared with the SDK"), and answers
 * with its own KakuninError (sdk-errors.ts): INVALID_REQUEST with `field` = `scope.<name>`.
 */
import { normalizeScope as normalizeScopeSdk } from '../../../packages/sdk/src/scope/normalize-scope.js';
import { withServerErrors } from '../sdk-errors.js';

export {
  SCOPE_AMOUNT_FIELDS,
  SCOPE_LIST_FIELDS,
  type ScopeAmountField,
  type ScopeListField,
} from '../../../packages/sdk/src/scope/normalize-scope.js';

/** @throws KakuninError (the server's) INVALID_REQUEST with `field` = `scope.<name>` */
export const normalizeScope = withServerErrors(normalizeScopeSdk);
