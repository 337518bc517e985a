/**
 * The pipeline's order, its retry after a refused push, its messages, and where the password goes, with
 * a recording process runner in place of the container CLI (the real one runs in
 * test/integration/docker.push.test.ts).
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { CommandLine } from '../../src/docker/commandLine';
import { classifyOutput, lastMeaningfulLine, StepFailure } from '../../src/docker/failures';
import { LoginMemo, loginToRegistry, maskSecret, type RegistryCredentials } from '../../src/docker/login';
import { InvalidRequestError, platformWarning, runPipeline, type PipelineIo, type PipelineRequest } from '../../src/docker/pipeline';
import type { ProcessRunner, RunOptions } from '../../src/docker/process';
import { ProgramMissingError } from '../../src/docker/process';

const PASSWORD = 'eyJwYXlsb2FkIjoiU2VjcmV0VG9rZW4tZm9yLXRoZS10ZXN0In0=';
const DIGEST = `sha256:${'ab'.repeat(32)}`;

interface Call {
  argv: string[];
  stdin?: string;
  env: NodeJS.ProcessEnv;
}

/** Answers like docker would, per subcommand; `script` overrides the answer of the n-th call of a subcommand. */
function recordingRunner(script: Record<string, Array<{ code: number; output: string }>> = {}): { runner: ProcessRunner; calls: Call[] } {
  const calls: Call[] = [];
  const seen: Record<string, number> = {};
  const defaults: Record<string, { code: number; output: string }> = {
    login: { code: 0, output: 'Login Succeeded\n' },
    build: { code: 0, output: 'Step 1/2 : FROM base\nSuccessfully built 123\n' },
    image: { code: 0, output: 'linux/amd64\n' },
    push: { code: 0, output: `The push refers to repository\ndev: digest: ${DIGEST} size: 943\n` },
  };
  const runner: ProcessRunner = async (command: CommandLine, options: RunOptions) => {
    calls.push({ argv: [command.program, ...command.args], stdin: options.stdin, env: options.env ?? {} });
    const sub = command.args[0];
    const n = (seen[sub] = (seen[sub] ?? 0) + 1);
    const answer = script[sub]?.[n - 1] ?? defaults[sub];
    options.onOutput?.(answer.output);
    return answer;
  };
  return { runner, calls };
}

function request(overrides: Partial<PipelineRequest> = {}): PipelineRequest {
  return {
    action: 'buildAndPush',
    cli: 'docker',
    cwd: '/work/project',
    repositoryUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/quilt-mcp-server',
    tags: ['dev'],
    dockerfile: 'Dockerfile',
    context: '.',
    platform: 'linux/amd64',
    ...overrides,
  };
}

function io(runner: ProcessRunner, overrides: Partial<PipelineIo> = {}): PipelineIo & { shown: () => string; tokenRequests: boolean[] } {
  let shown = '';
  const tokenRequests: boolean[] = [];
  return {
    write: (text) => (shown += text),
    credentials: async ({ forceRefresh }) => {
      tokenRequests.push(forceRefresh);
      return { username: 'AWS', password: PASSWORD, endpoint: '123456789012.dkr.ecr.us-east-1.amazonaws.com' };
    },
    runner,
    env: { PATH: '/usr/bin' },
    shown: () => shown,
    tokenRequests,
    ...overrides,
  };
}

