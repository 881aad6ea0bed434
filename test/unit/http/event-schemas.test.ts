/**
 * Every event the service emits validates against its JSON Schema in docs/events/<type>.schema.json (contract §5),
 * exactly as a webhook receiver gets it: the pipeline is driven through the handlers (issuance, a warning, an
 * automatic revocation, an admin revocation), every published event is turned into its webhook body, and validated.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { createActionConsumer } from '../../../src/app/monitoring.js';
import { webhookBody } from '../../../src/core/webhooks/webhook-dispatcher.js';
import { EVENT_TYPES } from '../../../src/http/monitoring-schemas.js';
import { scriptedEngine } from '../core/monitoring/scripted-engine.js';
import { createTestApi, type TestApi } from './harness.js';

const DIR = new URL('../../../docs/events/', import.meta.url);
const ajv = new Ajv2020({ strict: true, allErrors: true });
// RFC 3339 date-time in UTC with milliseconds, as the service writes every time (Date#toISOString).
ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);

const schemaFiles = readdirSync(DIR).filter((f) => f.endsWith('.schema.json'));
const validators = new Map(
  schemaFiles.map((file) => [
    file.replace(/\.schema\.json$/, ''),
    ajv.compile(JSON.parse(readFileSync(new URL(file, DIR), 'utf8'))),
  ]),
);

describe('docs/events/*.schema.json', () => {
  it('has a schema for every event type the contract names', () => {
    for (const type of EVENT_TYPES) expect(validators.has(type), type).toBe(true);
  });

  describe('every emitted event validates', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await createTestApi();
      const admin = await api.key('t1', 'admin');
      const verifier = await api.key('t1', 'verifier');
      const agent = await api.call({
        method: 'POST',
        path: '/v1/agents',
        key: admin,
        body: { name: 'ev', mode: 'enforce' },
      });
      const scope = { allowedActions: ['charge'] };
      const certs = [];
      for (let i = 0; i < 2; i += 1) {
        const cert = await api.call({
          method: 'POST',
          path: `/v1/agents/${agent.json.id}/certificates`,
          key: admin,
          body: { scope },
        });
        certs.push(cert.json.fingerprint as string);
      }
      for (const score of [0.1, 0.8, 0.95]) {
        const signed = await api.call({
          method: 'POST',
          path: `/v1/agents/${agent.json.id}/sign`,
          key: admin,
          body: { payload: { action: 'charge', score }, certificateFingerprint: certs[0] },
        });
        await api.call({ method: 'POST', path: '/v1/actions/verify', key: verifier, body: signed.json });
      }
      const consumer = createActionConsumer({ ...api.ctx, engine: scriptedEngine() });
      await consumer.consume(api.ports.stream.published.map((action, i) => ({ sequenceNumber: String(i), action })));
      await api.call({
        method: 'POST',
        path: `/v1/certificates/${certs[1]}/revoke`,
        key: admin,
        body: { reason: 'superseded' },
      });
    });

    it('covers issuance, the warning, the automatic and the admin revocation', () => {
      const kinds = api.ports.events.published.map((e) => `${e.type}:${e.data.revocation_reason ?? ''}`);
      expect(new Set(kinds)).toEqual(
        new Set([
          'certificate.issued:',
          'agent.pre_revocation_warning:',
          'agent.certificate_revoked:anomaly',
          'agent.certificate_revoked:superseded',
        ]),
      );
    });

    it('validates each event, as its webhook body, against the schema of its type', () => {
      for (const event of api.ports.events.published) {
        const validate = validators.get(event.type)!;
        const body = JSON.parse(webhookBody(event));
        expect(validate(body), `${event.type}: ${JSON.stringify(validate.errors)}`).toBe(true);
      }
    });

    it('rejects an event with a missing field or a stray one (the schemas are closed)', () => {
      const warning = api.ports.events.published.find((e) => e.type === 'agent.pre_revocation_warning')!;
      const body = JSON.parse(webhookBody(warning));
      const validate = validators.get('agent.pre_revocation_warning')!;
      expect(validate({ ...body, data: { ...body.data, anomaly_start: undefined } })).toBe(false);
      expect(validate({ ...body, data: { ...body.data, extra: 1 } })).toBe(false);
    });
  });
});
