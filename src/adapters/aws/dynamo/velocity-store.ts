/**
 * Hierarchical velocity budgets in the counters table, atomic without transactions (docs/adr/0005, docs/data-model.md
 * "Velocity"). A request names one level per certificate of the chain that declares a limit, root first; it passes only
 * if every level has room, and then it has consumed at every level.
 *
 * Reserve, then release on refusal: the levels are reserved concurrently, in one round trip, each with ONE UpdateItem
 * on that certificate's item (sk = VELOCITY):
 * - Sliding hour: per-minute counts `m<minute>`. The update ADDs 1 to its minute and returns the whole item; the k-th
 *   concurrent increment therefore sees a sum of at least k, so no more than `limit` requests can ever see a sum
 *   ≤ limit. A level whose sum exceeds the limit is refused. The window counts 61 whole minutes (the oldest one
 *   partially outside the hour): it can only over-count.
 * - UTC day: volume `v<yyyy-mm-dd>`; the same UpdateItem ADDs the amount conditional on the old volume being
 *   ≤ limit − amount (computed exactly in decimal). A refused condition writes nothing at that level.
 * When a level refuses, every level reserved before it (and the refused level's own hour increment) is released with
 * an ADD of the negation; `release` does the same for a request that passed but whose verification failed later. A
 * reservation is visible to concurrent requests until it is released, so contention can refuse a request that would
 * have fitted (fail closed), never let one through that does not: no counter ever exceeds its limit.
 * Limits are reported hour first within the refusing level: when the day refuses and an hour limit is declared, one
 * consistent GetItem decides whether the hour would have refused too (it only chooses which limit the refusal names).
 * A crash between reserve and release leaves the reservation in place, an over-count that heals by itself: an hour
 * increment leaves the window within 61 minutes, a day volume at the end of the UTC day (docs/adr/0005).
 */
