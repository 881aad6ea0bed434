/**
 * What every example shares: a client from the environment (KAKUNIN_BASE_URL, default `kakunin dev`'s
 * http://127.0.0.1:8787, and KAKUNIN_API_KEY, an admin key) and one machine-readable result line at the end, which
 * the examples' test reads.
 */
import { Kakunin } from '@kakunin/sdk';

export const baseUrl = process.env.KAKUNIN_BASE_URL ?? 'http://127.0.0.1:8787';

export function kakuninFromEnv(): Kakunin {
  const apiKey = process.env.KAKUNIN_API_KEY;
  if (apiKey === undefined || apiKey === '') throw new Error('set KAKUNIN_API_KEY (the admin key kakunin dev printed)');
  return new Kakunin({ baseUrl, apiKey });
}

/** A unique agent name per run (names are the certificate's CN: 1–64 of [A-Za-z0-9._-]). */
export const agentName = (prefix: string): string => `${prefix}-${Date.now().toString(36)}`;

export function printResult(result: Record<string, unknown>): void {
  console.log(`RESULT ${JSON.stringify(result)}`);
}
