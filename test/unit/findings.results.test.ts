import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { bumpEdit, chooseFixedVersion, compareVersions } from '../../src/core/scan/bump';
import { findingMessage, firstSentence, imageLabel, normalizeFindings } from '../../src/core/scan/scanFindings';
import { scanStatusMessage, scanStatusOutcome } from '../../src/core/scan/scanStatus';
import { atLeast, countBySeverity, formatSeverityCounts, normalizeSeverity, parseSeverity } from '../../src/core/scan/severity';
import { basicFinding, enhancedFinding } from '../support/scanFindings';

const image = { repositoryName: 'svc', imageDigest: 'sha256:1', imageTags: ['v1'] };

describe('scan results as findings', () => {
  it('reads a basic finding: package from attributes, title from the description, no fix known', () => {
    const [f] = normalizeFindings({ findings: [basicFinding({ id: 'CVE-2024-2398', severity: 'HIGH', packageName: 'curl', packageVersion: '7.88.1-10+deb12u5', description: 'libcurl leaks memory. More text follows here.' })] as never });
    assert.deepEqual(f, { id: 'CVE-2024-2398', url: 'https://security-tracker.debian.org/tracker/CVE-2024-2398', severity: 'HIGH', packageName: 'curl', installedVersion: '7.88.1-10+deb12u5', title: 'libcurl leaks memory.' });
    assert.equal(findingMessage(f), 'CVE-2024-2398 curl 7.88.1-10+deb12u5 (no fix yet): libcurl leaks memory.');
  });

  it('reads an enhanced finding: epoch/version/release, fixed version without epoch 0, file path, package manager', () => {
    const raw = enhancedFinding({ id: 'CVE-2023-45853', severity: 'CRITICAL', packageName: 'zlib1g-dev', epoch: 1, version: '1.2.13.dfsg', release: '1', fixedInVersion: '0:1.2.13.dfsg-1+deb12u1', packageManager: 'OS', description: 'MiniZip overflows.' }, image);
    const [f] = normalizeFindings({ enhancedFindings: [raw] as never });
    assert.equal(f.installedVersion, '1:1.2.13.dfsg-1');
    assert.equal(f.fixedVersion, '1.2.13.dfsg-1+deb12u1');
    assert.equal(f.url, 'https://nvd.nist.gov/vuln/detail/CVE-2023-45853');
    assert.equal(f.packageManager, 'OS');
    // The title only repeats "CVE - package": the description says more.
    assert.equal(findingMessage(f), 'CVE-2023-45853 zlib1g-dev 1:1.2.13.dfsg-1 (fixed in 1.2.13.dfsg-1+deb12u1): MiniZip overflows.');
  });

  it('keeps a descriptive enhanced title, reads NotAvailable as no fix, one finding per vulnerable package', () => {
    const raw = enhancedFinding({ id: 'GHSA-xxxx', severity: 'untriaged', title: 'Request smuggling in h11', packageName: 'h11', version: '0.14.0', packageManager: 'PYTHONPKG', filePath: 'app/site-packages/h11/METADATA', description: 'd.' }, image);
    raw.packageVulnerabilityDetails.vulnerablePackages.push({ ...raw.packageVulnerabilityDetails.vulnerablePackages[0], name: 'h11-vendored', version: '0.13.0' });
    const found = normalizeFindings({ enhancedFindings: [raw] as never });
    assert.deepEqual(found.map((f) => [f.packageName, f.installedVersion, f.fixedVersion, f.severity, f.filePath]), [
      ['h11', '0.14.0', undefined, 'UNDEFINED', 'app/site-packages/h11/METADATA'],
      ['h11-vendored', '0.13.0', undefined, 'UNDEFINED', 'app/site-packages/h11/METADATA'],
    ]);
    assert.equal(findingMessage(found[0]), 'GHSA-xxxx h11 0.14.0 (no fix yet): Request smuggling in h11');
  });

  it('counts a package reported by both shapes once, keeping the enhanced one', () => {
    const basic = basicFinding({ id: 'CVE-1', severity: 'HIGH', packageName: 'OpenSSL', packageVersion: '3.0.13', description: 'x' });
    const enhanced = enhancedFinding({ id: 'CVE-1', severity: 'HIGH', packageName: 'openssl', version: '3.0.13', fixedInVersion: '3.0.14', packageManager: 'OS', description: 'x' }, image);
    const found = normalizeFindings({ findings: [basic] as never, enhancedFindings: [enhanced] as never });
    assert.deepEqual(found.map((f) => f.fixedVersion), ['3.0.14']);
  });

  it('says what is unknown rather than printing undefined', () => {
    assert.equal(findingMessage({ id: 'CVE-9', severity: 'LOW', packageName: '', title: '' }), 'CVE-9 (unknown package) (version unknown) (no fix yet)');
  });

  it('cuts long descriptions at a word', () => {
    assert.equal(firstSentence(`${'word '.repeat(40)}end.`, 30), 'word word word word word…');
    assert.equal(firstSentence('  One.  Two. '), 'One.');
    assert.equal(firstSentence(undefined), '');
  });

  it('labels the image as repository:tag@digest', () => {
    assert.equal(imageLabel({ repositoryName: 'r', imageTag: 't', imageDigest: 'sha256:d' }), 'r:t@sha256:d');
    assert.equal(imageLabel({ repositoryName: 'r', imageDigest: 'sha256:d' }), 'r@sha256:d');
  });
});

