/**
 * The origin the sign route records (docs/api.md §4): the caller's own source address and user agent as the service
 * received them. Kept apart from origin.ts (and free of zod) so the certificates function does not bundle the schema
 * library for two fields it reads from its own request context.
 */
import { isIP } from 'node:net';
import type { ActionOrigin } from '../model.js';

/** The same bound as a verifier-sent origin (origin.ts `MAX_USER_AGENT_LENGTH`). */
const MAX_USER_AGENT_LENGTH = 512;

/** Each field kept only when valid; an IPv4-mapped IPv6 address is written as IPv4. Undefined when neither is. */
export function callerOrigin(sourceIp: unknown, userAgent: unknown): ActionOrigin | undefined {
  const out: ActionOrigin = {};
  const ip = typeof sourceIp === 'string' ? sourceIp.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '') : '';
  if (isIP(ip) !== 0) out.ip = ip;
  // Control characters are dropped so the value can never forge a line wherever the audit entry is shown.
  const agent = typeof userAgent === 'string' ? userAgent.replace(/\p{Cc}/gu, '').slice(0, MAX_USER_AGENT_LENGTH) : '';
  if (agent !== '') out.userAgent = agent;
  return Object.keys(out).length === 0 ? undefined : out;
}
