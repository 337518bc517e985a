/**
 * The scan edge over scripted ECR answers. A client mock, not moto, because moto 5.2.1 cannot produce
 * these: it answers COMPLETE at once (never IN_PROGRESS, FAILED, UNSUPPORTED_IMAGE or
 * FINDINGS_UNAVAILABLE), and it ignores `nextToken` on DescribeImageScanFindings (no pagination).
 * What moto can do (injected findings, LimitExceededException) is covered in test/integration.
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { mockClient } from 'aws-sdk-client-mock';
import { type DescribeImageScanFindingsResponse, type ScanStatus, DescribeImageScanFindingsCommand, DescribeRepositoriesCommand, ECRClient, GetRegistryScanningConfigurationCommand, StartImageScanCommand } from '@aws-sdk/client-ecr';
import { ImageNotScannedError, readScanFindings, ScanNotStartedError, scansOnPush, ScanTimeoutError, ScanUnavailableError, startImageScan, waitForScanFindings } from '../../src/aws/scan';

const image = { repositoryName: 'quilt-mcp-server', imageTag: 'v1.0.0', imageDigest: 'sha256:aaa' };
const status = (s: string, description?: string): DescribeImageScanFindingsResponse => ({ imageScanStatus: { status: s as ScanStatus, description }, imageId: { imageDigest: image.imageDigest, imageTag: 'v1.0.0' } });
const awsError = (name: string) => Object.assign(new Error(name), { name, $metadata: {} });

describe('scan edge (client mock: statuses and pages moto cannot produce)', () => {
  const ecrMock = mockClient(ECRClient);
  const ecr = new ECRClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const sleeps: number[] = [];
  const noSleep = async (ms: number) => {
    sleeps.push(ms);
  };

  beforeEach(() => {
    ecrMock.reset();
    sleeps.length = 0;
  });
  afterEach(() => ecrMock.reset());

  it('waits through IN_PROGRESS to COMPLETE, reporting each status, with a growing interval', async () => {
    ecrMock
      .on(DescribeImageScanFindingsCommand)
      .resolvesOnce(status('IN_PROGRESS'))
      .resolvesOnce(status('IN_PROGRESS'))
      .resolvesOnce(status('IN_PROGRESS'))
      .resolves({ ...status('COMPLETE'), imageScanFindings: { findings: [{ name: 'CVE-1', severity: 'HIGH' }], findingSeverityCounts: { HIGH: 1 } } } as never);
    const seen: Array<string | undefined> = [];
    const result = await waitForScanFindings(ecr, image, { sleep: noSleep, onStatus: (s) => seen.push(s), pollIntervalMs: 1000, maxPollIntervalMs: 2000 });
    assert.deepEqual(seen, ['IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'COMPLETE']);
    assert.deepEqual(sleeps, [1000, 1500, 2000]);
    assert.equal(result.findings.length, 1);
    assert.deepEqual(result.severityCounts, { HIGH: 1 });
    // Asked by digest: a tag may move to another image while we wait.
    assert.deepEqual(ecrMock.commandCalls(DescribeImageScanFindingsCommand)[0].args[0].input.imageId, { imageDigest: 'sha256:aaa' });
  });

  it('treats ACTIVE (enhanced scanning) as ready', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).resolvesOnce(status('PENDING')).resolves({ ...status('ACTIVE'), imageScanFindings: { enhancedFindings: [{ title: 'x' }] } } as never);
    const result = await waitForScanFindings(ecr, image, { sleep: noSleep });
    assert.equal(result.status, 'ACTIVE');
    assert.equal(result.enhancedFindings.length, 1);
  });

  for (const failed of ['FAILED', 'UNSUPPORTED_IMAGE', 'FINDINGS_UNAVAILABLE']) {
    it(`ends with a message for ${failed}`, async () => {
      ecrMock.on(DescribeImageScanFindingsCommand).resolvesOnce(status('IN_PROGRESS')).resolves(status(failed, 'AWS says why'));
      await assert.rejects(waitForScanFindings(ecr, image, { sleep: noSleep }), (error: unknown) => {
        assert.ok(error instanceof ScanUnavailableError);
        assert.equal(error.status, failed);
        assert.match(error.message, new RegExp(`^quilt-mcp-server:v1\\.0\\.0@sha256:aaa: .*\\(${failed}: AWS says why\\)\\.$`));
        return true;
      });
    });
  }

  it('gives up after the timeout with the last status, and never sleeps past it', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).resolves(status('IN_PROGRESS'));
    let clock = 0;
    const error = await waitForScanFindings(ecr, image, { sleep: async (ms) => void (clock += ms), now: () => clock, pollIntervalMs: 1000, maxPollIntervalMs: 1000, timeoutMs: 5000 }).catch((e: unknown) => e);
    assert.ok(error instanceof ScanTimeoutError);
    assert.equal(error.message, 'quilt-mcp-server:v1.0.0: scan still in progress after 5 s; show its findings again later.');
    assert.equal(clock, 5000);
  });

  it('gives up on a scan that never registers after a push (scan on push that did not start), sooner than on a pending one', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).rejects(awsError('ScanNotFoundException'));
    let clock = 0;
    const seen: Array<string | undefined> = [];
    const error = await waitForScanFindings(ecr, image, { scanJustStarted: true, sleep: async (ms) => void (clock += ms), now: () => clock, onStatus: (s) => seen.push(s), pollIntervalMs: 1000, maxPollIntervalMs: 10_000, notStartedTimeoutMs: 60_000 }).catch((e: unknown) => e);
    assert.ok(error instanceof ScanNotStartedError, String(error));
    assert.ok(clock <= 60_000 && clock > 30_000, `waited ${clock} ms`);
    assert.match(error.message, /^quilt-mcp-server:v1\.0\.0: no scan has started after \d+ s; Scan Image starts one\.$/);
    assert.ok(seen.every((s) => s === 'PENDING'));
    // Once registered, the longer bound for a pending scan applies instead.
    ecrMock.reset();
    ecrMock.on(DescribeImageScanFindingsCommand).rejectsOnce(awsError('ScanNotFoundException')).resolves(status('PENDING'));
    clock = 0;
    const pending = await waitForScanFindings(ecr, image, { scanJustStarted: true, sleep: async (ms) => void (clock += ms), now: () => clock, pollIntervalMs: 1000, maxPollIntervalMs: 10_000, notStartedTimeoutMs: 5000, timeoutMs: 120_000 }).catch((e: unknown) => e);
    assert.ok(pending instanceof ScanTimeoutError, String(pending));
    assert.ok(clock > 60_000, `waited ${clock} ms`);
    assert.match(pending.message, /scan still pending after 1 min \d+ s/);
  });

  it('right after a start, "no scan yet" means keep waiting; otherwise it is an answer', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).rejectsOnce(awsError('ScanNotFoundException')).resolves(status('COMPLETE'));
    const seen: Array<string | undefined> = [];
    await waitForScanFindings(ecr, image, { sleep: noSleep, scanJustStarted: true, onStatus: (s) => seen.push(s) });
    assert.deepEqual(seen, ['PENDING', 'COMPLETE']);
    ecrMock.reset();
    ecrMock.on(DescribeImageScanFindingsCommand).rejects(awsError('ScanNotFoundException'));
    await assert.rejects(waitForScanFindings(ecr, image, { sleep: noSleep }), ImageNotScannedError);
  });

  it('stops waiting when cancelled', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).resolves(status('IN_PROGRESS'));
    const abort = new AbortController();
    const waiting = waitForScanFindings(ecr, image, { signal: abort.signal, pollIntervalMs: 60_000 });
    setTimeout(() => abort.abort(), 20);
    await assert.rejects(waiting, (e: Error) => e.name === 'AbortError');
  });

  it('reads every page of basic and enhanced findings, following nextToken', async () => {
    const page = (n: number, nextToken?: string) => ({ ...status('COMPLETE'), nextToken, imageScanFindings: { findings: [{ name: `CVE-${n}` }], enhancedFindings: [{ title: `E-${n}` }], findingSeverityCounts: { HIGH: 3 } } }) as never;
    ecrMock.on(DescribeImageScanFindingsCommand).resolves(page(0, 't1'));
    ecrMock.on(DescribeImageScanFindingsCommand, { nextToken: 't1' }).resolves(page(1, 't2'));
    ecrMock.on(DescribeImageScanFindingsCommand, { nextToken: 't2' }).resolves(page(2));
    const result = await readScanFindings(ecr, image);
    assert.equal(result.pages, 3);
    assert.deepEqual(result.findings.map((f) => f.name), ['CVE-0', 'CVE-1', 'CVE-2']);
    assert.deepEqual(result.enhancedFindings.map((f) => f.title), ['E-0', 'E-1', 'E-2']);
    assert.deepEqual(ecrMock.commandCalls(DescribeImageScanFindingsCommand).map((c) => c.args[0].input.nextToken), [undefined, 't1', 't2']);
  });

  it('reads no further pages of a scan that is not finished', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).resolves({ ...status('IN_PROGRESS'), nextToken: 'x' } as never);
    const result = await readScanFindings(ecr, image);
    assert.equal(result.pages, 1);
    assert.equal(ecrMock.commandCalls(DescribeImageScanFindingsCommand).length, 1);
  });

  it('start: reports the scan, and a second scan the same day as already scanned', async () => {
    ecrMock.on(StartImageScanCommand).resolvesOnce({ imageScanStatus: { status: 'IN_PROGRESS' }, imageId: { imageDigest: 'sha256:aaa', imageTag: 'v1.0.0' } }).rejects(awsError('LimitExceededException'));
    assert.deepEqual(await startImageScan(ecr, { repositoryName: 'quilt-mcp-server', imageTag: 'v1.0.0' }), { status: 'IN_PROGRESS', alreadyScannedToday: false, image });
    assert.equal((await startImageScan(ecr, image)).alreadyScannedToday, true);
    ecrMock.on(StartImageScanCommand).rejects(awsError('ImageNotFoundException'));
    await assert.rejects(startImageScan(ecr, image), { name: 'ImageNotFoundException' });
  });

  it('scan on push: the repository setting, else a registry rule that matches, else no', async () => {
    ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [{ imageScanningConfiguration: { scanOnPush: false } }] });
    ecrMock.on(GetRegistryScanningConfigurationCommand).resolves({ scanningConfiguration: { scanType: 'ENHANCED', rules: [{ scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [{ filter: 'quilt-*', filterType: 'WILDCARD' }] }] } });
    assert.equal(await scansOnPush(ecr, 'quilt-mcp-server'), true);
    assert.equal(await scansOnPush(ecr, 'other'), false);
    ecrMock.on(GetRegistryScanningConfigurationCommand).rejects(awsError('AccessDeniedException'));
    assert.equal(await scansOnPush(ecr, 'quilt-mcp-server'), false);
    ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [{ imageScanningConfiguration: { scanOnPush: true } }] });
    assert.equal(await scansOnPush(ecr, 'quilt-mcp-server'), true);
  });
});
