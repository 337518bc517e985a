/**
 * The bin dist/cli.js starts the bundle dist/cli/main.js from the V8 code cache the build made
 * (src/cliLauncher.ts). The cache only saves time: absent, damaged or made for another bundle, the CLI must
 * answer the same. Each case is a copy of the built launcher and bundle in a temporary dist/ with that cache,
 * run as a whole process against moto; what the launcher did with the cache is asked in a fresh process
 * (V8's in-process compilation cache would hide it within one).
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, runCliProcess } from '../support/cliProcess';
import { TEST_AWS_ENV } from '../support/moto';
import { useReferenceMoto } from '../support/referenceMoto';
import { REFERENCE } from '../support/referenceWorld';

const DIST = path.join(REPO_ROOT, 'dist');
const VERSION = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** What loadCli() of this dist/ did with its cache, from a fresh Node process. */
function cacheUse(dist: string): string {
  return execFileSync(process.execPath, ['-e', 'console.log(require(process.argv[1]).loadCli().cache)', path.join(dist, 'cli.js')], { encoding: 'utf8', env: { ...process.env, ...TEST_AWS_ENV } }).trim();
}

function run(dist: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runWith(dist, args, {});
}

function runWith(dist: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(dist, 'cli.js'), ...args], { env: { ...process.env, ...TEST_AWS_ENV, AWS_MAX_ATTEMPTS: '1', ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('the CLI launcher and its code cache', () => {
  const world = useReferenceMoto();
  let tmp: string;
  /** A copy of dist/cli.js and dist/cli/main.js, and the cache `cache` makes of the built one (undefined: none). */
  const copy = (name: string, cache: (built: Buffer) => Buffer | undefined, bundle: (built: Buffer) => Buffer = (b) => b): string => {
    const dist = path.join(tmp, name, 'dist');
    fs.mkdirSync(path.join(dist, 'cli'), { recursive: true });
    fs.copyFileSync(path.join(DIST, 'cli.js'), path.join(dist, 'cli.js'));
    fs.writeFileSync(path.join(dist, 'cli', 'main.js'), bundle(fs.readFileSync(path.join(DIST, 'cli', 'main.js'))));
    const made = cache(fs.readFileSync(path.join(DIST, 'cli', 'main.cache')));
    if (made) fs.writeFileSync(path.join(dist, 'cli', 'main.cache'), made);
    return dist;
  };
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-deploy-launcher-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('the built bin prints its version and V8 takes the shipped cache', async () => {
    const version = await runCliProcess(['--version']);
    assert.deepEqual([version.code, version.stdout, version.stderr], [0, `${VERSION}\n`, '']);
    assert.equal(cacheUse(DIST), 'used');
  });

  it('answers the same with the cache absent, damaged, cut short, or made for another bundle of the same length', async () => {
    const args = ['repos', '--endpoint-url', world.moto.endpoint, '--region', 'us-east-1', '--output', 'json'];
    const expected = await run(DIST, args);
    assert.equal(expected.code, 0, expected.stderr);
    assert.ok((JSON.parse(expected.stdout) as Array<{ repositoryName: string }>).some((r) => r.repositoryName === REFERENCE.repository));
    const flipped = (built: Buffer) => {
      const damaged = Buffer.from(built);
      // Deep in V8's payload, where a flipped byte passes V8's own checks (or crashes the deserialiser).
      for (let i = 0; i < 50; i++) damaged[Math.floor(damaged.length / 2) + i * 97] ^= 0x5a;
      return damaged;
    };
    // The bundle with one character changed (the length kept): V8 alone would take the old cache for it.
    const otherBundle = (built: Buffer) => Buffer.from(built.toString('latin1').replace('Usage: ecr-deploy <command>', 'Usage: ecr-deploy <COMMAND>'), 'latin1');
    const cases: Array<[string, string, (built: Buffer) => Buffer | undefined, ((built: Buffer) => Buffer)?]> = [
      ['absent', 'absent', () => undefined],
      ['damaged', 'damaged', flipped],
      ['truncated', 'damaged', (built) => built.subarray(0, built.length - 1000)],
      ['garbage', 'damaged', () => Buffer.from('not a cache')],
      ['other-bundle', 'damaged', (built) => built, otherBundle],
    ];
    for (const [name, use, cache, bundle] of cases) {
      const dist = copy(name, cache, bundle);
      assert.equal(cacheUse(dist), use, name);
      const result = await run(dist, args);
      assert.deepEqual([result.code, result.stdout, result.stderr], [0, expected.stdout, ''], name);
    }
    // The copy whose bundle changed runs its own source, not the cache's: its help says <COMMAND>.
    const help = await run(path.join(tmp, 'other-bundle', 'dist'), ['--help']);
    assert.match(help.stdout, /^Usage: ecr-deploy <COMMAND>/);
  });

  it('a one-shot read loads neither child_process nor http2', async () => {
    // scripts/lib/lazyBuiltins.mjs: the bundle's modules require them at their top; the stand-ins load them on first use.
    const loadedAtExit = path.join(tmp, 'loaded-at-exit.js');
    fs.writeFileSync(loadedAtExit, "process.on('exit', () => process.stderr.write('loaded: ' + process.moduleLoadList.filter((m) => /^NativeModule (child_process|http2|zlib)$/.test(m)).join(',') + '\\n'));\n");
    const loaded = (stderr: string) => /^loaded: (.*)$/m.exec(stderr)?.[1].split(',').filter(Boolean).map((m) => m.replace('NativeModule ', '')) ?? ['no report'];
    const withPreload = { NODE_OPTIONS: `--require ${loadedAtExit}` };
    const read = await runWith(DIST, ['repos', '--endpoint-url', world.moto.endpoint, '--region', 'us-east-1', '--output', 'json'], withPreload);
    assert.equal(read.code, 0, read.stderr);
    assert.ok(!loaded(read.stderr).includes('child_process') && !loaded(read.stderr).includes('http2'), read.stderr);
  });

  it('a copy with its cache intact uses it: the cache is tied to the bundle, not to where it lies', () => {
    assert.equal(cacheUse(copy('moved', (built) => built)), 'used');
  });
});
