import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { imageTagKind, sortTags, tagKind, TAG_KIND_ORDER, type TagKind } from '../../src/core/ecr/tagPolicy';

describe('tagKind: the reference convention', () => {
  const cases: Array<[string, TagKind]> = [
    ['latest', 'latest'],
    ['v1.0.0', 'semver'],
    ['1.2.3', 'semver'],
    ['v2.10.0-rc.1', 'semver'],
    ['v1.0.0+build.7', 'semver'],
    ['jwt-auth-v1.0.0', 'feature'],
    ['auto-role-v0.3.12', 'feature'],
    ['dev', 'dev'],
    ['dev-jwt-auth', 'dev'],
    ['dev-2026-11-27', 'dev'],
    ['pr-123', 'pr'],
    ['commit-abc123', 'commit'],
    ['commit-0123456789abcdef0123456789abcdef01234567', 'commit'],
    // Near misses fall through to "other" rather than being guessed.
    ['improved-error-handling', 'other'],
    ['Latest', 'other'],
    ['v1.0', 'other'],
    ['v01.0.0', 'other'],
    ['pr-', 'other'],
    ['pr-12a', 'other'],
    ['commit-xyz', 'other'],
    ['commit-abc12', 'other'],
    ['develop', 'other'],
    ['JWT-v1.0.0', 'other'],
    // SemVer 2.0.0 as the semver package reads it: no leading zeros in numeric pre-release parts, nothing around it.
    ['v1.0.0-rc.01', 'other'],
    ['v1.0.0-rc.1a', 'semver'],
    [' 1.0.0', 'other'],
    ['=1.0.0', 'other'],
    ['V1.0.0', 'other'],
    ['jwt-auth-vv1.0.0', 'other'],
    ['api-v1-v2.0.0', 'feature'],
    ['jwt-auth-v1.0.0-beta.2+sha.5', 'feature'],
  ];
  for (const [tag, kind] of cases) {
    it(`${tag} -> ${kind}`, () => assert.equal(tagKind(tag), kind));
  }

  const version = fc.tuple(fc.nat(999), fc.nat(999), fc.nat(999)).map(([a, b, c]) => `${a}.${b}.${c}`);
  const slug = fc.stringMatching(/^[a-z0-9]+(-[a-z0-9]+){0,3}$/);

  it('recognises every generated tag of each kind', () => {
    fc.assert(fc.property(version, (v) => tagKind(`v${v}`) === 'semver' && tagKind(v) === 'semver'));
    fc.assert(fc.property(slug, version, (s, v) => tagKind(`${s}-v${v}`) === 'feature'));
    fc.assert(fc.property(fc.nat(), (n) => tagKind(`pr-${n}`) === 'pr'));
    fc.assert(fc.property(fc.stringMatching(/^[0-9a-f]{6,40}$/), (sha) => tagKind(`commit-${sha}`) === 'commit'));
    fc.assert(fc.property(slug, (s) => tagKind(`dev-${s}`) === 'dev'));
  });

  it('is total: any string gets exactly one known kind', () => {
    fc.assert(fc.property(fc.string(), (tag) => TAG_KIND_ORDER.includes(tagKind(tag))));
  });
});

describe('imageTagKind and sortTags', () => {
  it('names an image by its most telling tag', () => {
    assert.equal(imageTagKind(['v1.0.0', 'latest']), 'latest');
    assert.equal(imageTagKind(['commit-abc123', 'pr-7']), 'pr');
    assert.equal(imageTagKind(['foo', 'jwt-auth-v1.0.0']), 'feature');
    assert.equal(imageTagKind([]), undefined);
    assert.equal(imageTagKind(undefined), undefined);
  });

  it('puts latest first, then releases, and keeps every tag', () => {
    assert.deepEqual(sortTags(['commit-abc123', 'v1.0.0', 'zeta', 'latest', 'dev']), ['latest', 'v1.0.0', 'dev', 'commit-abc123', 'zeta']);
    fc.assert(fc.property(fc.array(fc.string()), (tags) => sortTags(tags).slice().sort().join('\n') === tags.slice().sort().join('\n')));
  });
});
