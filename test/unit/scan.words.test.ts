/** How scan counts read (one helper, never "1 findings"), and which scan an image row shows. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findingCount, findingsSummary } from '../../src/core/scan/severity';
import { shortImageLabel } from '../../src/core/scan/scanFindings';
import { scanSummaryText, withReadScan } from '../../src/core/scan/summary';
import { imageDescription, type ImageLike } from '../../src/core/ecr/imageRow';
import { REPO_ROOT } from '../support/cliProcess';

describe('finding counts in words', () => {
  it('one finding, many findings, none', () => {
    assert.equal(findingCount(1), '1 finding');
    assert.equal(findingCount(0), '0 findings');
    assert.equal(findingsSummary({ HIGH: 1 }), '1 finding (1 high)');
    assert.equal(findingsSummary({ CRITICAL: 2, HIGH: 2, MEDIUM: 3, LOW: 1, INFORMATIONAL: 1 }), '9 findings (2 critical · 2 high · 3 medium · 1 low · 1 informational)');
    assert.equal(findingsSummary({}), 'no findings');
  });

  it('no source words a count of findings by hand ("${n} findings" reads "1 findings" for one)', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (/\.(ts|mjs)$/.test(entry.name)) {
          fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
            if (/\$\{[^}]*\} findings\b/.test(line)) offenders.push(`${path.relative(REPO_ROOT, file)}:${i + 1}`);
          });
        }
      }
    };
    walk(path.join(REPO_ROOT, 'src'));
    assert.deepEqual(offenders, []);
  });

  it('images in status lines and messages: repository:tag, else a short digest', () => {
    const digest = `sha256:1a2b3c4d${'0'.repeat(56)}`;
    assert.equal(shortImageLabel({ repositoryName: 'app', imageTag: 'v1', imageDigest: digest }), 'app:v1');
    assert.equal(shortImageLabel({ repositoryName: 'app', imageDigest: digest }), 'app@sha256:1a2b3c4d');
  });
});

describe('the scan an image row shows', () => {
  const pushed = new Date('2026-12-01T10:00:00Z');
  const now = new Date('2026-12-01T10:30:00Z');
  const read = { status: 'ACTIVE', counts: { CRITICAL: 2, HIGH: 2, MEDIUM: 3 }, completedAt: new Date('2026-12-01T10:20:00Z') };

  it('what the extension read, when DescribeImages says nothing (moto, some endpoints)', () => {
    const image: ImageLike = { imageDigest: "sha256:aa", imagePushedAt: pushed, imageSizeInBytes: 1000 };
    assert.equal(imageDescription(image, now), '30 min ago · 1.0 kB');
    assert.equal(imageDescription(withReadScan(image, read), now), '30 min ago · 1.0 kB · 2 critical · 2 high · 3 medium');
    assert.equal(withReadScan(image, undefined), image);
  });

  it('the newer of the two when DescribeImages has a summary, and a read "scan pending" gives way to a finished listing', () => {
    const listed = { imageScanStatus: { status: 'COMPLETE' }, imageScanFindingsSummary: { findingSeverityCounts: { LOW: 1 }, imageScanCompletedAt: new Date('2026-12-01T10:10:00Z') } };
    assert.equal(scanSummaryText(withReadScan(listed, read).imageScanStatus, withReadScan(listed, read).imageScanFindingsSummary), '2 critical · 2 high · 3 medium');
    const older = { ...read, completedAt: new Date('2026-12-01T10:00:00Z') };
    assert.equal(withReadScan(listed, older), listed);
    assert.equal(withReadScan(listed, { status: 'PENDING', counts: {}, completedAt: undefined }), listed);
  });
});
