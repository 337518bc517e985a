import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/cliProcess';

describe('README', () => {
  it('lists exactly the commands and settings package.json contributes', () => {
    const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts/readme-tables.mjs'), '--check'], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
  });

  it('shows screenshots that exist', () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
    assert.ok(images.length > 0, 'the README shows at least one screenshot');
    for (const image of images) assert.ok(fs.existsSync(path.join(REPO_ROOT, image)), `${image} exists`);
  });
});
