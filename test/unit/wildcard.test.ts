import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { wildcardMatches, wildcardToRegExp } from '../../src/core/text/wildcard';

/** The three hand-written matchers this one replaced, kept here as the oracle of today's behaviour. */
const before = {
  awsFilter: (filter: string, name: string) => new RegExp(`^${filter.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(name),
  glob: (glob: string, name: string) => new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i').test(name),
};

describe('wildcard: one matcher for ECR filters, tag patterns and service globs', () => {
  it('`*` is any run of characters, `/` included, as AWS documents repository filters', () => {
    assert.ok(wildcardMatches('myapp/*', 'myapp/api/v2'));
    assert.ok(wildcardMatches('*/production', 'team/production'));
    assert.ok(wildcardMatches('*prod*', 'prod'));
    assert.ok(wildcardMatches('*', ''));
    assert.ok(!wildcardMatches('prod*', 'xprod'));
  });

  it('everything else is literal and the whole text must match', () => {
    for (const literal of ['a.b', 'a+b', '[x]', '{a,b}', '(a)', '!a', 'a|b', '^a$', 'a\\b', 'a/b']) assert.ok(wildcardMatches(literal, literal), literal);
    assert.ok(!wildcardMatches('a.b', 'axb'));
    assert.ok(!wildcardMatches('a?', 'ab'), '`?` is literal in AWS patterns');
    assert.ok(wildcardMatches('a?', 'a?'));
    assert.ok(!wildcardMatches('Prod*', 'prod-1'), 'case matters unless asked otherwise');
  });

  it('globs: `?` is one character, case-insensitive on request', () => {
    const glob = { caseInsensitive: true, singleCharacter: true };
    assert.ok(wildcardMatches('prod?', 'PROD/', glob));
    assert.ok(!wildcardMatches('prod?', 'prod', glob));
    assert.equal(wildcardToRegExp('*prod*', glob).flags, 'i');
  });

  const alphabet = fc.constantFrom('a', 'B', 'b', '-', '.', '/', '*', '?', '[', ']', '{', '}', '(', ')', '\\', '+', '|', '^', '$', '!', '\n');
  const text = fc.array(alphabet, { maxLength: 8 }).map((chars) => chars.join(''));

  it('decides exactly as the matchers it replaced did', () => {
    fc.assert(fc.property(text, text, (pattern, name) => wildcardMatches(pattern, name) === before.awsFilter(pattern, name)), { numRuns: 5000 });
    fc.assert(
      fc.property(text, text, (pattern, name) => wildcardMatches(pattern, name, { caseInsensitive: true, singleCharacter: true }) === before.glob(pattern, name)),
      { numRuns: 5000 },
    );
  });
});
