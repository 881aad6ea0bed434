/**
 * Certificates in the registry table (docs/data-model.md):
 * - certificate: pk = CERT#<tenant>#<fp>, sk = CERT; gsi1 = CHILDREN#<tenant>#<parentFp> / <fp> (only with a parent);
 *   gsi2 = AGENTCERTS#<tenant>#<agentId> / <fp>. `scope` is stored as JSON text so it round-trips exactly.
 * - revocation marker: pk = REVOKED#<tenant>, sk = <fp>. Written BEFORE the status flips, so every revoked certificate
 *   has a marker; listRevoked re-reads the certificates and keeps only those really revoked, so a marker left by a
 *   failed revocation is harmless.
 * Revocation is one conditional UpdateItem (`status = active`): nothing ever writes `active` after creation, so a
 * revoked certificate can never become active again, and the first revocation's time and reason are kept.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { KakuninError, notFound } from '../../../core/errors.js';
import type { CertificateRecord, RevocationReason } from '../../../core/model.js';
import type { CertificateStore, RevocationResult, VerificationState, VerificationStateKeys } from '../../../ports.js';
import { batchGetAll } from './batch-get.js';
import {
  call,
  isConditionalFailure,
  key,
  putNew,
  stripStorageAttributes,
  toDependencyError,
} from './dynamo-support.js';
import { queryAll } from './query-all.js';
import { REGISTRY_INDEX, type TableNames } from './tables.js';
import { VerificationStateReader } from './verification-state.js';

const certKey = (tenantId: string, fingerprint: string) => ({ pk: key('CERT', tenantId, fingerprint), sk: 'CERT' });

export class DynamoCertificateStore implements CertificateStore {
  private readonly stateReader: VerificationStateReader;

  /**
   * `riskTable`: the monitoring table, whose agents' risk scores `readVerificationState` reads in the same
   * BatchGetItem. Without it, a state read that asks for risk fails (503), never answers a score of 0.
   */
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
    options: { riskTable?: string } = {},
  ) {
    this.stateReader = new VerificationStateReader(doc, tables.registry, options.riskTable);
  }

  async put(record: CertificateRecord): Promise<void> {
    if (record.status === 'revoked') await this.putRevocationMarker(record.tenantId, record.fingerprint);
    const { scope, ...rest } = record;
    const item = {
      ...certKey(record.tenantId, record.fingerprint),
      ...(record.parentFingerprint === undefined
        ? {}
        : { gsi1pk: key('CHILDREN', record.tenantId, record.parentFingerprint), gsi1sk: record.fingerprint }),
      gsi2pk: key('AGENTCERTS', record.tenantId, record.agentId),
      gsi2sk: record.fingerprint,
      itemType: 'certificate',
      ...rest,
      scopeJson: JSON.stringify(scope),
    };
    await putNew(this.doc, this.tables.registry, item, 'certificate put', 'certificate exists');
  }

  async get(tenantId: string, fingerprint: string): Promise<CertificateRecord | undefined> {
    const out = await call('certificate get', () =>
      this.doc.send(
        new GetCommand({ TableName: this.tables.registry, Key: certKey(tenantId, fingerprint), ConsistentRead: true }),
      ),
    );
    return out.Item ? toCertificate(out.Item) : undefined;
  }

  async getMany(tenantId: string, fingerprints: string[]): Promise<CertificateRecord[]> {
    const unique = [...new Set(fingerprints)];
    const items = await batchGetAll(
      this.doc,
      this.tables.registry,
      unique.map((fp) => certKey(tenantId, fp)),
    );
    const byFingerprint = new Map(items.map((item) => [String(item.fingerprint), toCertificate(item)]));
    return unique.flatMap((fp) => {
      const found = byFingerprint.get(fp);
      return found ? [found] : [];
    });
  }

  /**
   * One BatchGetItem of the certificates' and the agents' state (single table), shared with concurrent requests of
   * this process that arrived before it was issued; see verification-state.ts.
   */
  readVerificationState(tenantId: string, keys: VerificationStateKeys): Promise<VerificationState> {
    return this.stateReader.read(tenantId, keys);
  }

  async revoke(tenantId: string, fingerprint: string, reason: RevocationReason, at: number): Promise<RevocationResult> {
    const existing = await this.get(tenantId, fingerprint);
    if (!existing) throw notFound('certificate');
    if (existing.status === 'revoked') return firstRevocation(existing);
    await this.putRevocationMarker(tenantId, fingerprint);
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tables.registry,
          Key: certKey(tenantId, fingerprint),
          UpdateExpression: 'SET #status = :revoked, revokedAt = :at, revocationReason = :reason',
          ConditionExpression: 'attribute_exists(pk) AND #status = :active',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':revoked': 'revoked', ':active': 'active', ':at': at, ':reason': reason },
        }),
      );
      return { revokedAt: at, reason, changed: true };
    } catch (error) {
      if (!isConditionalFailure(error)) throw toDependencyError('certificate revoke', error);
    }
    // Another revoker won the race: report its (the first) revocation.
    const winner = await this.get(tenantId, fingerprint);
    if (!winner) throw notFound('certificate');
    return firstRevocation(winner);
  }

  async listChildren(tenantId: string, parentFingerprint: string): Promise<CertificateRecord[]> {
    const items = await queryAll(this.doc, 'certificate children', {
      TableName: this.tables.registry,
      IndexName: REGISTRY_INDEX.children,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': key('CHILDREN', tenantId, parentFingerprint) },
    });
    return items.map(toCertificate);
  }

  async listByAgent(tenantId: string, agentId: string): Promise<CertificateRecord[]> {
    const items = await queryAll(this.doc, 'certificates of agent', {
      TableName: this.tables.registry,
      IndexName: REGISTRY_INDEX.certificatesOfAgent,
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': key('AGENTCERTS', tenantId, agentId) },
    });
    return items.map(toCertificate);
  }

  async listRevoked(tenantId: string): Promise<CertificateRecord[]> {
    const markers = await queryAll(this.doc, 'revoked certificates', {
      TableName: this.tables.registry,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': key('REVOKED', tenantId) },
      ConsistentRead: true,
    });
    const certificates = await this.getMany(
      tenantId,
      markers.map((m) => String(m.sk)),
    );
    return certificates.filter((c) => c.status === 'revoked');
  }

  private async putRevocationMarker(tenantId: string, fingerprint: string): Promise<void> {
    await call('revocation marker put', () =>
      this.doc.send(
        new PutCommand({
          TableName: this.tables.registry,
          Item: { pk: key('REVOKED', tenantId), sk: fingerprint, itemType: 'revocation-marker' },
        }),
      ),
    );
  }
}

function firstRevocation(record: CertificateRecord): RevocationResult {
  if (record.revokedAt === undefined || record.revocationReason === undefined) {
    throw new KakuninError('UNAVAILABLE', 'revoked certificate lacks its revocation details');
  }
  return { revokedAt: record.revokedAt, reason: record.revocationReason, changed: false };
}

function toCertificate(item: Record<string, unknown>): CertificateRecord {
  const { scopeJson, ...rest } = stripStorageAttributes(item);
  return { ...rest, scope: JSON.parse(String(scopeJson ?? '{}')) } as CertificateRecord;
}
