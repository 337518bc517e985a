import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatAge, formatBytes, formatTimestamp, plural, shortDigest } from '../../src/core/text/format';
import { scanDetailLines, scanSummaryText, worstSeverity } from '../../src/core/scan/summary';
import { repositoryNameProblem } from '../../src/core/ecr/inputRules';
import { imageInRepository } from '../../src/core/ecr/imageReference';

describe('formatBytes', () => {
  it('uses decimal units with one decimal below 100', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(999), '999 B');
    assert.equal(formatBytes(1000), '1.0 kB');
    assert.equal(formatBytes(45_200_000), '45.2 MB');
    assert.equal(formatBytes(312_400_000), '312 MB');
    assert.equal(formatBytes(2_500_000_000), '2.5 GB');
    assert.equal(formatBytes(undefined), '? B');
    assert.equal(formatBytes(Number.NaN), '? B');
  });

  it('never prints NaN and stays short for any size', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 1e18, noNaN: true }), (n) => !formatBytes(n).includes('NaN') && formatBytes(n).length <= 8));
  });
});

describe('formatAge', () => {
  const now = new Date('2026-11-27T12:00:00Z');
  const ago = (ms: number) => formatAge(new Date(now.getTime() - ms), now);
  it('reads like a person says it', () => {
    assert.equal(ago(5_000), 'just now');
    assert.equal(ago(5 * 60_000), '5 min ago');
    assert.equal(ago(3 * 3600_000), '3 h ago');
    assert.equal(ago(12 * 86400_000), '12 d ago');
    assert.equal(ago(120 * 86400_000), '4 mo ago');
    assert.equal(ago(800 * 86400_000), '2 y ago');
    assert.equal(ago(-10 * 60_000), 'in the future');
    assert.equal(ago(-5_000), 'just now', 'small clock skew is not "the future"');
    assert.equal(formatAge(undefined, now), 'unknown time');
  });

  it('timestamps and short digests', () => {
    assert.equal(formatTimestamp(new Date('2026-11-27T12:34:56.789Z')), '2026-11-27 12:34:56 UTC');
    assert.equal(shortDigest('sha256:0123456789abcdef0123'), 'sha256:0123456789ab');
    assert.equal(shortDigest(undefined), '?');
  });
});

describe('plural', () => {
  it('counts with the singular only for one, and takes an irregular plural', () => {
    assert.equal(plural(0, 'image'), '0 images');
    assert.equal(plural(1, 'image'), '1 image');
    assert.equal(plural(2, 'rule'), '2 rules');
    assert.equal(plural(1, 'repository', 'repositories'), '1 repository');
    assert.equal(plural(3, 'repository', 'repositories'), '3 repositories');
  });
});

describe('scanSummaryText', () => {
  it('counts the severities that matter in a row, worst first', () => {
    assert.equal(scanSummaryText({ status: 'COMPLETE' }, { findingSeverityCounts: { HIGH: 5, CRITICAL: 2, INFORMATIONAL: 9 } }), '2 critical · 5 high');
    assert.equal(worstSeverity({ findingSeverityCounts: { LOW: 1, MEDIUM: 3 } }), 'MEDIUM');
  });

  it('says what the status means when there are no counts', () => {
    assert.equal(scanSummaryText({ status: 'COMPLETE' }, undefined), 'no findings');
    assert.equal(scanSummaryText({ status: 'ACTIVE' }, { findingSeverityCounts: {} }), 'no findings');
    assert.equal(scanSummaryText({ status: 'IN_PROGRESS' }, undefined), 'scanning…');
    assert.equal(scanSummaryText({ status: 'FAILED', description: 'x' }, undefined), 'scan failed');
    assert.equal(scanSummaryText({ status: 'SOMETHING_NEW' }, undefined), 'something new');
    assert.equal(scanSummaryText(undefined, { findingSeverityCounts: { INFORMATIONAL: 3 } }), '3 informational');
    assert.equal(scanSummaryText(undefined, undefined), undefined, 'never scanned: nothing is claimed');
  });

  it('lists every severity for the tooltip', () => {
    assert.deepEqual(scanDetailLines({ status: 'COMPLETE', description: 'The scan was completed successfully.' }, { findingSeverityCounts: { UNDEFINED: 1, HIGH: 2 } }), [
      'Scan: COMPLETE (The scan was completed successfully.)',
      'Findings: 2 high, 1 undefined',
    ]);
  });
});

describe('repository names and image references', () => {
  it('accepts what ECR accepts', () => {
    for (const name of ['quilt-mcp-server', 'team/service-api', 'a1', 'x.y_z-w/v2']) assert.equal(repositoryNameProblem(name), undefined, name);
  });

  it('explains what ECR rejects', () => {
    assert.match(repositoryNameProblem('a') ?? '', /at least 2/);
    assert.match(repositoryNameProblem('My-Repo') ?? '', /lower-case/);
    assert.match(repositoryNameProblem('my repo') ?? '', /spaces/);
    for (const name of ['-lead', 'trail-', 'double--dash', 'a//b', '/abs', 'a/', 'ünï']) assert.ok(repositoryNameProblem(name), name);
    assert.match(repositoryNameProblem('a'.repeat(257)) ?? '', /at most 256/);
  });

  it('builds tag and digest references', () => {
    const uri = '123456789012.dkr.ecr.us-east-1.amazonaws.com/quilt-mcp-server';
    const digest = `sha256:${'ab'.repeat(32)}`;
    assert.equal(imageInRepository(uri, { tag: 'v1.0.0', digest }), `${uri}:v1.0.0`);
    assert.equal(imageInRepository(uri, { digest }), `${uri}@${digest}`);
    assert.throws(() => imageInRepository(uri, { digest: 'sha256:ab' }), /not an image digest/);
  });
});
