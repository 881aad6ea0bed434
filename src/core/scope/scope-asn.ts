/**
 * DER schema of the Kakunin scope extension (normative module: docs/asn1/kakunin-scope.asn). One definition for the
 * service and the SDK: the server reuses the SDK's pure module, which never imports server code (docs/architecture.md).
 */
export {
  KakuninScopeAsn,
  parseScopeAsn,
  ScopeListAsn,
  serializeScopeAsn,
} from '../../../packages/sdk/src/scope/scope-asn.js';
