/**
 * Velocity limits in the counters table, atomic without transactions (docs/data-model.md, "Velocity").
 *
 * - Sliding hour: one item per certificate (sk = HOUR) holding per-minute counts `m<minute>`. A request ADDs 1 to its
 *   minute and gets the whole item back in the same atomic UpdateItem; the k-th concurrent increment therefore sees a
 *   sum of at least k, so no more than `limit` requests can ever see a sum ≤ limit. A request that sees more than the
 *   limit takes its increment back. The window counts 61 whole minutes (the oldest one partially outside the hour), so
 *   it can only over-count: fail closed.
 * - UTC day: one item per certificate and day (sk = DAY#yyyy-mm-dd); ADD amount conditional on the old volume being
 *   ≤ limit − amount (computed exactly in decimal). Refused requests write nothing.
 * Order: hour first, then day; if the day refuses, the hour increment is taken back. A crash between the steps can
 * leave an increment in place, which only over-counts (fail closed), never under-counts.
 */
import { type DynamoDBDocumentClient, NumberValue, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { invalidRequest } from '../../../core/errors.js';
import type { VelocityRequest, VelocityResult, VelocityStore } from '../../../ports.js';
import { call, isConditionalFailure, key, toDependencyError } from './dynamo-support.js';
import { exactDecimal, exactDifference } from './exact-decimal.js';
import type { TableNames } from './tables.js';

const MINUTE_MS = 60_000;
const WINDOW_MINUTES = 60;
/** Minutes older than this are removed when seen (two hours kept: generous for clock skew). */
const PRUNE_AFTER_MINUTES = 120;
const DAY_MS = 86_400_000;

export class DynamoVelocityStore implements VelocityStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
  ) {}

  async consume(request: VelocityRequest): Promise<VelocityResult> {
    if (!Number.isFinite(request.at)) throw invalidRequest('invalid verification time');
    const hourLimit = request.maxTransactionsPerHour;
    const dayLimit = request.maxDailyVolume;
    const amount = request.amount;
    // A negative, non-finite or oversized amount can never fit (and a negative one would "refund" volume).
    const amountUnfit =
      dayLimit !== undefined && amount !== undefined && !(Number.isFinite(amount) && amount >= 0 && amount <= dayLimit);
    const counterKey = key('VEL', request.tenantId, request.fingerprint);
    const minute = Math.floor(request.at / MINUTE_MS);

    if (hourLimit !== undefined) {
      const seen = await this.incrementMinute(counterKey, minute, 1, request.at);
      if (!(seen <= hourLimit)) {
        await this.takeBackMinute(counterKey, minute);
        return { ok: false, limit: 'maxTransactionsPerHour' };
      }
    }
    if (amountUnfit) {
      if (hourLimit !== undefined) await this.takeBackMinute(counterKey, minute);
      return { ok: false, limit: 'maxDailyVolume' };
    }
    if (dayLimit !== undefined && amount !== undefined && amount > 0) {
      let accepted: boolean;
      try {
        accepted = await this.addToDay(counterKey, request.at, amount, dayLimit);
      } catch (error) {
        if (hourLimit !== undefined) await this.takeBackMinute(counterKey, minute);
        throw error;
      }
      if (!accepted) {
        if (hourLimit !== undefined) await this.takeBackMinute(counterKey, minute);
        return { ok: false, limit: 'maxDailyVolume' };
      }
    }
    return { ok: true };
  }

  /** Atomically adds `delta` to the minute's count; returns the sliding-hour sum as stored right after the add. */
  private async incrementMinute(counterKey: string, minute: number, delta: number, at: number): Promise<number> {
    const out = await call('velocity hour increment', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tables.counters,
          Key: { pk: counterKey, sk: 'HOUR' },
          UpdateExpression: 'ADD #m :delta SET expiresAt = :ttl',
          ExpressionAttributeNames: { '#m': `m${minute}` },
          ExpressionAttributeValues: { ':delta': delta, ':ttl': Math.ceil((at + 3 * 3_600_000) / 1_000) },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    let sum = 0;
    const stale: string[] = [];
    for (const [name, value] of Object.entries(out.Attributes ?? {})) {
      const bucket = /^m(\d+)$/.exec(name);
      if (!bucket) continue;
      const bucketMinute = Number(bucket[1]);
      // Buckets ahead of `minute` belong to verifiers whose clocks run ahead: count them too (fail closed).
      if (bucketMinute >= minute - WINDOW_MINUTES) sum += Number(value);
      else if (bucketMinute < minute - PRUNE_AFTER_MINUTES) stale.push(name);
    }
    if (stale.length > 0) await this.prune(counterKey, stale);
    return sum;
  }

  /** Removes minutes long out of the window so the item stays small; best effort (they are never counted anyway). */
  private async prune(counterKey: string, names: string[]): Promise<void> {
    const aliases = Object.fromEntries(names.slice(0, 100).map((name, i) => [`#p${i}`, name]));
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tables.counters,
          Key: { pk: counterKey, sk: 'HOUR' },
          UpdateExpression: `REMOVE ${Object.keys(aliases).join(', ')}`,
          ExpressionAttributeNames: aliases,
        }),
      );
    } catch {
      // Stale minutes are ignored by the sum; removing them is housekeeping only.
    }
  }

  /** Best effort: if this fails the count stays one too high until the minute leaves the window (fail closed). */
  private async takeBackMinute(counterKey: string, minute: number): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tables.counters,
          Key: { pk: counterKey, sk: 'HOUR' },
          UpdateExpression: 'ADD #m :minusOne',
          ExpressionAttributeNames: { '#m': `m${minute}` },
          ExpressionAttributeValues: { ':minusOne': -1 },
        }),
      );
    } catch {
      // Deliberately swallowed: the request is refused either way, and an over-count only refuses more.
    }
  }

  private async addToDay(counterKey: string, at: number, amount: number, limit: number): Promise<boolean> {
    const day = new Date(at).toISOString().slice(0, 10);
    const dayEnd = (Math.floor(at / DAY_MS) + 1) * DAY_MS;
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tables.counters,
          Key: { pk: counterKey, sk: `DAY#${day}` },
          UpdateExpression: 'ADD volume :amount SET expiresAt = :ttl',
          ConditionExpression: 'attribute_not_exists(volume) OR volume <= :threshold',
          ExpressionAttributeValues: {
            ':amount': new NumberValue(exactDecimal(amount)),
            ':threshold': new NumberValue(exactDifference(limit, amount)),
            ':ttl': Math.ceil((dayEnd + DAY_MS) / 1_000),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalFailure(error)) return false;
      throw toDependencyError('velocity day add', error);
    }
  }
}