describe('severities', () => {
  it('orders, parses and counts', () => {
    assert.ok(atLeast('CRITICAL', 'HIGH'));
    assert.ok(atLeast('HIGH', 'HIGH'));
    assert.ok(!atLeast('MEDIUM', 'HIGH'));
    assert.ok(!atLeast('UNDEFINED', 'INFORMATIONAL'));
    assert.equal(parseSeverity('high'), 'HIGH');
    assert.equal(parseSeverity('severe'), undefined);
    assert.equal(normalizeSeverity('UNTRIAGED'), 'UNDEFINED');
    assert.equal(formatSeverityCounts(countBySeverity(['HIGH', 'CRITICAL', 'HIGH', 'LOW'])), '1 critical · 2 high · 1 low');
    assert.equal(formatSeverityCounts({}), 'no findings');
  });
});

describe('scan status', () => {
  it('tells waiting, ready and failed statuses apart', () => {
    assert.deepEqual(['IN_PROGRESS', 'PENDING', 'COMPLETE', 'ACTIVE', 'FAILED', 'UNSUPPORTED_IMAGE', 'FINDINGS_UNAVAILABLE', undefined].map(scanStatusOutcome), ['waiting', 'waiting', 'ready', 'ready', 'failed', 'failed', 'failed', 'failed']);
  });

  it('explains each failure in one line with AWS\'s own words', () => {
    assert.equal(scanStatusMessage('r:t', 'UNSUPPORTED_IMAGE', 'UnsupportedImageError: The operating system and/or package manager are not supported.\nmore'), 'r:t: ECR cannot scan this image (its operating system or media type is not supported) (UNSUPPORTED_IMAGE: UnsupportedImageError: The operating system and/or package manager are not supported.).');
    assert.equal(scanStatusMessage('r:t', 'FINDINGS_UNAVAILABLE', undefined), 'r:t: findings are not available for this image (enhanced scanning no longer monitors it) (FINDINGS_UNAVAILABLE).');
    assert.equal(scanStatusMessage('r:t', 'constructor', ''), 'r:t: the scan ended with status constructor (constructor).');
  });
});

