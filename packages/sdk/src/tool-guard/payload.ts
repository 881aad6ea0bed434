/**
 * What a guarded tool call signs (docs/api.md §4 payload): `action` is always the tool's action name, never a value the
 * model chose, so a tool argument called `action` cannot make a `charge` look like an allowed `refund`.
 */
import { invalidInput } from '../errors.js';
import type { ActionPayload } from '../types.js';

/**
 * Maps a tool's arguments to the payload fields the scope check reads (`amount`, `currency`, `counterparty`,
 * `region`) and anything else worth signing. The default signs the arguments as they are.
 */
export type ToPayload = (args: unknown, action: string) => Record<string, unknown>;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null);

/** The default mapping: an argument object is signed field by field; anything else as `input`. */
export const defaultToPayload: ToPayload = (args) => {
  if (args === undefined) return {};
  if (isPlainObject(args)) return args;
  return { input: args };
};

/**
 * Builds the payload to sign. JSON validity (finite numbers, plain objects…) is `signAction`'s check; this adds the
 * rules only a guard knows: the mapping must return an object, and `action` is the guard's.
 * @throws KakuninError INVALID_REQUEST
 */
export function buildPayload(action: string, args: unknown, toPayload: ToPayload = defaultToPayload): ActionPayload {
  const mapped = toPayload(args, action);
  if (!isPlainObject(mapped)) throw invalidInput('toPayload must return a plain object', 'payload');
  // `action` last: it overrides whatever the arguments carried under that name.
  return { ...mapped, action };
}
