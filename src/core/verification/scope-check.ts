/**
 * Contract §4 step 5 as a pure function: does a payload lie within a certificate's scope? Fail closed: a limit the
 * scope declares requires the payload field it limits (the rules are listed in the module). One definition for the
 * verifier and the SDK's offline verifier, so they never judge a payload differently: the server reuses the SDK's pure
 * module, which never imports server code (docs/architecture.md, "Shared with the SDK"). It throws nothing.
 */
export {
  checkScope,
  SCOPE_FIELDS,
  type ScopeField,
  type ScopeViolation,
} from '../../../packages/sdk/src/scope/scope-check.js';
