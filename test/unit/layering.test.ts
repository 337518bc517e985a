/**
 * DESIGN.md's layering, checked on the source: core/aws/docker/app never import vscode; the two shells
 * (cli, features) never import each other; nothing imports the composition root; the SDK stays lazy.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/cliProcess';

function sourceFiles(dir: string): string[] {
  const abs = path.join(REPO_ROOT, dir);
  if (!fs.existsSync(abs)) return [];
  return fs.readdirSync(abs, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => path.join(abs, f));
}

const importsOf = (file: string) => [...fs.readFileSync(file, 'utf8').matchAll(/^\s*import\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => ({ typeOnly: Boolean(m[1]), from: m[2] }));

describe('layering', () => {
  it('core, aws, docker, the application layer and the CLI never import vscode', () => {
    const offenders = ['src/core', 'src/aws', 'src/docker', 'src/app', 'src/cli'].flatMap(sourceFiles).filter((f) => importsOf(f).some((i) => i.from === 'vscode'));
    assert.deepEqual(offenders, []);
  });

  /** Where each relative import of `file` lands, as a path from the repository root. */
  const targetsOf = (file: string) => importsOf(file).filter((i) => i.from.startsWith('.')).map((i) => ({ ...i, target: path.relative(REPO_ROOT, path.resolve(path.dirname(file), i.from)) }));

  it('the two shells adapt the same use cases and never import each other', () => {
    const offenders = [
      ...sourceFiles('src/cli').flatMap((f) => targetsOf(f).filter((i) => i.target.startsWith('src/features')).map((i) => `${path.relative(REPO_ROOT, f)} imports ${i.from}`)),
      ...sourceFiles('src/features').flatMap((f) => targetsOf(f).filter((i) => i.target.startsWith('src/cli')).map((i) => `${path.relative(REPO_ROOT, f)} imports ${i.from}`)),
      ...sourceFiles('src/app').flatMap((f) => targetsOf(f).filter((i) => /^src\/(cli|features)/.test(i.target)).map((i) => `${path.relative(REPO_ROOT, f)} imports ${i.from}`)),
    ];
    assert.deepEqual(offenders, []);
  });

  it('nothing imports the composition root back', () => {
    const offenders = sourceFiles('src').flatMap((f) => targetsOf(f).filter((i) => i.target === 'src/extension').map((i) => `${path.relative(REPO_ROOT, f)} imports ${i.from}`));
    assert.deepEqual(offenders, []);
  });

  it('the application layer reaches SDK-backed code only through type imports: the extension loads it lazily', () => {
    const offenders = sourceFiles('src/app').flatMap((f) => targetsOf(f).filter((i) => !i.typeOnly && i.target.startsWith('src/aws')).map((i) => `${path.relative(REPO_ROOT, f)} imports ${i.from}`));
    assert.deepEqual(offenders, []);
  });

  it('core imports nothing with I/O: no SDK, no fs, no child_process, no network', () => {
    const offenders = sourceFiles('src/core').flatMap((f) => importsOf(f).filter((i) => !i.typeOnly && /^(node:)?(fs|child_process|net|http|https)$|^@aws-sdk\//.test(i.from)).map((i) => `${f}: ${i.from}`));
    assert.deepEqual(offenders, []);
  });

  it('the extension side reaches SDK-backed modules only through type imports (loaded lazily as dist/aws.js)', () => {
    const sdkModules = new Set(sourceFiles('src/aws').filter((f) => /from ['"]@aws-sdk\//.test(fs.readFileSync(f, 'utf8'))).map((f) => path.basename(f, '.ts')));
    sdkModules.add('index');
    const files = [...sourceFiles('src/features'), path.join(REPO_ROOT, 'src/extension.ts')];
    const offenders = files.flatMap((f) =>
      importsOf(f)
        .filter((i) => !i.typeOnly && /\/aws\//.test(i.from) && sdkModules.has(path.basename(i.from)))
        .map((i) => `${path.relative(REPO_ROOT, f)} imports ${i.from}`),
    );
    assert.deepEqual(offenders, []);
    assert.ok(files.some((f) => /@aws-sdk/.test(fs.readFileSync(f, 'utf8'))) === false, 'no feature names the SDK');
  });

  it('the extension side reaches the release workflow generator (and its YAML serializer) only lazily, as dist/ci.js', () => {
    const files = [...sourceFiles('src/features'), path.join(REPO_ROOT, 'src/extension.ts')];
    const offenders = files.flatMap((f) => importsOf(f).filter((i) => !i.typeOnly && (/\/app\/ci\//.test(i.from) || i.from === 'yaml' || i.from === '@actions/workflow-parser')).map((i) => `${path.relative(REPO_ROOT, f)} imports ${i.from}`));
    assert.deepEqual(offenders, []);
  });
});