describe('build pipeline', () => {
  it('build and push: login first, then build, inspect, push every tag; the digest comes from the push output', async () => {
    const { runner, calls } = recordingRunner();
    const pipelineIo = io(runner);
    const result = await runPipeline(request({ tags: ['commit-abc1234', 'dev'] }), pipelineIo);
    assert.deepEqual(
      calls.map((c) => c.argv.slice(0, 2).join(' ')),
      ['docker login', 'docker build', 'docker image', 'docker push', 'docker push'],
    );
    assert.deepEqual(calls.slice(3).map((c) => c.argv.at(-1)), [
      '123456789012.dkr.ecr.us-east-1.amazonaws.com/quilt-mcp-server:commit-abc1234',
      '123456789012.dkr.ecr.us-east-1.amazonaws.com/quilt-mcp-server:dev',
    ]);
    assert.equal(result.digest, DIGEST);
    assert.equal(result.platform, 'linux/amd64');
    assert.match(pipelineIo.shown(), new RegExp(`Digest: ${DIGEST}`));
  });

  it('build only: no login, no push, no token asked for', async () => {
    const { runner, calls } = recordingRunner();
    const pipelineIo = io(runner);
    const result = await runPipeline(request({ action: 'build' }), pipelineIo);
    assert.deepEqual(calls.map((c) => c.argv[1]), ['build', 'image']);
    assert.deepEqual(pipelineIo.tokenRequests, []);
    assert.equal(result.digest, undefined);
  });

  it('the password reaches the login child on stdin only: never argv, env, the output or another child', async () => {
    const { runner, calls } = recordingRunner({ login: [{ code: 0, output: `WARNING! Stored ${Buffer.from(`AWS:${PASSWORD}`).toString('base64')} in config.json\nLogin Succeeded\n` }] });
    const pipelineIo = io(runner);
    await runPipeline(request(), pipelineIo);
    const login = calls.find((c) => c.argv[1] === 'login')!;
    assert.equal(login.stdin, PASSWORD);
    for (const call of calls) {
      assert.ok(!call.argv.some((a) => a.includes(PASSWORD)), `argv of ${call.argv[1]}`);
      assert.ok(!Object.values(call.env).some((v) => v?.includes(PASSWORD)), `env of ${call.argv[1]}`);
      if (call !== login) assert.equal(call.stdin, undefined, `stdin of ${call.argv[1]}`);
    }
    const shown = pipelineIo.shown();
    assert.ok(!shown.includes(PASSWORD) && !shown.includes(Buffer.from(`AWS:${PASSWORD}`).toString('base64')), 'neither the password nor its base64 is shown');
    assert.match(shown, /Stored \*\*\* in config\.json/);
    for (const line of shown.split('\n')) assert.ok(!line.includes(PASSWORD));
  });

  it('a push refused for its credentials: one fresh token, one login, one more push', async () => {
    const { runner, calls } = recordingRunner({ push: [{ code: 1, output: 'unauthorized: authentication required\n' }] });
    const pipelineIo = io(runner);
    const result = await runPipeline(request({ action: 'push' }), pipelineIo);
    assert.deepEqual(calls.map((c) => c.argv[1]), ['login', 'image', 'push', 'login', 'push']);
    assert.deepEqual(pipelineIo.tokenRequests, [false, true], 'the second token is forced fresh');
    assert.equal(result.digest, DIGEST);
    assert.match(pipelineIo.shown(), /logging in again with a fresh token/);
  });

  it('a push refused twice fails with the push step named, after exactly one retry', async () => {
    const refused = { code: 1, output: 'denied: Your authorization token has expired. Reauthenticate and try again.\n' };
    const { runner, calls } = recordingRunner({ push: [refused, refused] });
    await assert.rejects(runPipeline(request({ action: 'push' }), io(runner)), (error: unknown) => {
      assert.ok(error instanceof StepFailure);
      assert.equal(error.step, 'push');
      assert.match(error.message, /^push failed: the registry 123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com refused the credentials: denied: Your authorization token has expired/);
      return true;
    });
    assert.equal(calls.filter((c) => c.argv[1] === 'push').length, 2);
  });

  it('a failure that is not about credentials is not retried', async () => {
    const { runner, calls } = recordingRunner({ push: [{ code: 1, output: 'dial tcp 127.0.0.1:5999: connect: connection refused\n' }] });
    await assert.rejects(runPipeline(request({ action: 'push' }), io(runner)), /push failed: cannot reach the registry/);
    assert.equal(calls.filter((c) => c.argv[1] === 'push').length, 1);
  });

  it('a failed build stops before any push, naming the build step and its last line', async () => {
    const { runner, calls } = recordingRunner({ build: [{ code: 1, output: 'Step 2/3 : RUN make\n ---> Running in 1\nmake: *** No rule to make target.  Stop.\nThe command \'/bin/sh -c make\' returned a non-zero code: 2\n' }] });
    await assert.rejects(runPipeline(request(), io(runner)), /^StepFailure: build failed: docker exited with code 1: The command '\/bin\/sh -c make' returned a non-zero code: 2$/);
    assert.ok(!calls.some((c) => c.argv[1] === 'push'));
  });

  it('a missing CLI is named, with the setting to change', async () => {
    const runner: ProcessRunner = async (command) => {
      throw new ProgramMissingError(command.program);
    };
    await assert.rejects(runPipeline(request({ action: 'build', cli: 'finch' }), io(runner)), /build failed: "finch" was not found on PATH: .*ecrDeploy\.containerCli/);
  });

  it('a token that cannot be had fails the login step with the caller\'s words', async () => {
    const { runner, calls } = recordingRunner();
    const pipelineIo = io(runner, {
      credentials: async () => {
        throw Object.assign(new Error('User is not authorized to perform: ecr:GetAuthorizationToken'), { name: 'AccessDeniedException' });
      },
      describeError: (error) => `Access denied: ${(error as Error).message}`,
    });
    await assert.rejects(runPipeline(request(), pipelineIo), /^StepFailure: login failed: no registry token: Access denied: User is not authorized/);
    assert.deepEqual(calls, []);
  });

  it('a second push with the same token skips the login; a new token logs in again', async () => {
    const { runner, calls } = recordingRunner();
    const logins = new LoginMemo();
    await runPipeline(request(), io(runner, { logins }));
    await runPipeline(request(), io(runner, { logins }));
    assert.equal(calls.filter((c) => c.argv[1] === 'login').length, 1);
    await runPipeline(request(), io(runner, { logins, credentials: async () => ({ username: 'AWS', password: 'another-token', endpoint: '123456789012.dkr.ecr.us-east-1.amazonaws.com' }) }));
    assert.equal(calls.filter((c) => c.argv[1] === 'login').length, 2);
  });

  it('an image for another platform is pushed with a warning', async () => {
    const { runner } = recordingRunner({ image: [{ code: 0, output: 'linux/arm64/v8\n' }] });
    const pipelineIo = io(runner);
    const result = await runPipeline(request(), pipelineIo);
    assert.equal(result.platform, 'linux/arm64/v8');
    assert.match(result.platformWarning ?? '', /^The image is linux\/arm64\/v8, not linux\/amd64: ECS would fail/);
    assert.match(pipelineIo.shown(), /WARNING: The image is linux\/arm64\/v8/);
    assert.equal(platformWarning('linux/arm64', 'linux/arm64/v8'), undefined, 'a variant is compared only when both name one');
  });

  it('an invalid request starts nothing', async () => {
    const { runner, calls } = recordingRunner();
    await assert.rejects(runPipeline(request({ tags: ['$(id)'] }), io(runner)), InvalidRequestError);
    await assert.rejects(runPipeline(request({ action: 'push' }), io(runner, { credentials: undefined })), /needs registry credentials/);
    assert.deepEqual(calls, []);
  });

  it('a remote engine is named in the header', async () => {
    const { runner } = recordingRunner();
    const pipelineIo = io(runner, { env: { DOCKER_HOST: 'ssh://builder@10.0.0.5' } });
    await runPipeline(request({ action: 'build' }), pipelineIo);
    assert.match(pipelineIo.shown(), /^Engine: DOCKER_HOST=ssh:\/\/builder@10\.0\.0\.5\n/);
  });
});

