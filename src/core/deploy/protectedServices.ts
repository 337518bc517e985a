/**
 * Services that always ask before a deploy: glob patterns (`*` any run of characters, `?` one),
 * comma-separated, case-insensitive, matched against `cluster/service` and the service name alone.
 */
import { wildcardToRegExp } from '../text/wildcard';

function globToRegExp(glob: string): RegExp {
  return wildcardToRegExp(glob, { caseInsensitive: true, singleCharacter: true });
}

export function isProtectedService(patterns: string, cluster: string, service: string): boolean {
  const globs = patterns.split(',').map((p) => p.trim()).filter(Boolean);
  return globs.some((glob) => {
    const re = globToRegExp(glob);
    return re.test(`${cluster}/${service}`) || re.test(service);
  });
}
