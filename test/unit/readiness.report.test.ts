import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { countAtOrAbove, readinessMarkdown, readinessToSarif, textLine, toRow } from '../../src/core/readiness/report';
import { readinessErrorsOfRevision } from '../../src/app/readiness/deployGate';
import type { ReadinessFinding } from '../../src/core/readiness/finding';

const findings: ReadinessFinding[] = [
  { file: 'docker/Dockerfile', line: 3, column: 6, endColumn: 12, rule: 'dockerfile/unpinned-base', severity: 'warning', message: 'Pin it.' },
  { file: 'repository web', line: 1, column: 1, rule: 'repository/public-policy', severity: 'error', message: 'Public.' },
  { file: 'repository web', line: 1, column: 1, rule: 'repository/aes256', severity: 'info', message: 'KMS.' },
];

describe('readiness: the CLI\'s report formats', () => {
  it('JSON rows have exactly file, line, column, rule, severity, message', () => {
    assert.deepEqual(toRow(findings[0]!), { file: 'docker/Dockerfile', line: 3, column: 6, rule: 'dockerfile/unpinned-base', severity: 'warning', message: 'Pin it.' });
    assert.equal(textLine(findings[1]!), 'repository web:1:1: error repository/public-policy: Public.');
  });

  it('counts at or above a threshold', () => {
    assert.equal(countAtOrAbove(findings, 'error'), 1);
    assert.equal(countAtOrAbove(findings, 'warning'), 2);
    assert.equal(countAtOrAbove(findings, 'info'), 3);
  });

  it('SARIF 2.1.0: one rule per rule used, files as physical locations, AWS resources as logical ones, levels mapped', () => {
    const sarif = readinessToSarif(findings, { toolVersion: '1.2.3', isFile: (f) => !f.startsWith('repository ') }) as {
      version: string;
      runs: Array<{ tool: { driver: { name: string; version: string; rules: Array<{ id: string }> } }; results: Array<{ ruleId: string; ruleIndex: number; level: string; locations: Array<{ physicalLocation?: unknown; logicalLocations?: unknown }> }> }>;
    };
    assert.equal(sarif.version, '2.1.0');
    const [run] = sarif.runs;
    assert.equal(run!.tool.driver.name, 'ecr-deploy');
    assert.deepEqual(run!.tool.driver.rules.map((r) => r.id), ['dockerfile/unpinned-base', 'repository/public-policy', 'repository/aes256']);
    assert.deepEqual(run!.results.map((r) => [r.ruleId, r.ruleIndex, r.level]), [['dockerfile/unpinned-base', 0, 'warning'], ['repository/public-policy', 1, 'error'], ['repository/aes256', 2, 'note']]);
    assert.deepEqual(run!.results[0]!.locations[0].physicalLocation, { artifactLocation: { uri: 'docker/Dockerfile', uriBaseId: '%SRCROOT%' }, region: { startLine: 3, startColumn: 6 } });
    assert.deepEqual(run!.results[1]!.locations[0].logicalLocations, [{ fullyQualifiedName: 'repository web', kind: 'resource' }]);
  });
});

describe('readiness: Check Deploy Readiness\'s report and the protected deploy\'s errors', () => {
  it('the report lists errors first, each with where and its next step, then what was not checked', () => {
    const text = readinessMarkdown(findings, { service: 'shop/web', revision: 'web:3', repositories: ['web'], notes: ['The platform of x was not checked: gone.'] });
    assert.match(text, /^# Deploy readiness of shop\/web\n/);
    assert.match(text, /Checked: task definition web:3 \(deployed\), repository web\. 1 error\(s\), 1 warning\(s\), 1 information\./);
    const items = text.split('\n').filter((l) => /^\d+\. /.test(l));
    assert.deepEqual(items, ['1. **error** `repository/public-policy` in repository web', '2. **warning** `dockerfile/unpinned-base` in docker/Dockerfile', '3. **info** `repository/aes256` in repository web']);
    assert.match(text, /Next step: Name the principals/);
    assert.match(text, /## Not checked\n\n- The platform of x was not checked: gone\./);
    assert.match(readinessMarkdown([], { service: 's', repositories: [], notes: [] }), /Nothing to fix/);
  });

  it('a protected deploy\'s revision: errors only, a mutable tag among them, ignored rules left out', () => {
    const input = { family: 'web', memory: '512', containerDefinitions: [{ name: 'app', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:latest', memory: 1024, environment: [{ name: 'API_TOKEN', value: 'x' }] }] };
    assert.deepEqual(new Set(readinessErrorsOfRevision(input).map((f) => f.rule)), new Set(['taskdef/memory-over-task', 'taskdef/mutable-image-tag', 'taskdef/secret-in-environment', 'taskdef/no-execution-role']));
    assert.equal(readinessErrorsOfRevision(input).length, 4);
    assert.ok(readinessErrorsOfRevision(input).every((f) => f.severity === 'error'));
    assert.equal(readinessErrorsOfRevision(input, ['taskdef/mutable-image-tag']).length, 3);
  });
});

describe('readiness: where a base image lives (Docker\'s defaults)', () => {
  it('applies docker.io and library/ as docker pull does', async () => {
    const { registryLocation } = await import('../../src/docker/manifestDigest');
    assert.deepEqual(registryLocation('node:20-slim'), { registry: 'registry-1.docker.io', repository: 'library/node', reference: '20-slim' });
    assert.deepEqual(registryLocation('bitnami/redis'), { registry: 'registry-1.docker.io', repository: 'bitnami/redis', reference: 'latest' });
    assert.deepEqual(registryLocation('public.ecr.aws/docker/library/python:3.12'), { registry: 'public.ecr.aws', repository: 'docker/library/python', reference: '3.12' });
    assert.deepEqual(registryLocation('localhost:5000/base@sha256:abc'), { registry: 'localhost:5000', repository: 'base', reference: 'sha256:abc' });
  });
});
