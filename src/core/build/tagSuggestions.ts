/**
 * Tags to offer when building, from the reference workflow's convention: `commit-<sha7>` from git,
 * `v<version>` from package.json or pyproject.toml, `dev`, and `latest` on request. Every suggestion
 * is a valid tag; the facts (commit, version, uncommitted changes) are gathered by the caller.
 */
import { tagProblem } from '../ecr/inputRules';

export interface TagFacts {
  /** The current commit, full or abbreviated; undefined outside a git repository. */
  commit?: string;
  /** True when the working tree has uncommitted changes. */
  dirty?: boolean;
  /** The project's version (package.json or pyproject.toml), with or without a leading `v`. */
  version?: string;
  /** Where the version came from, for the description. */
  versionSource?: string;
  /** Offer `latest` checked (the `ecrDeploy.build.tagLatest` setting). */
  tagLatest?: boolean;
}

export interface TagSuggestion {
  tag: string;
  /** Why this tag is offered. */
  description: string;
  /** Checked by default. */
  picked: boolean;
  /** Set when the tag would not name what is built (a commit tag over uncommitted changes). */
  warning?: string;
}

export function commitTag(commit: string): string {
  return `commit-${commit.slice(0, 7).toLowerCase()}`;
}

export function versionTag(version: string): string {
  return `v${version.trim().replace(/^v/i, '')}`;
}

export function uncommittedChangesWarning(tag: string): string {
  return `The working tree has uncommitted changes: ${tag} would name an image that is not that commit.`;
}

export function suggestTags(facts: TagFacts): TagSuggestion[] {
  const suggestions: TagSuggestion[] = [];
  if (facts.commit && /^[0-9a-f]{7,40}$/i.test(facts.commit)) {
    const tag = commitTag(facts.commit);
    suggestions.push({
      tag,
      description: facts.dirty ? 'current commit, with uncommitted changes' : 'current commit',
      picked: !facts.dirty,
      ...(facts.dirty ? { warning: uncommittedChangesWarning(tag) } : {}),
    });
  }
  if (facts.version) {
    const tag = versionTag(facts.version);
    if (!tagProblem(tag)) suggestions.push({ tag, description: `version from ${facts.versionSource ?? 'the project'}`, picked: false });
  }
  // Without a clean commit to name the image by, `dev` is the honest default.
  suggestions.push({ tag: 'dev', description: 'development build', picked: !suggestions.some((s) => s.picked) });
  suggestions.push({ tag: 'latest', description: 'moves with every release', picked: Boolean(facts.tagLatest) });
  return suggestions;
}

/** `version` of package.json; undefined when absent or not a string. */
export function versionFromPackageJson(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { version?: unknown };
    return typeof parsed.version === 'string' && parsed.version.trim() ? parsed.version.trim() : undefined;
  } catch {
    return undefined;
  }
}

/** `version` of the `[project]` or `[tool.poetry]` table of a pyproject.toml (a literal string only). */
export function versionFromPyproject(text: string): string | undefined {
  let table = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      table = header[1].trim();
      continue;
    }
    if (table !== 'project' && table !== 'tool.poetry') continue;
    const version = /^version\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(line);
    if (version) return (version[1] ?? version[2]).trim() || undefined;
  }
  return undefined;
}

/** Parses user-typed tags (comma or space separated) and says what is wrong with the first bad one. */
export function parseTagList(text: string): { tags: string[]; problem?: string } {
  const tags = [...new Set(text.split(/[\s,]+/).filter(Boolean))];
  if (!tags.length) return { tags, problem: 'Give at least one tag.' };
  for (const tag of tags) {
    const problem = tagProblem(tag);
    if (problem) return { tags, problem };
  }
  return { tags };
}
