/**
 * Services that always ask before a deploy: glob patterns (`*` any run of characters, `?` one),
 * comma-separated, case-insensitive, matched against `cluster/service` and the service name alone.
 */

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

export function isProtectedService(patterns: string, cluster: string, service: string): boolean {
  const globs = patterns.split(',').map((p) => p.trim()).filter(Boolean);
  return globs.some((glob) => {
    const re = globToRegExp(glob);
    return re.test(`${cluster}/${service}`) || re.test(service);
  });
}
