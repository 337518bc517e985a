import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { CommandError, runCli, table, UsageError, type CommandDefinition } from '../../src/cli/framework';
import { COMMANDS, commandsFor } from '../../src/cli/commands';

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

  const spy = (seen: Array<{ values: unknown; positionals: string[] }>): CommandDefinition => ({
    name: 'spy',
    summary: 'Records what it was given.',
    usage: 'spy',
    options: { 'no-wait': { type: 'boolean' }, tag: { type: 'string', short: 't', multiple: true }, name: { type: 'string' } },
    optionHelp: [],
    async run(ctx) {
      seen.push({ values: ctx.values, positionals: ctx.positionals });
    },
  });

  it('gives commands the values parseArgs would: spec names, repeated options collected, --no-x as its own flag', async () => {
    const seen: Array<{ values: unknown; positionals: string[] }> = [];
    const { io: i } = io();
    assert.equal(await runCli(['spy', '--no-wait', '-t', 'a', '--tag=b', '-tc', '--name=-x', '--endpoint-url', 'http://127.0.0.1:9'], [spy(seen)], i), 0);
    assert.deepEqual(seen[0], { values: { 'no-wait': true, tag: ['a', 'b', 'c'], name: '-x', 'endpoint-url': 'http://127.0.0.1:9' }, positionals: [] });
    assert.equal(await runCli(['spy'], [spy(seen)], i), 0);
    assert.deepEqual(seen[1].values, {}, 'options not given are absent, not false');
  });

  it('refuses a value that looks like an option unless written --opt=-x, and positional arguments', async () => {
    for (const [argv, message] of [
      [['spy', '--name', '--tag', 'x'], /^ecr-deploy spy: option '--name' needs a value, but "--tag" follows it: give the value, or write --name=--tag if that is the value\. Run `ecr-deploy spy --help`\.\n$/],
      [['spy', 'extra'], /^ecr-deploy spy: too many arguments/],
      [['spy', '--name'], /^ecr-deploy spy: option '--name <value>' argument missing/],
      [['spy', '--nmae', 'x'], /^ecr-deploy spy: unknown option '--nmae' \(Did you mean --name\?\)\. Run/],
      [['--region', 'x', 'spy'], /^ecr-deploy: unknown command "--region"/],
    ] as Array<[string[], RegExp]>) {
      const { out, io: i } = io();
      assert.equal(await runCli(argv, [spy([])], i), 2, argv.join(' '));
      assert.match(out.stderr, message);
      assert.equal(out.stderr.trim().split('\n').length, 1, out.stderr);
    }
  });

  it('`help <command>` and `-h` print our help text, exit 0; no arguments prints it with exit 2', async () => {
    const byCommand = io();
    assert.equal(await runCli(['help', 'echo'], [echo], byCommand.io), 0);
    assert.equal(byCommand.out.stdout.split('\n')[0], 'Usage: ecr-deploy echo --word W');
    for (const argv of [['-h'], ['help']]) {
      const main = io();
      assert.equal(await runCli(argv, [echo], main.io), 0);
      assert.match(main.out.stdout, /^Usage: ecr-deploy <command> \[options\]\n/);
    }
    const none = io();
    assert.equal(await runCli([], [echo], none.io), 2);
    assert.match(none.out.stdout, /^Usage: ecr-deploy <command>/);
  });

  it('loads no command for --version, the one a command line names, and all of them for help', async () => {
    assert.deepEqual(await commandsFor(['--version']), []);
    assert.deepEqual(await commandsFor(['-V']), []);
    assert.deepEqual((await commandsFor(['repos', '--output', 'json'])).map((c) => c.name), ['repos']);
    assert.equal((await commandsFor(['--help'])).length, COMMANDS.length);
  });

  it('formats tables in aligned columns', () => {
    assert.equal(table(['A', 'LONGER'], [['xxx', 'y'], ['', 'z']]), 'A    LONGER\nxxx  y\n     z\n');
  });
});
