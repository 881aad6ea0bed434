/**
 * Default OID of the scope extension: `1.3.6.1.4.1.32473.1.1`. PEN 32473 is the IANA enterprise number reserved for
 * documentation (RFC 5612), so the default belongs to nobody; an operator with their own PEN sets
 * `config.scopeOid` (see docs/ca.md). Arc layout under the PEN: `.1` = Kakunin, `.1.0` = ASN.1 module, `.1.1` = scope.
 * Its own module so the verifier can name it without bundling the X.509 library.
 */
export const DEFAULT_SCOPE_OID = '1.3.6.1.4.1.32473.1.1';