describe('bumping a pinned version', () => {
  it('compares versions numerically', () => {
    assert.ok(compareVersions('1.10.0', '1.9.2') > 0);
    assert.ok(compareVersions('v0.23.0', '0.17.0') > 0);
    assert.ok(compareVersions('2.2', '2.2.0') < 0);
    assert.equal(compareVersions('3.1.4', '3.1.4'), 0);
  });

  it('chooses the lowest fixed version above the pin', () => {
    assert.equal(chooseFixedVersion('2.2.2, 1.26.19', '2.2.1'), '2.2.2');
    assert.equal(chooseFixedVersion('2.2.2, 1.26.19', '1.26.5'), '1.26.19');
    assert.equal(chooseFixedVersion('2.2.2', '2.3.0'), undefined);
  });

  it('rewrites only the version of the pinned package on that line, in each manifest that pins', () => {
    const cases: Array<[Parameters<typeof bumpEdit>[0], string, number, string, string, string]> = [
      ['requirements', 'flask==2.0\nRequests==2.31.0 # pinned\n', 1, 'requests', '2.32.0', 'Requests==2.32.0 # pinned'],
      ['pyproject', '[project]\ndependencies = [\n  "jinja2==3.1.3",\n]\n', 2, 'Jinja2', '3.1.4', '  "jinja2==3.1.4",'],
      ['packageJson', '{\n  "dependencies": {\n    "express": "^4.18.2"\n  }\n}', 2, 'express', '4.19.2', '    "express": "^4.19.2"'],
      ['goMod', 'module m\nrequire golang.org/x/net v0.17.0\n', 1, 'golang.org/x/net', '0.23.0', 'require golang.org/x/net v0.23.0'],
    ];
    for (const [kind, text, line, name, fixed, expected] of cases) {
      const edit = bumpEdit(kind, text, line, name, fixed);
      assert.ok(edit, kind);
      const original = text.split('\n')[line];
      assert.equal(original.slice(0, edit.start) + edit.to + original.slice(edit.end), expected, kind);
    }
  });

  it('offers nothing for lock files, ranges, other lines or versions already fixed', () => {
    assert.equal(bumpEdit('uvLock', '[[package]]\nname = "requests"\nversion = "2.31.0"\n', 1, 'requests', '2.32.0'), undefined);
    assert.equal(bumpEdit('requirements', 'requests>=2.0,<3\n', 0, 'requests', '2.32.0'), undefined);
    assert.equal(bumpEdit('requirements', 'requests==2.31.0\n', 1, 'requests', '2.32.0'), undefined);
    assert.equal(bumpEdit('requirements', 'requests==2.32.3\n', 0, 'requests', '2.32.0'), undefined);
    assert.equal(bumpEdit('requirements', 'urllib3==2.2.1\n', 0, 'requests', '2.32.0'), undefined);
  });
});

describe('after a bump', () => {
  it('names the lock file beside the manifest and the command that updates it; none where there is none', async () => {
    const { lockFileAdvice } = await import('../../src/core/scan/bump');
    assert.deepEqual(lockFileAdvice('pyproject', 'requests', ['Dockerfile', 'pyproject.toml', 'uv.lock']), { lockFile: 'uv.lock', command: 'uv lock --upgrade-package requests' });
    assert.deepEqual(lockFileAdvice('pyproject', 'requests', ['pyproject.toml', 'poetry.lock']), { lockFile: 'poetry.lock', command: 'poetry update --lock requests' });
    assert.deepEqual(lockFileAdvice('packageJson', 'jinja', ['package.json', 'package-lock.json']), { lockFile: 'package-lock.json', command: 'npm install --package-lock-only' });
    assert.deepEqual(lockFileAdvice('goMod', 'golang.org/x/net', ['go.mod', 'go.sum']), { lockFile: 'go.sum', command: 'go mod tidy' });
    assert.equal(lockFileAdvice('requirements', 'requests', ['requirements.txt']), undefined);
    assert.equal(lockFileAdvice('pyproject', 'requests; rm -rf /', ['uv.lock'])?.command, 'uv lock --upgrade-package requestsrm-rf/');
  });

  it('a manifest that pins past the installed version no longer holds the finding', async () => {
    const { pinnedPastInstalled } = await import('../../src/core/scan/bump');
    assert.equal(pinnedPastInstalled('2.32.0', '2.31.0'), true);
    assert.equal(pinnedPastInstalled('2.31.0', '2.31.0'), false);
    assert.equal(pinnedPastInstalled(undefined, '2.31.0'), false);
    assert.equal(pinnedPastInstalled('2.32.0', undefined), false);
  });
});
