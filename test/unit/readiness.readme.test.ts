import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { READINESS_RULES } from '../../src/core/readiness/rules';
import { REPO_ROOT } from '../support/cliProcess';

describe('README: the deploy readiness rules table', () => {
  it('lists every rule of the catalogue with its severity, place and fix, in order', () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const rows = readme.split('\n').filter((l) => /^\| `(dockerfile|taskdef|repository)\//.test(l));
    assert.deepEqual(rows, READINESS_RULES.map((r) => `| \`${r.id}\` | ${r.severity} | ${r.where} | ${r.fix} |`));
  });
});
