/**
 * Issue 9: each function holds only the permissions its code uses, asserted function by function on the synthesised
 * template. The agents and verify functions held events:PutEvents but publish nothing; only the certificates function
 * may schedule the deletion of (agent) keys; only the CRL publishers write the artifact bucket, under crl/ only.
 */
import { describe, expect, it } from 'vitest';
import { asArray, buildTestApp, policyStatements } from './app-fixture.js';

const { stateless } = buildTestApp();
const statements = policyStatements(stateless);

const FUNCTIONS = [
  'Authorizer',
  'Public',
  'Agents',
  'Certificates',
  'Verify',
  'BootstrapFunction',
  'AdminKeyIssuer',
  'CrlRefresh',
] as const;

function statementsOf(functionId: string) {
  const pattern = new RegExp(`^${functionId}(Function)?ServiceRoleDefaultPolicy`);
  return statements.filter((s) => pattern.test(s.logicalId)).map((s) => s.statement);
}
const actionsOf = (functionId: string) => statementsOf(functionId).flatMap((s) => asArray(s.Action) as string[]);
const holders = (action: string) => FUNCTIONS.filter((f) => actionsOf(f).includes(action));

describe('least privilege, per function', () => {
  it('finds a policy for every function', () => {
    for (const f of FUNCTIONS) expect(statementsOf(f).length, f).toBeGreaterThan(0);
  });

  it('lets only the certificates function publish events (agents and verify publish nothing)', () => {
    expect(holders('events:PutEvents')).toEqual(['Certificates']);
  });

  it('lets only the certificates function schedule key deletion, and only of agent keys', () => {
    expect(holders('kms:ScheduleKeyDeletion')).toEqual(['Certificates']);
    const grant = statementsOf('Certificates').find((s) => asArray(s.Action).includes('kms:ScheduleKeyDeletion'));
    expect(grant?.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/kakunin:purpose': ['agent'] } });
    expect(asArray(grant?.Action)).toEqual(['kms:ScheduleKeyDeletion']);
  });

  it('lets only the CRL publishers write the artifact bucket, and only under crl/', () => {
    expect(holders('s3:PutObject')).toEqual(['Public', 'Certificates', 'CrlRefresh']);
    for (const f of ['Public', 'Certificates', 'CrlRefresh']) {
      const writes = statementsOf(f).filter((s) => asArray(s.Action).includes('s3:PutObject'));
      for (const write of writes) expect(JSON.stringify(write.Resource)).toMatch(/\/crl\/\*/);
      expect(
        actionsOf(f).some((a) => /^s3:Delete/.test(a)),
        f,
      ).toBe(false);
    }
  });

  it('gives the verify function no KMS, no events, no bucket', () => {
    expect(actionsOf('Verify').filter((a) => /^(kms|events|s3):/.test(a))).toEqual([]);
  });

  it('gives the agents function no KMS, no events, no stream, no bucket', () => {
    expect(actionsOf('Agents').filter((a) => /^(kms|events|kinesis|s3):/.test(a))).toEqual([]);
  });

  it('gives the authorizer reads of the registry only', () => {
    expect(
      actionsOf('Authorizer').every(
        (a) => /^dynamodb:(GetItem|BatchGetItem|Query|ConditionCheckItem)$/.test(a) || a.startsWith('xray:'),
      ),
    ).toBe(true);
  });
});
