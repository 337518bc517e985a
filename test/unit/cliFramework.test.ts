import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { CommandError, runCli, table, UsageError, type CommandDefinition } from '../../src/cli/framework';

function io() {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: (t: string) => (out.stdout += t), stderr: (t: string) => (out.stderr += t), env: { AWS_REGION: 'eu-west-1', HOME: '/nonexistent' }, signal: new AbortController().signal } };
}

const echo: CommandDefinition = {
  name: 'echo',
  summary: 'Echo options.',
  usage: 'echo --word W',
  options: { word: { type: 'string' }, fail: { type: 'string' } },
  optionHelp: [['--word W', 'the word']],
  async run(ctx) {
    if (ctx.values.fail === 'usage') throw new UsageError('--word is required');
    if (ctx.values.fail === 'command') throw new CommandError('build step failed');
    if (ctx.values.fail === 'aws') throw Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredTokenException' });
    ctx.stdout(`${ctx.values.word} ${ctx.connection.region} ${ctx.output}\n`);
  },
};

describe('CLI framework', () => {
  it('runs a command with global options and resolves the region from the environment', async () => {
    const { out, io: i } = io();
    assert.equal(await runCli(['echo', '--word', 'hi', '--output', 'json'], [echo], i), 0);
    assert.equal(out.stdout, 'hi eu-west-1 json\n');
  });

  it('exits 2 with one line for unknown commands, unknown options and bad --output', async () => {
    for (const argv of [['nope'], ['echo', '--nope'], ['echo', '--output', 'xml'], ['echo', '--fail', 'usage'], []]) {
      const { out, io: i } = io();
      assert.equal(await runCli(argv, [echo], i), 2, argv.join(' '));
      if (argv.length) assert.equal(out.stderr.trim().split('\n').length, 1, out.stderr);
    }
  });

  it('exits 1 with one line for failures, AWS errors phrased for people', async () => {
    const { out, io: i } = io();
    assert.equal(await runCli(['echo', '--fail', 'aws'], [echo], i), 1);
    assert.match(out.stderr, /^ecr-deploy echo: The credentials of profile "default" have expired \(ExpiredTokenException\)/);
    const second = io();
    assert.equal(await runCli(['echo', '--fail', 'command'], [echo], second.io), 1);
    assert.equal(second.out.stderr, 'ecr-deploy echo: build step failed\n');
  });

  it('prints help for the program and each command, with exit 0', async () => {
    const { out, io: i } = io();
    assert.equal(await runCli(['echo', '--help'], [echo], i), 0);
    assert.match(out.stdout, /Usage: ecr-deploy echo --word W/);
    assert.match(out.stdout, /--word W {2}the word/);
    assert.match(out.stdout, /--endpoint-url URL/);
    const main = io();
    assert.equal(await runCli(['--help'], [echo], main.io), 0);
    assert.match(main.out.stdout, /echo {2}Echo options\./);
  });

  it('formats tables in aligned columns', () => {
    assert.equal(table(['A', 'LONGER'], [['xxx', 'y'], ['', 'z']]), 'A    LONGER\nxxx  y\n     z\n');
  });
});
