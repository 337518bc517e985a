/** `ecr-deploy build|push|build-and-push`: usage and help, decided before any AWS call or container CLI runs. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { buildAndPushCommand, buildCommand, pushCommand } from '../../src/cli/build';
import { runCli } from '../../src/cli/framework';

const COMMANDS = [buildCommand, pushCommand, buildAndPushCommand];

async function run(argv: string[]) {
  const out = { stdout: '', stderr: '' };
  // No endpoint and a closed port: a test that got past validation would fail loudly, not reach AWS.
  const env = { AWS_REGION: 'us-east-1', HOME: '/nonexistent', AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', AWS_MAX_ATTEMPTS: '1' };
  const code = await runCli(argv, COMMANDS, { stdout: (t) => (out.stdout += t), stderr: (t) => (out.stderr += t), env, signal: new AbortController().signal });
  return { code, ...out };
}

describe('CLI build commands', () => {
  it('help names every option', async () => {
    const help = await run(['build-and-push', '--help']);
    assert.equal(help.code, 0);
    for (const flag of ['--repository', '--tag', '--dockerfile', '--context', '--platform', '--build-arg', '--target', '--registry-endpoint', '--container-cli']) assert.ok(help.stdout.includes(flag), flag);
    assert.match(help.stdout, /^Usage: ecr-deploy build-and-push --repository NAME --tag TAG \[--tag TAG2\] \[options\]/);
    assert.doesNotMatch((await run(['push', '--help'])).stdout, /--build-arg/, 'push has no build options in its help');
  });

  const usage: Array<[string[], RegExp]> = [
    [['build', '--tag', 'dev'], /^ecr-deploy build: --repository is required\.\n$/],
    [['build', '--repository', 'quilt-mcp-server'], /give at least one --tag/],
    [['push', '--repository', 'Bad Name', '--tag', 'dev'], /repository name "Bad Name" has capitals/],
    [['build', '--repository', 'quilt-mcp-server', '--tag=-x'], /The tag "-x" starts with "-"/],
    [['build', '--repository', 'quilt-mcp-server', '--tag', 'dev', '--build-arg', 'NOVALUE'], /--build-arg takes NAME=VALUE, not "NOVALUE"/],
    [['build', '--repository', 'quilt-mcp-server', '--tag', 'dev', '--container-cli', 'nerdctl'], /--container-cli must be docker, podman or finch, not "nerdctl"/],
    [['push', '--repository', 'quilt-mcp-server', '--tag', 'dev', '--registry-endpoint', 'http://x/y'], /registry endpoint "http:\/\/x\/y" is not HOST or HOST:PORT/],
  ];
  for (const [argv, message] of usage) {
    it(`exit 2: ${argv.slice(1).join(' ')}`, async () => {
      const result = await run(argv);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, message);
      assert.equal(result.stderr.trim().split('\n').length, 1, 'one line');
      assert.equal(result.stdout, '');
    });
  }

  it('no region: exit 2 before anything runs', async () => {
    const out = { stderr: '' };
    const code = await runCli(['build', '--repository', 'x1', '--tag', 'dev'], COMMANDS, { stdout: () => undefined, stderr: (t) => (out.stderr += t), env: { HOME: '/nonexistent' }, signal: new AbortController().signal });
    assert.equal(code, 2);
    assert.match(out.stderr, /no AWS region/);
  });
});
