/** Findings against fake ports: start or read a scan, wait for it, place the findings, count for the gate. */
import { describe, it } from 'node:test';
import { memoryReader } from '../support/memoryReader';
import * as assert from 'node:assert/strict';
import { countAtLeast, placeScanFindings, readFindings } from '../../src/app/scan/findings';
import type { AwsAccess, AwsEdge } from '../../src/app/ports';
import type { Finding, ImageIdentity } from '../../src/core/scan/scanFindings';

const image: ImageIdentity = { repositoryName: 'quilt-mcp-server', imageTag: 'dev' };
const digest = `sha256:${'12'.repeat(32)}`;

function scanEdge(started: { alreadyScannedToday: boolean }, statuses: string[] = ['IN_PROGRESS', 'COMPLETE']) {
  const calls: { start: ImageIdentity[]; wait: Array<{ image: ImageIdentity; scanJustStarted?: boolean; signal?: AbortSignal }> } = { start: [], wait: [] };
  const edge = {
    scan: {
      startImageScan: async (_ecr: unknown, target: ImageIdentity) => {
        calls.start.push(target);
        return { status: 'IN_PROGRESS', alreadyScannedToday: started.alreadyScannedToday, image: { ...target, imageDigest: digest } };
      },
      waitForScanFindings: async (_ecr: unknown, target: ImageIdentity, options: { scanJustStarted?: boolean; signal?: AbortSignal; onStatus?: (s: string) => void }) => {
        calls.wait.push({ image: target, scanJustStarted: options.scanJustStarted, signal: options.signal });
        for (const status of statuses) options.onStatus?.(status);
        return { image: target, status: statuses.at(-1), findings: [], enhancedFindings: [], severityCounts: {}, pages: 1 };
      },
    },
  } as unknown as AwsEdge;
  return { access: { edge, clients: { ecr: 'ecr' } } as unknown as AwsAccess, calls };
}

describe('readFindings', () => {
  it('reads the latest scan without starting one, and waits only when a scan is expected', async () => {
    const { access, calls } = scanEdge({ alreadyScannedToday: false });
    const signal = new AbortController().signal;
    await readFindings({ image, startScan: false }, { access, signal });
    await readFindings({ image, startScan: false, scanExpected: true }, { access });
    assert.deepEqual(calls.start, []);
    assert.deepEqual(calls.wait.map((w) => [w.image, w.scanJustStarted]), [[image, false], [image, true]]);
    assert.equal(calls.wait[0].signal, signal);
  });

  it('starts a scan, then waits on the image by the digest ECR answered, "no scan yet" meaning "wait"', async () => {
    const { access, calls } = scanEdge({ alreadyScannedToday: false });
    const seen: Array<[string | undefined, string | undefined]> = [];
    let already = 0;
    const result = await readFindings({ image, startScan: true }, { access, onStatus: (s, i) => seen.push([s, i.imageDigest]), onAlreadyScannedToday: () => already++ });
    assert.deepEqual(calls.start, [image]);
    assert.deepEqual(calls.wait.map((w) => [w.image.imageDigest, w.scanJustStarted]), [[digest, true]]);
    assert.deepEqual(seen, [['IN_PROGRESS', digest], ['COMPLETE', digest]]);
    assert.equal(already, 0);
    assert.equal(result.status, 'COMPLETE');
  });

  it('says when ECR refused a second scan today, and reads the day\'s scan as an existing one', async () => {
    const { access, calls } = scanEdge({ alreadyScannedToday: true });
    const told: ImageIdentity[] = [];
    await readFindings({ image, startScan: true }, { access, onAlreadyScannedToday: (i) => told.push(i) });
    assert.deepEqual(told, [image]);
    assert.equal(calls.wait[0].scanJustStarted, false);
  });
});


const finding = (packageName: string, severity: Finding['severity']): Finding => ({ id: `CVE-${packageName}`, severity, packageName, installedVersion: '1.0', title: 't' });

describe('placeScanFindings and the gate', () => {
  const files = {
    'docker/Dockerfile': 'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y openssl\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n',
    'requirements.txt': 'requests==2.31.0\n',
  };

  it('places findings on the Dockerfile line and the manifest line that brought each package in', async () => {
    const { placed, truncated, from } = await placeScanFindings([finding('openssl', 'HIGH'), finding('requests', 'MEDIUM')], { reader: memoryReader(files), dockerfile: 'docker/Dockerfile' });
    assert.deepEqual(
      placed.map((p) => [p.finding.packageName, p.file, p.line]),
      [
        ['openssl', 'docker/Dockerfile', 1],
        ['requests', 'requirements.txt', 0],
      ],
    );
    assert.equal(truncated, false);
    assert.equal(from.line, 0);
  });

  it('counts what is at or above the gate\'s severity', async () => {
    const { placed } = await placeScanFindings([finding('openssl', 'CRITICAL'), finding('requests', 'MEDIUM')], { reader: memoryReader(files), dockerfile: 'docker/Dockerfile' });
    assert.equal(countAtLeast(placed, 'CRITICAL'), 1);
    assert.equal(countAtLeast(placed, 'HIGH'), 1);
    assert.equal(countAtLeast(placed, 'MEDIUM'), 2);
    assert.equal(countAtLeast([], 'LOW'), 0);
  });
});
