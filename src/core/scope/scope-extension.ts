/**
 * The scope as an X.509 extension. Subclassing @peculiar/x509's `Extension` and registering it with
 * `ExtensionFactory` makes every parsed `X509Certificate` carry a typed `ScopeExtension` whose `scope` is decoded
 * strictly; a malformed value makes the parse throw (fail closed) instead of yielding an untyped blob.
 */
import 'reflect-metadata';
import { Extension, ExtensionFactory, type X509Certificate } from '@peculiar/x509';
import { KakuninError } from '../errors.js';
import type { Scope } from '../model.js';
import { decodeScope, encodeScope } from './scope-codec.js';
import { DEFAULT_SCOPE_OID } from './scope-oid.js';

export { DEFAULT_SCOPE_OID } from './scope-oid.js';

const OID_PATTERN = /^[0-2](\.(0|[1-9][0-9]{0,14}))+$/;

export class ScopeExtension extends Extension {
  static override NAME = 'Kakunin Scope';
  /** The decoded, normalised scope. */
  readonly scope: Scope;

  /** Parses an extension's DER (what `ExtensionFactory` calls) or builds one from a scope (non-critical). */
  constructor(raw: BufferSource);
  constructor(scope: Scope, oid?: string);
  constructor(...args: [BufferSource] | [Scope, string?]) {
    const [first] = args;
    if (isBufferSource(first)) {
      super(first);
      this.scope = decodeScope(new Uint8Array(this.value));
    } else {
      const oid = args[1] ?? DEFAULT_SCOPE_OID;
      assertOid(oid);
      super(oid, false, encodeScope(first as Scope));
      this.scope = decodeScope(new Uint8Array(this.value));
    }
  }
}

function isBufferSource(value: unknown): value is BufferSource {
  return value instanceof ArrayBuffer || ArrayBuffer.isView(value);
}

export function assertOid(oid: string): void {
  if (!OID_PATTERN.test(oid)) throw new KakuninError('INVALID_REQUEST', `not a dotted OID: ${oid}`);
}

/** Makes parsed certificates yield a `ScopeExtension` for `oid`. Idempotent; safe to call for several OIDs. */
export function registerScopeExtension(oid: string = DEFAULT_SCOPE_OID): void {
  assertOid(oid);
  ExtensionFactory.register(oid, ScopeExtension);
}

/**
 * Reads the scope of a certificate. Works whether or not the OID was registered (it decodes the raw extension when
 * the factory gave a plain `Extension`). Undefined when absent; throws when present more than once or malformed.
 */
export function readScope(certificate: X509Certificate, oid: string = DEFAULT_SCOPE_OID): Scope | undefined {
  const found = certificate.extensions.filter((extension) => extension.type === oid);
  if (found.length > 1) throw new KakuninError('INVALID_REQUEST', 'duplicate scope extension', { field: 'scope' });
  const [extension] = found;
  if (extension === undefined) return undefined;
  if (extension.critical) throw new KakuninError('INVALID_REQUEST', 'scope extension must be non-critical');
  return extension instanceof ScopeExtension ? extension.scope : decodeScope(new Uint8Array(extension.value));
}
