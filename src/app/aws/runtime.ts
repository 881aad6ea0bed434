/** The real clock and randomness of a deployed function. */
import { randomBytes } from 'node:crypto';
import type { Clock, Random } from '../../ports.js';

export const systemClock: Clock = { now: () => Date.now() };
export const systemRandom: Random = { bytes: (length: number) => new Uint8Array(randomBytes(length)) };
