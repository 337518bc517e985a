import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { annotationLine, escapeData, escapeProperty } from '../../src/core/ci/githubCommands';
import type { PlacedFinding } from '../../src/core/scan/placeFindings';
import { findingsToSarif, SARIF_SCHEMA, sarifLevel } from '../../src/core/scan/sarif';
import type { Finding } from '../../src/core/scan/scanFindings';
import { diagnosticLevel } from '../../src/core/scan/severity';
import { REPO_ROOT } from '../support/cliProcess';

function placed(finding: Partial<Finding> & { id: string }, file: string, line: number, start = 0, end = 0): PlacedFinding {
  const full: Finding = { severity: 'HIGH', packageName: 'curl', title: 'A flaw.', ...finding };
  return { finding: full, file, line, start, end, placement: 'run', level: diagnosticLevel(full.severity), message: `${full.id} ${full.packageName}: ${full.title}` };
}

function validator() {
  const ajv = new Ajv({ allErrors: true });
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  ajv.addFormat('uri-reference', (value: string) => URL.canParse(value, 'file:///root/') && !/\s/.test(value));
  return ajv.compile(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'test/fixtures/schemas/sarif-2.1.0-subset.schema.json'), 'utf8')));
}

describe('findings as SARIF 2.1.0', () => {
  const findings = [
    placed({ id: 'CVE-2024-2398', severity: 'CRITICAL' }, 'Dockerfile', 0),
    placed({ id: 'CVE-2024-2398', severity: 'CRITICAL', packageName: 'libcurl4' }, 'Dockerfile', 0),
    placed({ id: 'GHSA-abcd-1234', severity: 'MEDIUM', packageName: 'h11', url: 'https://github.com/advisories/GHSA-abcd-1234' }, 'requirements dev.txt', 4, 0, 3),
    placed({ id: 'CVE-2011-3374', severity: 'LOW', packageName: 'apt' }, 'Dockerfile', 7),
  ];
  const sarif = findingsToSarif(findings, { toolVersion: '0.1.0', contextPrefix: 'services/api' }) as {
    $schema: string;
    version: string;
    runs: Array<{ tool: { driver: { name: string; version: string; rules: Array<{ id: string; helpUri?: string; help: { text: string } }> } }; results: Array<{ ruleId: string; ruleIndex: number; level: string; message: { text: string }; locations: Array<{ physicalLocation: { region: unknown } }> }> }>;
  };

  it('is valid against the SARIF 2.1.0 structure', () => {
    const validate = validator();
    assert.ok(validate(sarif), JSON.stringify(validate.errors, null, 2));
    assert.equal(sarif.$schema, SARIF_SCHEMA);
    assert.equal(sarif.version, '2.1.0');
    assert.ok(!validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ ruleId: 'a', level: 'fatal', message: { text: 'm' } }] }] }), 'the schema does reject a bad level');
  });

  it('has one rule per vulnerability id, with help text and the advisory link', () => {
    const { driver } = sarif.runs[0].tool;
    assert.deepEqual([driver.name, driver.version], ['ecr-deploy', '0.1.0']);
    assert.deepEqual(driver.rules.map((r) => r.id), ['CVE-2024-2398', 'GHSA-abcd-1234', 'CVE-2011-3374']);
    assert.equal(driver.rules[0].helpUri, 'https://nvd.nist.gov/vuln/detail/CVE-2024-2398');
    assert.equal(driver.rules[1].helpUri, 'https://github.com/advisories/GHSA-abcd-1234');
    assert.match(driver.rules[0].help.text, /CVE-2024-2398 \(critical\) in curl: A flaw\. See https:\/\/nvd/);
  });

  it('places each result on its file and line, relative to the repository root, level from the severity', () => {
    const results = sarif.runs[0].results;
    assert.deepEqual(results.map((r) => [r.ruleId, r.ruleIndex, r.level]), [['CVE-2024-2398', 0, 'error'], ['CVE-2024-2398', 0, 'error'], ['GHSA-abcd-1234', 1, 'warning'], ['CVE-2011-3374', 2, 'note']]);
    assert.deepEqual(results[2].locations[0].physicalLocation, { artifactLocation: { uri: 'services/api/requirements%20dev.txt', uriBaseId: '%SRCROOT%' }, region: { startLine: 5, startColumn: 1, endColumn: 4 } });
    assert.deepEqual(results[3].locations[0].physicalLocation.region, { startLine: 8 });
    assert.equal(results[0].message.text, 'CVE-2024-2398 curl: A flaw.');
    assert.deepEqual(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNDEFINED'].map((s) => sarifLevel(s as never)), ['error', 'error', 'warning', 'note', 'note', 'note']);
  });

  it('is an empty, still valid run when there is nothing to report', () => {
    const empty = findingsToSarif([], { toolVersion: '0.1.0' });
    assert.ok(validator()(empty));
    assert.deepEqual((empty as typeof sarif).runs[0].results, []);
  });
});

describe('GitHub workflow commands', () => {
  it('escapes %, CR and LF in the message, and also : and , in properties', () => {
    assert.equal(escapeData('100% done\r\nnext: a, b'), '100%25 done%0D%0Anext: a, b');
    assert.equal(escapeProperty('a:b,c%\n'), 'a%3Ab%2Cc%25%0A');
  });

  it('writes ::error file=F,line=N,title=T::message, and warning or notice by level', () => {
    assert.equal(annotationLine({ level: 'error', file: 'svc/Dockerfile', line: 3, title: 'CVE-2024-2398', message: 'curl: leak\nmore' }), '::error file=svc/Dockerfile,line=3,title=CVE-2024-2398::curl: leak%0Amore\n');
    assert.equal(annotationLine({ level: 'notice', file: 'a,b.txt', line: 1, title: 'x:y', message: 'm' }), '::notice file=a%2Cb.txt,line=1,title=x%3Ay::m\n');
    assert.equal(annotationLine({ level: 'warning', message: 'plain' }), '::warning::plain\n');
  });
});
