/**
 * Velocity limits in the counters table, atomic without transactions (docs/data-model.md, "Velocity").
 *
 * One item per certificate (sk = VELOCITY) holds both windows, so a request that declares both limits costs ONE
 * UpdateItem in the common case:
 * - Sliding hour: per-minute counts `m<minute>`. A request ADDs 1 to its minute and gets the whole item back in the
 *   same atomic UpdateItem; the k-th concurrent increment therefore sees a sum of at least k, so no more than `limit`
 *   requests can ever see a sum ≤ limit. A request that sees more than the limit takes its increment (and its volume)
 *   back. The window counts 61 whole minutes (the oldest one partially outside the hour): it can only over-count.
 * - UTC day: volume `v<yyyy-mm-dd>`; the same UpdateItem ADDs the amount conditional on the old volume being
 *   ≤ limit − amount (computed exactly in decimal). A refused condition writes nothing at all (neither the minute nor
 *   the volume), so a request refused by the day consumes nothing.
 * Limits are reported hour first: when the day refuses and an hour limit is declared, one consistent GetItem decides
 * whether the hour would have refused too (it only chooses which limit the refusal names).
 * A crash or a failed take-back can leave an increment in place, which only over-counts (fail closed).
 */
import { type DynamoDBDocumentClient, GetCommand, NumberValue, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { invalidRequest } from '../../../core/errors.js';
import { enforceableDayLimit, isCountableAmount } from '../../../core/scope/amount-bounds.js';
import type { VelocityRequest, VelocityResult, VelocityStore } from '../../../ports.js';
import { call, isConditionalFailure, key, toDependencyError } from './dynamo-support.js';
import { exactDecimal, exactDifference } from './exact-decimal.js';
import type { TableNames } from './tables.js';

const MINUTE_MS = 60_000;
const WINDOW_MINUTES = 60;
/** Minutes older than this are removed when seen (two hours kept: generous for clock skew). */
const PRUNE_AFTER_MINUTES = 120;
const DAY_MS = 86_400_000;
/** Day volumes older than this many days are removed when seen. */
const PRUNE_AFTER_DAYS = 2;
/** Sort key of the per-certificate velocity item. */
export const VELOCITY_SK = 'VELOCITY';

const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10);

interface Step {
  counterKey: string;
  minute: number;
  at: number;
  hourLimit: number | undefined;
  /** The amount added to the day's volume, when a day limit applies and the amount is positive. */
  volume: number | undefined;
  dayLimit: number | undefined;
}

