/**
 * How a package name is recognised in text. A name matches only as a whole word: `ssl` is not found in
 * `openssl` nor in `libssl-dev`, `openssl` not in `libcurl4-openssl-dev`, but `openssl` is found in
 * `openssl=3.0.15-1~deb12u1`, `requests` in `requests==2.31.0` and `zlib1g-dev` in `zlib1g-dev:amd64`.
 */

/** Characters that continue a package name; a `.` continues it only when a letter or digit follows. */
const NAME_CHAR = '[A-Za-z0-9_+\\-]';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function wholeWordPattern(name: string, flags = 'i'): RegExp {
  return new RegExp(`(?<!${NAME_CHAR}|\\.)${escapeRegExp(name)}(?!${NAME_CHAR}|\\.[A-Za-z0-9])`, flags);
}

/** Columns of the first whole-word occurrence of `name` in `text`, compared case-insensitively. */
export function findWholeWord(text: string, name: string): { start: number; end: number } | undefined {
  if (!name) return undefined;
  const match = wholeWordPattern(name).exec(text);
  return match ? { start: match.index, end: match.index + match[0].length } : undefined;
}

export type Ecosystem = 'python' | 'node' | 'go' | 'ruby';

/**
 * The form under which two names of one ecosystem are the same package: PEP 503 for Python
 * (`Jinja2` = `jinja2`, `typing_extensions` = `typing-extensions`), case-insensitive elsewhere.
 */
export function canonicalName(name: string, ecosystem: Ecosystem): string {
  const lower = name.trim().toLowerCase();
  return ecosystem === 'python' ? lower.replace(/[-_.]+/g, '-') : lower;
}

/**
 * Which manifests can declare a package of the finding's package manager (Inspector's names, e.g.
 * `PYTHONPKG`, `NPM`, `GOMOD`, `BUNDLER`, `OS`). Unknown or absent: every ecosystem.
 */
export function ecosystemsFor(packageManager: string | undefined): readonly Ecosystem[] {
  const all: Ecosystem[] = ['python', 'node', 'go', 'ruby'];
  const manager = (packageManager ?? '').toUpperCase();
  if (!manager) return all;
  if (/PYTHON|PIP|POETRY|PIPENV|UV|CONDA/.test(manager)) return ['python'];
  if (/NPM|NODE|YARN|PNPM/.test(manager)) return ['node'];
  if (/^GO/.test(manager)) return ['go'];
  if (/BUNDLER|GEM|RUBY/.test(manager)) return ['ruby'];
  if (/^(OS|DPKG|RPM|APK|APT|YUM|DNF|ALPINE|DEBIAN)$/.test(manager)) return [];
  return all;
}
