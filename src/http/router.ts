/**
 * Matches a request's method and path against route definitions. Matching works on the concrete path (not API
 * Gateway's `resource`), so the same code serves Lambda, local mode and tests; parameters are URL-decoded, and a path
 * that cannot be decoded matches nothing (→ 404).
 */
export interface RoutePattern {
  method: string;
  path: string;
}

export interface RouteMatch<R extends RoutePattern> {
  route: R;
  params: Record<string, string>;
}

function splitPath(path: string): string[] | undefined {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  if (!trimmed.startsWith('/')) return undefined;
  try {
    return trimmed
      .slice(1)
      .split('/')
      .map((segment) => decodeURIComponent(segment));
  } catch {
    return undefined;
  }
}

function matchPath(pattern: string, segments: string[]): Record<string, string> | undefined {
  const parts = pattern.slice(1).split('/');
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of parts.entries()) {
    const segment = segments[index] ?? '';
    if (part.startsWith('{') && part.endsWith('}')) {
      if (segment === '') return undefined;
      params[part.slice(1, -1)] = segment;
    } else if (part !== segment) {
      return undefined;
    }
  }
  return params;
}

/** The route with this method and path, or undefined (the caller answers 404 NOT_FOUND for both misses). */
export function matchRoute<R extends RoutePattern>(
  table: readonly R[],
  method: string,
  path: string,
): RouteMatch<R> | undefined {
  const segments = splitPath(path);
  if (!segments) return undefined;
  for (const route of table) {
    if (route.method !== method.toUpperCase()) continue;
    const params = matchPath(route.path, segments);
    if (params) return { route, params };
  }
  return undefined;
}