export class DynamoVelocityStore implements VelocityStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
  ) {}

  async consume(request: VelocityRequest): Promise<VelocityResult> {
    if (!Number.isFinite(request.at)) throw invalidRequest('invalid verification time');
    const hourLimit = request.maxTransactionsPerHour;
    // A limit from a certificate issued before the amount bounds is enforced on the grid, or not at all (fail closed).
    const dayLimit =
      request.maxDailyVolume === undefined ? undefined : (enforceableDayLimit(request.maxDailyVolume) ?? -1);
    const amount = request.amount;
    // A negative, non-finite, off-grid or oversized amount can never fit (and a negative one would "refund" volume):
    // off the grid, the exact running sum could exceed the 38 digits DynamoDB holds.
    const amountUnfit =
      dayLimit !== undefined &&
      amount !== undefined &&
      !(Number.isFinite(amount) && amount >= 0 && amount <= dayLimit && isCountableAmount(amount));
    const step: Step = {
      counterKey: key('VEL', request.tenantId, request.fingerprint),
      minute: Math.floor(request.at / MINUTE_MS),
      at: request.at,
      hourLimit,
      volume: !amountUnfit && dayLimit !== undefined && amount !== undefined && amount > 0 ? amount : undefined,
      dayLimit,
    };
    if (amountUnfit) {
      // Hour first: report the hour if it would refuse too; either way nothing stays consumed.
      if (hourLimit !== undefined && (await this.hourWouldRefuse(step))) {
        return { ok: false, limit: 'maxTransactionsPerHour' };
      }
      return { ok: false, limit: 'maxDailyVolume' };
    }
    if (hourLimit === undefined && step.volume === undefined) return { ok: true };
    let seen: number | undefined;
    try {
      seen = await this.update(step);
    } catch (error) {
      if (!isConditionalFailure(error)) throw toDependencyError('velocity consume', error);
      // Only the day's condition can fail; nothing was written.
      if (hourLimit !== undefined && (await this.hourWouldRefuse(step))) {
        return { ok: false, limit: 'maxTransactionsPerHour' };
      }
      return { ok: false, limit: 'maxDailyVolume' };
    }
    if (hourLimit !== undefined && !(seen !== undefined && seen <= hourLimit)) {
      await this.takeBack(step);
      return { ok: false, limit: 'maxTransactionsPerHour' };
    }
    return { ok: true };
  }

  /**
   * One atomic UpdateItem: ADD 1 to the minute (hour limit) and the amount to the day's volume (conditional on the
   * limit). Returns the sliding-hour sum as stored right after the add, when an hour limit applies.
   */
  private async update(step: Step): Promise<number | undefined> {
    const adds: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {
      ':ttl': Math.ceil(((Math.floor(step.at / DAY_MS) + 2) * DAY_MS) / 1_000),
    };
    if (step.hourLimit !== undefined) {
      adds.push('#m :one');
      names['#m'] = `m${step.minute}`;
      values[':one'] = 1;
    }
    if (step.volume !== undefined && step.dayLimit !== undefined) {
      adds.push('#v :amount');
      names['#v'] = `v${dayOf(step.at)}`;
      values[':amount'] = new NumberValue(exactDecimal(step.volume));
      values[':threshold'] = new NumberValue(exactDifference(step.dayLimit, step.volume));
    }
    const out = await this.doc.send(
      new UpdateCommand({
        TableName: this.tables.counters,
        Key: { pk: step.counterKey, sk: VELOCITY_SK },
        // expiresAt: the end of the day after this one, so TTL never drops a volume or a minute still in use.
        UpdateExpression: `ADD ${adds.join(', ')} SET expiresAt = :ttl`,
        ...(step.volume === undefined ? {} : { ConditionExpression: 'attribute_not_exists(#v) OR #v <= :threshold' }),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: step.hourLimit === undefined ? 'NONE' : 'ALL_NEW',
      }),
    );
    if (step.hourLimit === undefined) return undefined;
    const item = out.Attributes ?? {};
    await this.pruneStale(step, item);
    return windowSum(item, step.minute);
  }

  /** Whether one more transaction now would exceed the hour limit (consistent read; writes nothing). */
  private async hourWouldRefuse(step: Step): Promise<boolean> {
    const out = await call('velocity read', () =>
      this.doc.send(
        new GetCommand({
          TableName: this.tables.counters,
          Key: { pk: step.counterKey, sk: VELOCITY_SK },
          ConsistentRead: true,
        }),
      ),
    );
    return !(windowSum(out.Item ?? {}, step.minute) + 1 <= (step.hourLimit ?? Number.POSITIVE_INFINITY));
  }

  /** Removes minutes and days long out of use so the item stays small; best effort (they are never counted). */
  private async pruneStale(step: Step, item: Record<string, unknown>): Promise<void> {
    const oldestDay = dayOf(step.at - PRUNE_AFTER_DAYS * DAY_MS);
    const stale = Object.keys(item).filter((name) => {
      const minute = /^m(\d+)$/.exec(name);
      if (minute) return Number(minute[1]) < step.minute - PRUNE_AFTER_MINUTES;
      return /^v\d{4}-\d{2}-\d{2}$/.test(name) && name.slice(1) < oldestDay;
    });
    if (stale.length === 0) return;
    const aliases = Object.fromEntries(stale.slice(0, 100).map((name, i) => [`#p${i}`, name]));
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tables.counters,
          Key: { pk: step.counterKey, sk: VELOCITY_SK },
          UpdateExpression: `REMOVE ${Object.keys(aliases).join(', ')}`,
          ExpressionAttributeNames: aliases,
        }),
      );
    } catch {
      // Stale entries are ignored by the sums; removing them is housekeeping only.
    }
  }

  /**
   * Takes back a refused request's minute and volume. Best effort: if this fails the counts stay too high until the
   * minute leaves the window / the day ends (fail closed: later requests may be refused early, never let through).
   */
  private async takeBack(step: Step): Promise<void> {
    const names: Record<string, string> = { '#m': `m${step.minute}` };
    const values: Record<string, unknown> = { ':minusOne': -1 };
    let expression = 'ADD #m :minusOne';
    if (step.volume !== undefined) {
      names['#v'] = `v${dayOf(step.at)}`;
      values[':minusAmount'] = new NumberValue(`-${exactDecimal(step.volume)}`);
      expression += ', #v :minusAmount';
    }
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tables.counters,
          Key: { pk: step.counterKey, sk: VELOCITY_SK },
          UpdateExpression: expression,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch {
      // Deliberately swallowed: the request is refused either way, and an over-count only refuses more.
    }
  }
}

/** Sum of the minute counts inside the sliding hour ending at `minute` (minutes ahead count too: fail closed). */
function windowSum(item: Record<string, unknown>, minute: number): number {
  let sum = 0;
  for (const [name, value] of Object.entries(item)) {
    const bucket = /^m(\d+)$/.exec(name);
    if (bucket && Number(bucket[1]) >= minute - WINDOW_MINUTES) sum += Number(value);
  }
  return sum;
}
