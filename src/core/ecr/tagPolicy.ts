/**
 * The reference workflow's image tag convention (DESIGN.md): `latest`, semantic versions `v1.0.0`,
 * feature tags `jwt-auth-v1.0.0`, `dev` / `dev-*`, `pr-123`, `commit-abc123`. One recogniser, so the
 * explorer's icons, the build's tag suggestions and the lifecycle template agree on what a tag is.
 */

export type TagKind = 'latest' | 'semver' | 'feature' | 'dev' | 'pr' | 'commit' | 'other';

/** Most telling first: when an image has several tags, its kind is the first of these it carries. */
export const TAG_KIND_ORDER: readonly TagKind[] = ['latest', 'semver', 'feature', 'dev', 'pr', 'commit', 'other'];

// SemVer 2.0.0 numbers (no leading zeros), optional pre-release and build parts, optional `v`.
const NUMBER = '(?:0|[1-9]\\d*)';
const IDENTIFIER = '[0-9A-Za-z-]+';
const VERSION = `${NUMBER}\\.${NUMBER}\\.${NUMBER}(?:-${IDENTIFIER}(?:\\.${IDENTIFIER})*)?(?:\\+${IDENTIFIER}(?:\\.${IDENTIFIER})*)?`;
const SEMVER = new RegExp(`^v?${VERSION}$`);
// A feature tag is a lower-case slug naming the feature, then `-v` and a version: `jwt-auth-v1.0.0`.
const FEATURE = new RegExp(`^[a-z0-9]+(?:[._-][a-z0-9]+)*-v${VERSION}$`);
const DEV = /^dev(?:-.+)?$/;
const PR = /^pr-\d+$/;
// `commit-` and an abbreviated or full git object name (SHA-1 or SHA-256).
const COMMIT = /^commit-[0-9a-f]{6,64}$/;

export function tagKind(tag: string): TagKind {
  if (tag === 'latest') return 'latest';
  if (SEMVER.test(tag)) return 'semver';
  if (FEATURE.test(tag)) return 'feature';
  if (DEV.test(tag)) return 'dev';
  if (PR.test(tag)) return 'pr';
  if (COMMIT.test(tag)) return 'commit';
  return 'other';
}

/** The kind that best describes an image with these tags; `undefined` for an untagged image. */
export function imageTagKind(tags: readonly string[] | undefined): TagKind | undefined {
  if (!tags?.length) return undefined;
  const kinds = new Set(tags.map(tagKind));
  return TAG_KIND_ORDER.find((kind) => kinds.has(kind));
}

/** Tags in the order a person scans them: by kind (latest first), then by name. */
export function sortTags(tags: readonly string[]): string[] {
  const rank = (tag: string) => TAG_KIND_ORDER.indexOf(tagKind(tag));
  return [...tags].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

export const TAG_KIND_LABELS: Readonly<Record<TagKind, string>> = {
  latest: 'latest',
  semver: 'release (semantic version)',
  feature: 'feature build',
  dev: 'development build',
  pr: 'pull-request build',
  commit: 'commit build',
  other: 'other tag',
};
