/**
 * The reference workflow's image tag convention (DESIGN.md): `latest`, semantic versions `v1.0.0`,
 * feature tags `jwt-auth-v1.0.0`, `dev` / `dev-*`, `pr-123`, `commit-abc123`. One recogniser, so the
 * explorer's icons, the build's tag suggestions and the lifecycle template agree on what a tag is.
 */

import type validVersionFunction from 'semver/functions/valid';

export type TagKind = 'latest' | 'semver' | 'feature' | 'dev' | 'pr' | 'commit' | 'other';

/** Most telling first: when an image has several tags, its kind is the first of these it carries. */
export const TAG_KIND_ORDER: readonly TagKind[] = ['latest', 'semver', 'feature', 'dev', 'pr', 'commit', 'other'];

// A feature tag is a lower-case slug naming the feature, then `-v` and a version: `jwt-auth-v1.0.0`.
const FEATURE_SLUG = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const DEV = /^dev(?:-.+)?$/;
const PR = /^pr-\d+$/;
// `commit-` and an abbreviated or full git object name (SHA-1 or SHA-256).
const COMMIT = /^commit-[0-9a-f]{6,64}$/;

// semver compiles its ~40 regular expressions when loaded: loaded on the first tag to classify, not
// when the extension's bundle is (activation).
let validVersion: typeof validVersionFunction | undefined;

/** SemVer 2.0.0 as the `semver` package reads it strictly (an optional `v`, no leading zeros), nothing around it. */
function isSemanticVersion(text: string): boolean {
  // semver trims what it parses; a tag with spaces is not a version.
  if (!/^v?\d/.test(text) || /\s/.test(text)) return false;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load (see above)
  validVersion ??= require('semver/functions/valid') as typeof validVersionFunction;
  return validVersion(text) !== null;
}

function isFeatureTag(tag: string): boolean {
  for (let at = tag.indexOf('-v'); at > 0; at = tag.indexOf('-v', at + 1)) {
    const version = tag.slice(at + 2);
    if (/^\d/.test(version) && FEATURE_SLUG.test(tag.slice(0, at)) && isSemanticVersion(version)) return true;
  }
  return false;
}

export function tagKind(tag: string): TagKind {
  if (tag === 'latest') return 'latest';
  if (isSemanticVersion(tag)) return 'semver';
  if (isFeatureTag(tag)) return 'feature';
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