import { type DynamoDBDocumentClient, GetCommand, NumberValue, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { invalidRequest } from '../../../core/errors.js';
import { enforceableDayLimit, isCountableAmount } from '../../../core/scope/amount-bounds.js';
import type { VelocityLevel, VelocityRequest, VelocityResult, VelocityStore } from '../../../ports.js';
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

/** One level's write: what it adds, under which limits. */
interface Step {
  fingerprint: string;
  counterKey: string;
  minute: number;
  at: number;
  hourLimit: number | undefined;
  /** The amount added to the day's volume, when a day limit applies and the amount is positive. */
  volume: number | undefined;
  dayLimit: number | undefined;
  /** The amount cannot fit this level's day limit at all (negative, non-finite or over the limit). */
  amountUnfit: boolean;
}

type Refusal = Extract<VelocityResult, { ok: false }>;

export class DynamoVelocityStore implements VelocityStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
  ) {}

  async consume(request: VelocityRequest): Promise<VelocityResult> {
    const steps = this.steps(request);
    // An amount that can never fit a level is refused before anything is written anywhere.
    for (const step of steps) {
      if (step.amountUnfit) return this.dayRefusal(step);
    }
    // Every level in ONE round trip (issue 9: the verify path's latency is its sequential AWS calls): each level is
    // reserved by its own UpdateItem, all at once. A reservation is visible until released, exactly as when the levels
    // went one after the other, so no counter can overshoot; a refusal or a failure at any level releases the levels
    // that were reserved. The refusal reported is the first in root-first order, as before.
    const outcomes = await Promise.allSettled(steps.map((step) => this.reserve(step)));
    const reserved = steps.filter((_, i) => {
      const outcome = outcomes[i];
      return outcome?.status === 'fulfilled' && outcome.value === undefined;
    });
    const failure = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failure !== undefined) {
      // The outcome of the failed level's write is unknown (it may have applied): release what is known to be held,
      // and fail closed. An applied but unreported write stays as an over-count (docs/adr/0005).
      await this.releaseAll(reserved);
      throw failure.reason;
    }
    for (const outcome of outcomes) {
      if (outcome.status === 'fulfilled' && outcome.value !== undefined) {
        await this.releaseAll(reserved);
        return outcome.value;
      }
    }
    return { ok: true };
  }

  async release(request: VelocityRequest): Promise<void> {
    const steps = this.steps(request).filter((step) => !step.amountUnfit);
    await this.releaseAll(steps);
  }

  private steps(request: VelocityRequest): Step[] {
    if (!Number.isFinite(request.at)) throw invalidRequest('invalid verification time');
    const amount = request.amount;
    return request.levels
      .map((level: VelocityLevel): Step => {
        // A limit from a certificate issued before the amount bounds is enforced on the grid, or not at all (fail closed).
        const dayLimit =
          level.maxDailyVolume === undefined ? undefined : (enforceableDayLimit(level.maxDailyVolume) ?? -1);
        // A negative, non-finite, off-grid or oversized amount can never fit (and a negative one would "refund"
        // volume): off the grid, the exact running sum could exceed the 38 digits DynamoDB holds.
        const amountUnfit =
          dayLimit !== undefined &&
          amount !== undefined &&
          !(Number.isFinite(amount) && amount >= 0 && amount <= dayLimit && isCountableAmount(amount));
        return {
          fingerprint: level.fingerprint,
          counterKey: key('VEL', request.tenantId, level.fingerprint),
          minute: Math.floor(request.at / MINUTE_MS),
          at: request.at,
          hourLimit: level.maxTransactionsPerHour,
          volume: !amountUnfit && dayLimit !== undefined && amount !== undefined && amount > 0 ? amount : undefined,
          dayLimit,
          amountUnfit,
        };
      })
      .filter((step) => step.hourLimit !== undefined || step.volume !== undefined || step.amountUnfit);
  }

  /** Reserves one level; a refusal leaves this level as it was. */
  private async reserve(step: Step): Promise<Refusal | undefined> {
    let seen: number | undefined;
    try {
      seen = await this.update(step);
    } catch (error) {
      if (!isConditionalFailure(error)) throw toDependencyError('velocity consume', error);
      // Only the day's condition can fail; nothing was written at this level.
      return this.dayRefusal(step);
    }
    if (step.hourLimit !== undefined && !(seen !== undefined && seen <= step.hourLimit)) {
      await this.takeBack(step);
      return { ok: false, limit: 'maxTransactionsPerHour', fingerprint: step.fingerprint };
    }
    return undefined;
  }

  /** The day refuses at `step`: name the hour instead when it would refuse too (hour first). Writes nothing. */
  private async dayRefusal(step: Step): Promise<Refusal> {
    if (step.hourLimit !== undefined && (await this.hourWouldRefuse(step))) {
      return { ok: false, limit: 'maxTransactionsPerHour', fingerprint: step.fingerprint };
    }
    return { ok: false, limit: 'maxDailyVolume', fingerprint: step.fingerprint };
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

  /** Releases every reserved level, in parallel (each is an independent item). */
  private async releaseAll(steps: readonly Step[]): Promise<void> {
    await Promise.all(steps.map((step) => this.takeBack(step)));
  }

  /**
   * Takes back one level's minute and volume. Best effort: if this fails the counts stay too high until the minute
   * leaves the window / the day ends (fail closed: later requests may be refused early, never let through).
   */
  private async takeBack(step: Step): Promise<void> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const adds: string[] = [];
    if (step.hourLimit !== undefined) {
      names['#m'] = `m${step.minute}`;
      values[':minusOne'] = -1;
      adds.push('#m :minusOne');
    }
    if (step.volume !== undefined) {
      names['#v'] = `v${dayOf(step.at)}`;
      values[':minusAmount'] = new NumberValue(`-${exactDecimal(step.volume)}`);
      adds.push('#v :minusAmount');
    }
    if (adds.length === 0) return;
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tables.counters,
          Key: { pk: step.counterKey, sk: VELOCITY_SK },
          UpdateExpression: `ADD ${adds.join(', ')}`,
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
