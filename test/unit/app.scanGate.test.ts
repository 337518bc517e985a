/** The deploy confirmation's words about the image's scan, and the one read behind them (fake edge). */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { imageIdentityOf, readScanGate, scanGateText } from '../../src/app/scan/scanGate';
import type { AwsAccess, AwsEdge } from '../../src/app/ports';

const image = { repositoryName: 'quilt-mcp-server', imageTag: 'v1.2.0', imageDigest: `sha256:${'ab'.repeat(32)}` };

function accessAnswering(answer: () => Promise<unknown>): AwsAccess {
  const edge = { scan: { readScanFindings: async () => answer() } } as unknown as AwsEdge;
  return { edge, clients: { ecr: 'ecr' } } as unknown as AwsAccess;
}

describe('scanGateText', () => {
  it('names the critical and high findings, worst first, and counts the rest', () => {
    const blocking = [
      { id: 'CVE-2023-45853', severity: 'CRITICAL' as const, packageName: 'zlib1g-dev' },
      { id: 'CVE-2025-43859', severity: 'CRITICAL' as const, packageName: 'h11' },
      { id: 'CVE-2024-2398', severity: 'HIGH' as const, packageName: 'libcurl4-openssl-dev' },
      { id: 'CVE-2023-4911', severity: 'HIGH' as const, packageName: 'glibc' },
    ];
    assert.equal(
      scanGateText({ image, counts: { CRITICAL: 2, HIGH: 2, MEDIUM: 3, LOW: 1 }, blocking }),
      'quilt-mcp-server:v1.2.0: 4 findings critical or high (2 critical · 2 high): CVE-2023-45853 (zlib1g-dev), CVE-2025-43859 (h11), CVE-2024-2398 (libcurl4-openssl-dev) and 1 more.',
    );
    assert.equal(scanGateText({ image, counts: { HIGH: 1 }, blocking: [blocking[2]] }), 'quilt-mcp-server:v1.2.0: 1 finding critical or high (1 high): CVE-2024-2398 (libcurl4-openssl-dev).');
  });

  it('works from a summary alone (DescribeImages\' counts), and says nothing without critical or high', () => {
    assert.equal(scanGateText({ image: { repositoryName: 'app', imageDigest: `sha256:${'12'.repeat(32)}` }, counts: { CRITICAL: 1 } }), 'app@sha256:12121212: 1 finding critical or high (1 critical).');
    assert.equal(scanGateText({ image, counts: { MEDIUM: 4, LOW: 2 }, blocking: [] }), '');
    assert.equal(scanGateText({ image, counts: {} }), '');
    assert.equal(scanGateText(undefined), '');
  });
});

describe('readScanGate', () => {
  it('reads the image of a deploy (an ECR URI) by its tag and digest', async () => {
    assert.deepEqual(imageIdentityOf(`123456789012.dkr.ecr.us-east-1.amazonaws.com/team/app:v1@${image.imageDigest}`), { repositoryName: 'team/app', imageTag: 'v1', imageDigest: image.imageDigest });
    let asked: unknown;
    const access = {
      edge: { scan: { readScanFindings: async (_ecr: unknown, id: unknown) => ((asked = id), { image, status: 'COMPLETE', severityCounts: { HIGH: 1, LOW: 1 }, findings: [{ name: 'CVE-1', severity: 'HIGH', attributes: [{ key: 'package_name', value: 'curl' }] }, { name: 'CVE-2', severity: 'LOW' }], enhancedFindings: [] }) } } as unknown as AwsEdge,
      clients: { ecr: 'ecr' },
    } as unknown as AwsAccess;
    const gate = await readScanGate(access, '123456789012.dkr.ecr.us-east-1.amazonaws.com/quilt-mcp-server:v1.2.0');
    assert.deepEqual(asked, { repositoryName: 'quilt-mcp-server', imageTag: 'v1.2.0', imageDigest: undefined });
    assert.deepEqual(gate?.blocking, [{ id: 'CVE-1', severity: 'HIGH', packageName: 'curl' }]);
    assert.deepEqual(gate?.counts, { HIGH: 1, LOW: 1 });
  });

  it('counts the findings when the summary has no counts, and reads nothing into a scan that is not finished', async () => {
    const enhanced = [{ severity: 'CRITICAL', packageVulnerabilityDetails: { vulnerabilityId: 'CVE-9', vulnerablePackages: [{ name: 'h11' }] } }];
    const done = await readScanGate(accessAnswering(async () => ({ image, status: 'ACTIVE', severityCounts: {}, findings: [], enhancedFindings: enhanced })), image);
    assert.deepEqual(done?.counts, { CRITICAL: 1 });
    const pending = await readScanGate(accessAnswering(async () => ({ image, status: 'PENDING', severityCounts: {}, findings: [], enhancedFindings: [] })), image);
    assert.deepEqual([pending?.status, pending?.counts, pending?.blocking], ['PENDING', {}, []]);
    assert.equal(scanGateText(pending), '');
  });

  it('says nothing when the scan cannot be read, but a cancel still cancels', async () => {
    assert.equal(await readScanGate(accessAnswering(async () => Promise.reject(Object.assign(new Error('no scan'), { name: 'ImageNotScannedError' }))), image), undefined);
    const abort = new AbortController();
    abort.abort();
    await assert.rejects(readScanGate(accessAnswering(async () => Promise.reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))), image, { signal: abort.signal }), { name: 'AbortError' });
  });
});
