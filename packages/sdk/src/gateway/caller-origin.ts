/**
 * The caller's origin as the service accepts it (docs/api.md §4 `origin`): an IP address that is one, a user agent
 * without control characters and at most 512 characters. It comes from request headers the caller controls, so it
 * is cleaned here rather than sent as is: a long or odd User-Agent must not turn an agent's valid action into a 400.
 */
import { isIP } from 'node:net';
import type { ActionOrigin } from '../types.js';

export const MAX_USER_AGENT_LENGTH = 512;

const CONTROL_CHARACTERS = /\p{Cc}/gu;

export function callerOrigin(ip: string | undefined, userAgent: string | string[] | undefined): ActionOrigin {
  const origin: ActionOrigin = {};
  // Node reports IPv4 peers on dual-stack sockets as ::ffff:a.b.c.d; the plain form is what monitoring compares.
  const address = ip?.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
  if (address !== undefined && isIP(address) !== 0) origin.ip = address;
  const agent = (Array.isArray(userAgent) ? userAgent[0] : userAgent)
    ?.replace(CONTROL_CHARACTERS, '')
    .slice(0, MAX_USER_AGENT_LENGTH);
  if (agent !== undefined && agent !== '') origin.userAgent = agent;
  return origin;
}
