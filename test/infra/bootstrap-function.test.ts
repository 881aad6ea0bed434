/**
 * functions/bootstrap.ts against in-memory ports: the custom resource makes the root CA with the stack's key (not a
 * new one), creates the tenant's issuing CA, answers CloudFormation in its protocol, and never leaks internals; the
 * admin key issuer returns a key that exists nowhere else (only its hash is stored).
 */

import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  type BootstrapSettings,
  createAdminKeyIssuer,
  createBootstrapHandler,
  withStackRootKey,
} from '../../functions/bootstrap.js';
import { MemoryKeyVault } from '../../src/adapters/memory/memory-key-vault.js';
import { memoryPorts } from '../../src/adapters/memory/memory-ports.js';
import { hashApiKey } from '../../src/app/api-keys.js';
import { assembleContext } from '../../src/app/assemble.js';
import type { AppContext } from '../../src/app/context.js';

const clock = { now: () => 1_767_225_600_000 };

async function world() {
  const inner = new MemoryKeyVault();
  const stackRootKey = await inner.createKey('RSA_4096', { tenantId: '*', purpose: 'root-ca' });
  const ports = memoryPorts({ clock, vault: withStackRootKey(inner, stackRootKey) });
  const ctx: AppContext = assembleContext(ports, {
    tables: { registry: 'registry', nonces: 'nonces', counters: 'counters', ledger: 'ledger' },
    actionStream: 'actions',
    eventBus: 'bus',
    publicBaseUrl: 'https://api.example.com/live',
    timestampWindowMs: 300_000,
  });
  const settings: BootstrapSettings = { rootKeyArn: stackRootKey, tenantId: 'acme' };
  return { inner, stackRootKey, ctx, settings };
}

const event = (type: 'Create' | 'Update' | 'Delete'): CloudFormationCustomResourceEvent =>
  ({
    RequestType: type,
    ServiceToken: 'arn:aws:lambda:eu-central-1:123456789012:function:bootstrap',
    ResponseURL: 'https://cloudformation-custom-resource-response.example/signed',
    StackId: 'arn:aws:cloudformation:eu-central-1:123456789012:stack/Kakunin-Stateless/1',
    RequestId: 'req-1',
    LogicalResourceId: 'FirstDeployBootstrap',
    ResourceType: 'Custom::KakuninBootstrap',
    ResourceProperties: { ServiceToken: 'x' },
    ...(type === 'Create' ? {} : { PhysicalResourceId: 'kakunin-bootstrap', OldResourceProperties: {} }),
  }) as CloudFormationCustomResourceEvent;

describe('bootstrap custom resource (onEvent handler of the CDK provider framework)', () => {
  it('signs the root CA with the stack root key and creates the tenant issuing CA, idempotently', async () => {
    const w = await world();
    const handler = createBootstrapHandler(
      async () => w.ctx,
      () => w.settings,
    );
    const created = await handler(event('Create'));
    const updated = await handler(event('Update'));
    const root = await w.ctx.caStore.getRoot();
    expect(root?.keyId).toBe(w.stackRootKey);
    expect(root?.keySpec).toBe('RSA_4096');
    const tenant = await w.ctx.caStore.getTenant('acme');
    expect(tenant?.issuingCa.keyId).not.toBe(w.stackRootKey);
    expect(w.inner.tagsOf(tenant?.issuingCa.keyId ?? '')).toEqual({ tenantId: 'acme', purpose: 'issuing-ca' });
    expect(created).toEqual({
      PhysicalResourceId: 'kakunin-bootstrap',
      Data: { RootFingerprint: root?.fingerprint, TenantId: 'acme' },
    });
    expect(updated.PhysicalResourceId).toBe('kakunin-bootstrap');
    expect(root?.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('does nothing on Delete: CA material is retained', async () => {
    const w = await world();
    const answer = await createBootstrapHandler(
      async () => w.ctx,
      () => w.settings,
    )(event('Delete'));
    expect(await w.ctx.caStore.getRoot()).toBeUndefined();
    expect(answer).toEqual({ PhysicalResourceId: 'kakunin-bootstrap' });
  });

  it('throws (the framework answers FAILED) with a reason that carries no internals when a dependency fails', async () => {
    const w = await world();
    const failing = async (): Promise<AppContext> => {
      throw new Error('connect ECONNREFUSED 10.0.0.1:443 secret-ish detail');
    };
    const outcome = await createBootstrapHandler(
      failing,
      () => w.settings,
    )(event('Create')).catch((error: unknown) => error);
    expect(outcome).toBeInstanceOf(Error);
    expect((outcome as Error).message).toBe('bootstrap failed; see the function logs');
  });

  it('refuses to create a root key other than the stack one', async () => {
    const w = await world();
    await expect(w.ctx.vault.createKey('ECC_NIST_P256', { tenantId: '*', purpose: 'root-ca' })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
    expect(await w.ctx.vault.createKey('RSA_4096', { tenantId: '*', purpose: 'root-ca' })).toBe(w.stackRootKey);
  });
});

describe('issueAdminKey', () => {
  it('returns a new admin key once and stores only its hash, audited', async () => {
    const w = await world();
    const issue = createAdminKeyIssuer(
      async () => w.ctx,
      () => w.settings,
    );
    const issued = await issue({});
    expect(issued).toMatchObject({ tenantId: 'acme', role: 'admin' });
    expect(issued.key).toMatch(/^kk_[A-Za-z0-9_-]{43}$/);
    const stored = await w.ctx.apiKeys.getByHash(hashApiKey(issued.key));
    expect(stored).toMatchObject({ tenantId: 'acme', role: 'admin', id: issued.id });
    expect(JSON.stringify(stored)).not.toContain(issued.key);
    const audit = await w.ctx.ledger.list('acme', { limit: 10 });
    expect(audit.items.map((e) => e.type)).toContain('api_key.created');
    const second = await issue({ tenantId: 'acme' });
    expect(second.key).not.toBe(issued.key);
  });

  it('rejects a malformed request with INVALID_REQUEST', async () => {
    const w = await world();
    const issue = createAdminKeyIssuer(
      async () => w.ctx,
      () => w.settings,
    );
    await expect(issue({ tenantId: 'Not A Tenant' })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    await expect(issue({ role: 'admin' })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });
});
