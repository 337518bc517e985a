import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ImageNotScannedError, readScanFindings, startImageScan, waitForScanFindings } from '../../src/aws/scan';
import { readBuildContext } from '../../src/core/scan/buildContext';
import { placeFindings } from '../../src/core/scan/placeFindings';
import { normalizeFindings } from '../../src/core/scan/scanFindings';
import { diskContextReader } from '../../src/cli/findings';
import { readScanGate, scanGateText } from '../../src/app/scan/scanGate';
import { REFERENCE } from '../support/referenceWorld';
import { useReferenceMoto } from '../support/referenceMoto';
import { REPO_ROOT, runCliProcess } from '../support/cliProcess';
import { basicFinding, describeImage, injectReferenceScanFindings, injectScanResults, scanResponse } from '../support/scanFindings';

const DEMO = path.join(REPO_ROOT, 'test/fixtures/demo-workspace');
const lineOf = (file: string, needle: RegExp) => fs.readFileSync(path.join(DEMO, file), 'utf8').split('\n').findIndex((l) => needle.test(l)) + 1;

describe('scan findings against moto (injected basic and enhanced results)', () => {
  const world = useReferenceMoto();
  const cli = (...args: string[]) => runCliProcess(['findings', '--endpoint-url', world.moto.endpoint, '--region', 'us-east-1', '--repository', REFERENCE.repository, ...args]);

  it('starts a scan, waits, reads the enhanced findings and maps each to the line that brought it in', async () => {
    const { latest } = await injectReferenceScanFindings(world.moto.endpoint, world.clients.ecr, { startScans: false });
    const started = await startImageScan(world.clients.ecr, { repositoryName: REFERENCE.repository, imageTag: 'latest' });
    assert.equal(started.alreadyScannedToday, false);
    assert.equal(started.image.imageDigest, latest.imageDigest);
    const statuses: Array<string | undefined> = [];
    const result = await waitForScanFindings(world.clients.ecr, started.image, { scanJustStarted: true, onStatus: (s) => statuses.push(s) });
    assert.deepEqual(statuses, ['ACTIVE']);
    assert.equal(result.enhancedFindings.length, 9);
    assert.equal(result.findings.length, 0);
    assert.equal(result.image.imageDigest, latest.imageDigest);

    const context = await readBuildContext(diskContextReader(DEMO), 'Dockerfile');
    const { placed } = placeFindings(normalizeFindings(result), context);
    const at = Object.fromEntries(placed.map((p) => [p.finding.packageName, `${p.file}:${p.line + 1}`]));
    assert.equal(at['libcurl4-openssl-dev'], `Dockerfile:${lineOf('Dockerfile', /^\s+libcurl4-openssl-dev/)}`);
    assert.equal(at['zlib1g-dev'], `Dockerfile:${lineOf('Dockerfile', /^\s+zlib1g-dev/)}`);
    assert.equal(at.requests, `pyproject.toml:${lineOf('pyproject.toml', /"requests==2\.31\.0"/)}`);
    assert.equal(at.urllib3, `uv.lock:${lineOf('uv.lock', /^name = "urllib3"/)}`);
    assert.equal(at.openssl, `Dockerfile:${lineOf('Dockerfile', /^FROM /)}`);
  });

  it('a second scan of the image the same day is refused (LimitExceededException) and the last result still reads', async () => {
    const { latest } = await injectReferenceScanFindings(world.moto.endpoint, world.clients.ecr);
    const again = await startImageScan(world.clients.ecr, { repositoryName: REFERENCE.repository, imageDigest: latest.imageDigest });
    assert.equal(again.alreadyScannedToday, true);
    const result = await readScanFindings(world.clients.ecr, again.image);
    assert.equal(result.status, 'ACTIVE');
    assert.equal(result.enhancedFindings.length, 9);
  });

  it('an image never scanned says so', async () => {
    await assert.rejects(readScanFindings(world.clients.ecr, { repositoryName: REFERENCE.repository, imageTag: 'pr-123' }), ImageNotScannedError);
  });

  it('the deploy confirmation\'s scan words: the image a task definition names, its critical and high findings named; nothing for an unscanned image', async () => {
    const { latest } = await injectReferenceScanFindings(world.moto.endpoint, world.clients.ecr);
    const access = { edge: await import('../../src/aws/index'), clients: world.clients };
    const gate = await readScanGate(access, `${world.seeded.repositoryUri}@${latest.imageDigest}`);
    assert.deepEqual(gate?.counts, { CRITICAL: 2, HIGH: 2, MEDIUM: 3, LOW: 1, INFORMATIONAL: 1 });
    assert.equal(
      scanGateText(gate),
      'quilt-mcp-server:latest: 4 findings critical or high (2 critical · 2 high): CVE-2023-45853 (zlib1g-dev), CVE-2025-43859 (h11), CVE-2024-2398 (libcurl4-openssl-dev) and 1 more.',
    );
    assert.equal(await readScanGate(access, `${world.seeded.repositoryUri}:pr-123`), undefined);
    assert.equal(scanGateText(await readScanGate(access, `${world.seeded.repositoryUri}:pr-123`)), '');
  });

  it('CLI --output json: one row per finding with file, 1-based line, severity, code, package, versions, message', async () => {
    await injectReferenceScanFindings(world.moto.endpoint, world.clients.ecr);
    const result = await cli('--tag', 'latest', '--context', DEMO, '--output', 'json');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    const rows = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    assert.equal(rows.length, 9);
    for (const row of rows) assert.deepEqual(Object.keys(row), ['file', 'line', 'severity', 'code', 'package', 'installedVersion', 'fixedVersion', 'message']);
    assert.deepEqual(
      rows.find((r) => r.package === 'requests'),
      {
        file: 'pyproject.toml',
        line: lineOf('pyproject.toml', /"requests==2\.31\.0"/),
        severity: 'warning',
        code: 'CVE-2024-35195',
        package: 'requests',
        installedVersion: '2.31.0',
        fixedVersion: '2.32.0',
        message: 'CVE-2024-35195 requests 2.31.0 (fixed in 2.32.0): Requests is a HTTP library.',
      },
    );
    const zlib = rows.find((r) => r.package === 'zlib1g-dev')!;
    assert.deepEqual([zlib.file, zlib.line, zlib.severity, zlib.fixedVersion], ['Dockerfile', lineOf('Dockerfile', /^\s+zlib1g-dev/), 'error', null]);
    assert.match(String(zlib.message), /^CVE-2023-45853 zlib1g-dev 1:1\.2\.13\.dfsg-1 \(no fix yet\): MiniZip/);
    const tar = rows.find((r) => r.package === 'tar')!;
    assert.deepEqual([tar.line, tar.severity], [lineOf('Dockerfile', /^FROM /), 'hint']);
    assert.match(String(tar.message), /comes with the base image ghcr\.io\/astral-sh\/uv:python3\.12-bookworm-slim$/);
  });

  it('CLI text output of basic findings: compiler-style lines and a summary', async () => {
    await injectReferenceScanFindings(world.moto.endpoint, world.clients.ecr);
    const result = await cli('--tag', 'dev', '--dockerfile', path.join(DEMO, 'Dockerfile'));
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    const from = lineOf('Dockerfile', /^FROM /);
    assert.deepEqual(lines.slice(0, 3), [
      `Dockerfile:${from}: error: CVE-2024-2398 curl 7.88.1-10+deb12u5 (no fix yet): When an application tells libcurl it wants to allow HTTP/2 server push, libcurl inadvertently does not free all the previously allocated headers. — comes with the base image ghcr.io/astral-sh/uv:python3.12-bookworm-slim`,
      `Dockerfile:${from}: error: CVE-2023-45853 zlib 1:1.2.13.dfsg-1 (no fix yet): MiniZip in zlib through 1.3 has an integer overflow and resultant heap-based buffer overflow in zipOpenNewFileInZip4_64. — comes with the base image ghcr.io/astral-sh/uv:python3.12-bookworm-slim`,
      `Dockerfile:${from}: information: CVE-2024-5535 openssl 3.0.13-1~deb12u1 (no fix yet): Calling the OpenSSL API function SSL_select_next_proto with an empty supported client protocols buffer may cause a crash. — comes with the base image ghcr.io/astral-sh/uv:python3.12-bookworm-slim`,
    ]);
    assert.match(lines[3], /^3 findings \(1 critical · 1 high · 1 low\) in quilt-mcp-server:dev@sha256:[0-9a-f]{64}, scan COMPLETE\.$/);
  });

  it('CLI --fail-on: exit 1 with one line when a finding is at or above, 0 otherwise', async () => {
    await injectReferenceScanFindings(world.moto.endpoint, world.clients.ecr);
    const pr = await describeImage(world.clients.ecr, REFERENCE.repository, 'pr-123');
    await injectScanResults(world.moto.endpoint, [scanResponse({ ...pr, imageTag: 'pr-123' }, { findings: [basicFinding({ id: 'CVE-2011-3374', severity: 'LOW', packageName: 'apt', packageVersion: '2.6.1', description: 'apt-key does not check the keyring.' })] })]);

    const failing = await cli('--tag', 'latest', '--context', DEMO, '--fail-on', 'HIGH', '--output', 'json');
    assert.equal(failing.code, 1);
    assert.equal((JSON.parse(failing.stdout) as unknown[]).length, 9, 'the findings are still printed');
    assert.equal(failing.stderr, 'ecr-deploy findings: 4 findings at or above high.\n');

    const passing = await cli('--tag', 'pr-123', '--scan', '--context', DEMO, '--fail-on', 'medium');
    assert.equal(passing.code, 0, passing.stderr);
    assert.match(passing.stdout, /^Dockerfile:\d+: information: CVE-2011-3374 apt 2\.6\.1 \(no fix yet\)/);
    const low = await cli('--tag', 'pr-123', '--context', DEMO, '--fail-on', 'low');
    assert.equal(low.code, 1);
    assert.equal(low.stderr, 'ecr-deploy findings: 1 finding at or above low.\n');
  });

  it('CLI --scan on an image that was never scanned starts the scan; without it, says how to get one', async () => {
    const notScanned = await cli('--tag', 'commit-abc123', '--context', DEMO);
    assert.equal(notScanned.code, 1);
    assert.match(notScanned.stderr, /^ecr-deploy findings: quilt-mcp-server:commit-abc123 has not been scanned yet\. Run again with --scan, or push with scan on push on\.\n$/);
    // moto's own placeholder result (package "moto_fake") when nothing was injected for the image.
    const scanned = await cli('--tag', 'commit-abc123', '--scan', '--context', DEMO, '--output', 'json');
    assert.equal(scanned.code, 0, scanned.stderr);
    assert.deepEqual((JSON.parse(scanned.stdout) as Array<{ package: string }>).map((r) => r.package), ['moto_fake']);
    const secondScan = await cli('--tag', 'commit-abc123', '--scan', '--context', DEMO, '--output', 'json');
    assert.equal(secondScan.code, 0);
    assert.match(secondScan.stderr, /was already scanned today \(ECR allows one scan a day\); reading that scan\./);
  });

  it('CLI usage errors exit 2; a missing Dockerfile or image exits 1 with one line', async () => {
    for (const args of [['--tag', 'a', '--digest', 'sha256:b'], [], ['--tag', 'latest', '--fail-on', 'severe']]) {
      const result = await cli(...args);
      assert.equal(result.code, 2, args.join(' '));
      assert.equal(result.stderr.trim().split('\n').length, 1);
    }
    const noDockerfile = await cli('--tag', 'latest', '--context', path.join(DEMO, 'src'));
    assert.equal(noDockerfile.code, 1);
    assert.match(noDockerfile.stderr, /^ecr-deploy findings: no Dockerfile at .*src\/Dockerfile: pass --dockerfile/);
    const noImage = await cli('--tag', 'no-such-tag', '--context', DEMO);
    assert.equal(noImage.code, 1);
    assert.equal(noImage.stderr.trim().split('\n').length, 1);
    assert.match(noImage.stderr, /no-such-tag/);
  });
});