describe('login', () => {
  it('a refused login names the registry and the 401, with the password masked out', async () => {
    const credentials: RegistryCredentials = { username: 'AWS', password: PASSWORD, endpoint: '127.0.0.1:5000' };
    const { runner } = recordingRunner({ login: [{ code: 1, output: `Error response from daemon: login attempt to http://127.0.0.1:5000/v2/ failed with status: 401 Unauthorized (${PASSWORD})\n` }] });
    let shown = '';
    await assert.rejects(loginToRegistry('docker', credentials, { write: (t) => (shown += t), runner }), (error: unknown) => {
      assert.ok(error instanceof StepFailure);
      assert.equal(error.kind, 'unauthorized');
      assert.match(error.message, /^login failed: the registry 127\.0\.0\.1:5000 refused the credentials: .*401 Unauthorized \(\*\*\*\)$/);
      return true;
    });
    assert.ok(!shown.includes(PASSWORD));
    assert.match(shown, /^\$ docker login --username AWS --password-stdin 127\.0\.0\.1:5000 {3}# password from GetAuthorizationToken, on stdin\n/);
  });

  it('maskSecret hides the secret and both base64 forms', () => {
    const b64 = Buffer.from(PASSWORD).toString('base64');
    const auth = Buffer.from(`AWS:${PASSWORD}`).toString('base64');
    assert.equal(maskSecret(`a ${PASSWORD} b ${b64} c ${auth}`, PASSWORD), 'a *** b *** c ***');
    assert.equal(maskSecret('nothing here', ''), 'nothing here');
  });
});

describe('failure recognition', () => {
  const cases: Array<[string, ReturnType<typeof classifyOutput>]> = [
    ['Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?', 'engineDown'],
    ['error during connect: Get "http://%2F%2F.%2Fpipe%2Fdocker_engine/v1.24/version"', 'engineDown'],
    ['no basic auth credentials', 'unauthorized'],
    ['Error response from daemon: login attempt to http://127.0.0.1:5000/v2/ failed with status: 401 Unauthorized', 'unauthorized'],
    ['denied: Your authorization token has expired. Reauthenticate and try again.', 'unauthorized'],
    ['Get "http://127.0.0.1:5999/v2/": dial tcp 127.0.0.1:5999: connect: connection refused', 'unreachable'],
    ['dial tcp: lookup nope.invalid: no such host', 'unreachable'],
    ['name unknown: The repository with name \'x\' does not exist in the registry with id \'123\'', 'repositoryMissing'],
    ['The command \'/bin/sh -c false\' returned a non-zero code: 1', 'other'],
  ];
  for (const [output, kind] of cases) {
    it(`${kind}: ${output.slice(0, 50)}`, () => assert.equal(classifyOutput(output), kind));
  }

  it('the last meaningful line skips progress noise and is shortened', () => {
    assert.equal(lastMeaningfulLine('real error\n ---> 1234\nRemoving intermediate container 1\n\n'), 'real error');
    assert.equal(lastMeaningfulLine(`${'x'.repeat(400)}\n`).length, 301);
  });
});
