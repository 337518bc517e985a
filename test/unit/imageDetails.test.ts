import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { imageDetailsMarkdown, namesImage } from '../../src/core/ecr/imageDetails';

const URI = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web';
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const image = { imageDigest: DIGEST, imageTags: ['v1.2.0', 'latest'], imagePushedAt: new Date('2026-12-01T10:00:00Z'), imageSizeInBytes: 52_428_800, imageScanStatus: { status: 'COMPLETE' }, imageScanFindingsSummary: { findingSeverityCounts: { HIGH: 2, CRITICAL: 1 } } };

describe('image details', () => {
  it('a task definition names the image by one of its tags or by its digest, in its own repository only', () => {
    assert.ok(namesImage(`${URI}:v1.2.0`, URI, image));
    assert.ok(namesImage(`${URI}:latest`, URI, image));
    assert.ok(namesImage(`${URI}`, URI, image), 'no tag is latest');
    assert.ok(namesImage(`${URI}@${DIGEST}`, URI, image));
    assert.ok(!namesImage(`${URI}:v1.1.0`, URI, image));
    assert.ok(!namesImage(`${URI}@sha256:${'cd'.repeat(32)}`, URI, image));
    assert.ok(!namesImage(`${URI}-other:v1.2.0`, URI, image));
  });

  it('writes out what the row shortens: the whole digest, bytes, counts worst first, then where it runs', () => {
    const text = imageDetailsMarkdown({
      repositoryName: 'web',
      repositoryUri: URI,
      image,
      platforms: ['linux/amd64', 'linux/arm64'],
      uses: { state: 'read', servicesRead: 3, uses: [{ cluster: 'prod', service: 'web-api', container: 'app', image: `${URI}:v1.2.0`, taskDefinitionArn: 'arn:aws:ecs:us-east-1:1:task-definition/web:7' }] },
    });
    assert.match(text, /^# latest, v1\.2\.0\n/);
    assert.ok(text.includes(`| Digest | \`${DIGEST}\` |`));
    assert.ok(text.includes('| Size | 52.4 MB (52,428,800 bytes, compressed layers) |'), text);
    assert.ok(text.includes('| Platforms | linux/amd64, linux/arm64 |'));
    assert.ok(text.includes('| Scan | 1 critical, 2 high |'), text);
    assert.ok(text.includes('| prod | web-api | app | `:v1.2.0` |'), text);
  });

  it('says when nothing runs it, while it is still looking, and why it could not look', () => {
    const base = { repositoryName: 'web', repositoryUri: URI, image: { imageDigest: DIGEST } };
    assert.match(imageDetailsMarkdown({ ...base, uses: { state: 'read', uses: [], servicesRead: 4 } }), /No service runs it \(4 services read in this region\)\./);
    assert.match(imageDetailsMarkdown({ ...base, uses: { state: 'reading' } }), /Looking through the services/);
    assert.match(imageDetailsMarkdown({ ...base, uses: { state: 'failed', reason: 'ListClusters failed (AccessDenied)' } }), /Could not read the services: ListClusters failed \(AccessDenied\)/);
    assert.match(imageDetailsMarkdown({ ...base, uses: { state: 'reading' } }), /\| Tags \| none \(untagged\) \|[\s\S]*\| Scan \| not scanned \|/);
  });
});
