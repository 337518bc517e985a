import { describe, it } from 'node:test';
import { memoryReader } from '../support/memoryReader';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readBuildContext, type BuildContext, type ContextReader } from '../../src/core/scan/buildContext';
import { contextFileFor, placeFindings, type PlacedFinding } from '../../src/core/scan/placeFindings';
import { normalizeFindings, type Finding } from '../../src/core/scan/scanFindings';
import { REPO_ROOT } from '../support/cliProcess';
import { referenceEnhancedFindings } from '../support/scanFindings';


const contextOf = (files: Record<string, string>, dockerfile = 'Dockerfile') => readBuildContext(memoryReader(files), dockerfile);

const finding = (packageName: string, extra: Partial<Finding> = {}): Finding => ({ id: `CVE-2024-${packageName.length}`, severity: 'HIGH', packageName, installedVersion: '1.0', title: 't', ...extra });

function where(placed: PlacedFinding, context: BuildContext, files: Record<string, string>) {
  const text = placed.file === context.dockerfilePath ? context.dockerfileText : files[placed.file];
  return { file: placed.file, line: placed.line, text: text.split('\n')[placed.line].slice(placed.start, placed.end), placement: placed.placement };
}

describe('placing findings', () => {
  const multiStage = {
    Dockerfile: [
      '# syntax=docker/dockerfile:1',
      'ARG BASE=python:3.12-slim',
      'FROM python:3.12 AS builder',
      'RUN apt-get update && apt-get install -y build-essential libxml2-dev',
      'RUN pip wheel --wheel-dir /wheels -r requirements.txt',
      '',
      'FROM ${BASE} AS runtime',
      '# libssl3 comes from the base image; openssl is installed for the CLI',
      'RUN apt-get update \\',
      '    # the comment line is skipped',
      '    && apt-get install -y --no-install-recommends \\',
      '        OpenSSL \\',
      '        libcurl4-openssl-dev \\',
      '    && rm -rf /var/lib/apt/lists/*',
      'COPY --from=builder /wheels /wheels',
      'RUN pip install /wheels/*',
    ].join('\n'),
    'requirements.txt': 'requests==2.31.0\nJinja2==3.1.3\n',
    'services/web/package.json': '{\n  "dependencies": {\n    "express": "4.18.2"\n  }\n}\n',
  };

  it('puts a package installed by a RUN of the final stage on the physical continuation line holding its name', async () => {
    const context = await contextOf(multiStage);
    const { placed } = placeFindings([finding('openssl'), finding('libcurl4-openssl-dev')], context);
    assert.deepEqual(placed.map((p) => where(p, context, multiStage)), [
      { file: 'Dockerfile', line: 11, text: 'OpenSSL', placement: 'run' },
      { file: 'Dockerfile', line: 12, text: 'libcurl4-openssl-dev', placement: 'run' },
    ]);
  });

  it('ignores RUN lines of stages the final image is not built from, and names inside longer names', async () => {
    const context = await contextOf(multiStage);
    const { placed, from } = placeFindings([finding('libxml2-dev'), finding('ssl'), finding('curl')], context);
    for (const p of placed) {
      assert.equal(p.placement, 'baseImage', p.finding.packageName);
      assert.equal(p.line, 6);
      assert.match(p.message, / — comes with the base image python:3\.12-slim$/);
    }
    assert.deepEqual(from, { file: 'Dockerfile', line: 6, start: 5, end: 12, baseImage: 'python:3.12-slim', keyword: { line: 6, start: 0, end: 4 } });
  });

  it('falls back to a manifest in the build context, case-insensitively, before the FROM line', async () => {
    const context = await contextOf(multiStage);
    const { placed } = placeFindings([finding('JINJA2'), finding('Express', { packageManager: 'NPM' }), finding('requests', { packageManager: 'PYTHONPKG' })], context);
    assert.deepEqual(placed.map((p) => where(p, context, multiStage)), [
      { file: 'requirements.txt', line: 0, text: 'requests', placement: 'manifest' },
      { file: 'requirements.txt', line: 1, text: 'Jinja2', placement: 'manifest' },
      { file: 'services/web/package.json', line: 2, text: 'express', placement: 'manifest' },
    ]);
  });

  it('looks only in manifests of the finding\'s package manager, and in none for OS packages', async () => {
    const files = { Dockerfile: 'FROM debian:12\n', 'package.json': '{"dependencies": {"requests": "1.0.0", "zlib": "1.0.0"}}' };
    const context = await contextOf(files);
    const { placed } = placeFindings([finding('requests', { packageManager: 'PYTHONPKG' }), finding('zlib', { packageManager: 'OS' }), finding('zlib')], context);
    assert.deepEqual(placed.map((p) => [p.finding.packageName, p.finding.packageManager ?? '-', p.placement]), [
      ['requests', 'PYTHONPKG', 'baseImage'],
      ['zlib', 'OS', 'baseImage'],
      ['zlib', '-', 'manifest'],
    ]);
  });

  it('prefers direct manifests to lock files, and those nearest the root', async () => {
    const files = {
      Dockerfile: 'FROM python:3.12\nRUN uv sync --frozen\n',
      'uv.lock': '[[package]]\nname = "requests"\nversion = "2.31.0"\n\n[[package]]\nname = "urllib3"\nversion = "2.2.1"\n',
      'pyproject.toml': '[project]\ndependencies = [\n  "requests==2.31.0",\n]\n',
      'libs/inner/pyproject.toml': '[project]\ndependencies = ["requests==2.30.0", "urllib3==2.2.1"]\n',
    };
    const context = await contextOf(files);
    const { placed } = placeFindings([finding('requests'), finding('urllib3')], context);
    assert.deepEqual(placed.map((p) => [p.finding.packageName, p.file, p.line]), [
      ['urllib3', 'libs/inner/pyproject.toml', 1],
      ['requests', 'pyproject.toml', 2],
    ]);
  });

  it('uses an enhanced finding\'s filePath when it names a file of the context, before a RUN match', async () => {
    const files = {
      Dockerfile: 'FROM node:20\nRUN npm install express@4.18.2\n',
      'app/package-lock.json': '{\n  "packages": {\n    "node_modules/express": {"version": "4.18.2"}\n  }\n}\n',
      'app/vendor/tool.jar': 'binary',
    };
    const context = await contextOf(files);
    const { placed } = placeFindings(
      [finding('express', { filePath: '/srv/app/package-lock.json' }), finding('log4j-core', { filePath: 'opt/app/vendor/tool.jar' }), finding('express', { id: 'CVE-2', filePath: '/usr/lib/node_modules/express/package.json' })],
      context,
    );
    assert.deepEqual(placed.map((p) => [p.finding.id, p.file, p.line, p.start, p.end, p.placement]), [
      ['CVE-2', 'Dockerfile', 1, 16, 23, 'run'],
      ['CVE-2024-7', 'app/package-lock.json', 2, 18, 25, 'filePath'],
      ['CVE-2024-10', 'app/vendor/tool.jar', 0, 0, 0, 'filePath'],
    ]);
  });

  it('puts a package found nowhere, or a nameless one, on the final FROM, and says so', async () => {
    const context = await contextOf({ Dockerfile: 'FROM alpine:3.19 AS base\nFROM base\nRUN echo hi\n' });
    const { placed } = placeFindings([finding('busybox'), finding('')], context);
    assert.deepEqual(placed.map((p) => [p.line, p.start, p.end, p.placement]), [[1, 5, 9, 'baseImage'], [1, 5, 9, 'baseImage']]);
    assert.match(placed[0].message, /^CVE-2024-7 busybox 1\.0 \(no fix yet\): t — comes with the base image alpine:3\.19$/);
  });

  it('still places findings when the Dockerfile has no FROM', async () => {
    const context = await contextOf({ Dockerfile: '# empty\n' });
    const { placed } = placeFindings([finding('x')], context);
    assert.deepEqual([placed[0].line, placed[0].placement], [0, 'baseImage']);
    assert.match(placed[0].message, /not installed by this Dockerfile or its manifests$/);
  });

  it('honours a Dockerfile outside the context and a build target', async () => {
    const files = { '../docker/app.Dockerfile': 'FROM debian:12 AS dev\nRUN apt-get install -y gdb\nFROM debian:12-slim AS prod\nRUN apt-get install -y tini\n' };
    const context = await contextOf(files, '../docker/app.Dockerfile');
    assert.deepEqual(placeFindings([finding('gdb')], context, { target: 'dev' }).placed.map((p) => [p.file, p.line, p.placement]), [['../docker/app.Dockerfile', 1, 'run']]);
    assert.deepEqual(placeFindings([finding('gdb')], context).placed.map((p) => [p.line, p.placement]), [[2, 'baseImage']]);
  });

  it('maps severities to editor levels', async () => {
    const context = await contextOf({ Dockerfile: 'FROM x\n' });
    const levels = placeFindings(
      ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNDEFINED'].map((severity) => finding(severity.toLowerCase(), { severity: severity as Finding['severity'] })),
      context,
    ).placed.map((p) => [p.finding.severity, p.level]);
    assert.deepEqual(Object.fromEntries(levels), { CRITICAL: 'error', HIGH: 'error', MEDIUM: 'warning', LOW: 'information', INFORMATIONAL: 'hint', UNDEFINED: 'hint' });
  });
});

