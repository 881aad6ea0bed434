/**
 * Path parameters that name a resource. An id that cannot be one (wrong shape) names nothing: 404, exactly as an
 * unknown or another tenant's id (docs/api.md §1), so the answer never tells a malformed id from a missing one.
 */
import { notFound } from '../core/errors.js';
import { AGENT_ID_PATTERN } from './schemas.js';

export function pathAgentId(params: Record<string, string>): string {
  const id = params.id;
  if (id === undefined || !AGENT_ID_PATTERN.test(id)) throw notFound('agent');
  return id;
}
