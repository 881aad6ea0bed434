/**
 * The action stream's record format as the consumer decodes it: untrusted bytes, exactly one action id. Records of
 * the previous release (the audit id as the action id, published after the append) still decode, so a stream drained
 * across an upgrade loses nothing.
 */
import { describe, expect, it } from 'vitest';
import { decodeActionRecord } from '../../../../src/core/monitoring/stream-record.js';

const base = {
  tenantId: 't1',
  agentId: 'a_1',
  certificateFingerprint: `sha256:${'a'.repeat(64)}`,
  payload: { action: 'charge', amount: 10 },
  timestamp: 1_764_190_000_000,
  verifiedAt: 1_764_190_000_100,
};
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

describe('decodeActionRecord', () => {
  it('decodes a record with an action id', () => {
    expect(decodeActionRecord(encode({ ...base, actionId: 'act_1' }))).toEqual({ ...base, actionId: 'act_1' });
  });

  it("takes a previous release's audit id as the action id", () => {
    expect(decodeActionRecord(encode({ ...base, auditId: 'aud_7' }))).toEqual({ ...base, actionId: 'aud_7' });
  });

  it.each([
    ['no id at all', base],
    ['both ids', { ...base, actionId: 'act_1', auditId: 'aud_1' }],
    ['an empty id', { ...base, actionId: '' }],
    ['an unknown field', { ...base, actionId: 'act_1', extra: true }],
    ['a payload without an action', { ...base, actionId: 'act_1', payload: { amount: 1 } }],
  ])('treats %s as a poison record', (_name, value) => {
    expect(decodeActionRecord(encode(value))).toBeUndefined();
  });

  it.each([[42], ['not base64 json'], [encode('just a string')], [encode(null)]])(
    'treats undecodable bytes (%s) as a poison record',
    (data) => {
      expect(decodeActionRecord(data)).toBeUndefined();
    },
  );
});
