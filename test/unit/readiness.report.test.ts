import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { countAtOrAbove, readinessToSarif, textLine, toRow } from '../../src/core/readiness/report';
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