describe('the build context walk', () => {
  it('skips installed copies and VCS folders, and stops at the file limit nearest the root first', async () => {
    const files = { Dockerfile: 'FROM x', 'a/b/c/requirements.txt': 'deep==1', 'node_modules/x/package.json': '{}', '.venv/lib/pyproject.toml': '', '.git/config': '', 'package.json': '{}' };
    const full = await contextOf(files);
    assert.deepEqual(full.manifests.map((m) => m.path), ['package.json', 'a/b/c/requirements.txt']);
    assert.equal(full.truncated, false);
    const cut = await readBuildContext(memoryReader(files), 'Dockerfile', { maxFiles: 2, maxDepth: 10 });
    assert.deepEqual(cut.files, ['Dockerfile', 'package.json']);
    assert.equal(cut.truncated, true);
  });

  it('matches a filePath to the longest tail that is a context file', () => {
    const files = new Set(['requirements.txt', 'api/requirements.txt']);
    assert.equal(contextFileFor('/app/api/requirements.txt', files), 'api/requirements.txt');
    assert.equal(contextFileFor('app/requirements.txt', files), 'requirements.txt');
    assert.equal(contextFileFor('/usr/lib/python3/site-packages/x/METADATA', files), undefined);
  });
});

describe('the reference demo workspace', () => {
  const root = path.join(REPO_ROOT, 'test/fixtures/demo-workspace');
  const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
  const lineOf = (file: string, needle: RegExp) => read(file).split('\n').findIndex((l) => needle.test(l));

  it('maps the injected reference findings to the lines that brought each package in', async () => {
    const reader: ContextReader = {
      async listDirectory(dir) {
        return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).map((e) => ({ name: e.name, directory: e.isDirectory() }));
      },
      async readText(file) {
        return read(file);
      },
    };
    const context = await readBuildContext(reader, 'Dockerfile');
    const image = { repositoryName: 'quilt-mcp-server', imageDigest: 'sha256:abc', imageTags: ['latest'] };
    const { placed } = placeFindings(normalizeFindings({ enhancedFindings: referenceEnhancedFindings(image) as never }), context);
    const byPackage = Object.fromEntries(placed.map((p) => [p.finding.packageName, [p.file, p.line, p.placement]]));
    const fromLine = lineOf('Dockerfile', /^FROM /);
    assert.deepEqual(byPackage, {
      'zlib1g-dev': ['Dockerfile', lineOf('Dockerfile', /^\s+zlib1g-dev/), 'run'],
      'libcurl4-openssl-dev': ['Dockerfile', lineOf('Dockerfile', /^\s+libcurl4-openssl-dev/), 'run'],
      h11: ['uv.lock', lineOf('uv.lock', /^name = "h11"/), 'manifest'],
      requests: ['pyproject.toml', lineOf('pyproject.toml', /"requests==/), 'manifest'],
      Jinja2: ['pyproject.toml', lineOf('pyproject.toml', /"jinja2==/), 'manifest'],
      urllib3: ['uv.lock', lineOf('uv.lock', /^name = "urllib3"/), 'manifest'],
      glibc: ['Dockerfile', fromLine, 'baseImage'],
      openssl: ['Dockerfile', fromLine, 'baseImage'],
      tar: ['Dockerfile', fromLine, 'baseImage'],
    });
    const openssl = placed.find((p) => p.finding.packageName === 'openssl')!;
    assert.equal(openssl.message, 'CVE-2024-5535 openssl 3.0.13-1~deb12u1 (fixed in 3.0.14-1~deb12u1): Issue summary: Calling the OpenSSL API function SSL_select_next_proto with an empty supported client protocols buffer may cause a crash or memory contents to… — comes with the base image ghcr.io/astral-sh/uv:python3.12-bookworm-slim');
  });
});
