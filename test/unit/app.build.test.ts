/**
 * Build-and-push against fake ports: the request is checked before any AWS call, the repository URI
 * is pointed at the registry endpoint, the pipeline runs, and a push is read back from the API.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { buildAndPush, type BuildAndPushPorts, type BuildAndPushRequest } from '../../src/app/build/buildAndPush';
import type { AwsAccess, AwsEdge } from '../../src/app/ports';
import type { CommandLine } from '../../src/docker/commandLine';
import type { ProcessRunner, RunOptions } from '../../src/docker/process';

const DIGEST = `sha256:${'cd'.repeat(32)}`;
const URI = '123456789012.dkr.ecr.us-east-1.amazonaws.com/quilt-mcp-server';

function request(overrides: Partial<BuildAndPushRequest> = {}): BuildAndPushRequest {
  return {
    action: 'buildAndPush',
    repositoryName: 'quilt-mcp-server',
    tags: ['dev', 'v1.0.0'],
    dockerfile: 'Dockerfile',
    context: '.',
    platform: 'linux/amd64',
    cli: 'docker',
    cwd: '/work/project',
    registryEndpoint: undefined,
    ...overrides,
  };
}

/** Answers like docker: logged in, built, amd64, pushed with `pushOutput`. */
function runner(pushOutput = `dev: digest: ${DIGEST} size: 943\n`): { run: ProcessRunner; argv: string[][] } {
  const argv: string[][] = [];
  const run: ProcessRunner = async (command: CommandLine, options: RunOptions) => {
    argv.push([command.program, ...command.args]);
    const output = command.args[0] === 'image' ? 'linux/amd64\n' : command.args[0] === 'push' ? pushOutput : 'ok\n';
    options.onOutput?.(output);
    return { code: 0, output };
  };
  return { run, argv };
}

interface Recorded {
  lookups: string[];
  confirms: Array<Record<string, unknown>>;
  tokens: number;
}

function fakeAccess(options: { lookup?: () => Promise<unknown>; confirm?: (request: Record<string, unknown>) => Promise<unknown> } = {}): { access: AwsAccess; recorded: Recorded } {
  const recorded: Recorded = { lookups: [], confirms: [], tokens: 0 };
  class FakeAuth {
    constructor(
      _ecr: unknown,
      private readonly o: { registryEndpoint?: string },
    ) {}
    async credentials() {
      recorded.tokens++;
      return { username: 'AWS', password: 'secret', endpoint: this.o.registryEndpoint ?? '123456789012.dkr.ecr.us-east-1.amazonaws.com' };
    }
  }
  const edge = {
    ecr: {
      describeRepository: async (_ecr: unknown, name: string) => {
        recorded.lookups.push(name);
        return options.lookup ? options.lookup() : { repositoryName: name, repositoryUri: URI };
      },
    },
    RegistryAuth: FakeAuth,
    pushedImage: {
      confirmPushedImage: async (_ecr: unknown, request: Record<string, unknown>) => {
        recorded.confirms.push(request);
        return options.confirm ? options.confirm(request) : { digest: request.digest, recordedTags: [] };
      },
    },
  } as unknown as AwsEdge;
  return { access: { edge, clients: { ecr: 'ecr' } } as unknown as AwsAccess, recorded };
}

function ports(access: AwsAccess, run: ProcessRunner): BuildAndPushPorts & { shown: () => string } {
  let shown = '';
  return { access, write: (t) => (shown += t), describeError: (e) => `described: ${(e as Error).message}`, runner: run, env: {}, shown: () => shown };
}

describe('buildAndPush', () => {
  it('refuses a bad tag before any AWS call or command', async () => {
    const { access, recorded } = fakeAccess();
    const { run, argv } = runner();
    await assert.rejects(buildAndPush(request({ tags: ['-rm'] }), ports(access, run)), { name: 'InvalidRequestError' });
    assert.deepEqual(recorded.lookups, []);
    assert.deepEqual(argv, []);
  });

  it('phrases a failed repository lookup with the shell\'s description of the error', async () => {
    const { access } = fakeAccess({ lookup: async () => Promise.reject(new Error('RepositoryNotFoundException')) });
    const { run, argv } = runner();
    await assert.rejects(buildAndPush(request(), ports(access, run)), { name: 'LookupFailure', message: 'repository lookup failed: described: RepositoryNotFoundException', phrased: true });
    assert.deepEqual(argv, []);
  });

  it('says which repository is missing when the lookup finds none', async () => {
    const { access } = fakeAccess({ lookup: async () => undefined });
    const { run, argv } = runner();
    await assert.rejects(buildAndPush(request(), ports(access, run)), { name: 'LookupFailure', message: /^repository lookup failed: RepositoryNotFoundException: no repository "/ });
    assert.deepEqual(argv, []);
  });

  it('logs in, builds, pushes every tag, and reports the digest the CLI printed', async () => {
    const { access, recorded } = fakeAccess();
    const { run, argv } = runner();
    const io = ports(access, run);
    const result = await buildAndPush(request(), io);
    assert.deepEqual(argv.map((a) => a[1]), ['login', 'build', 'image', 'push', 'push']);
    assert.deepEqual(result, { repositoryUri: URI, digest: DIGEST, digestReadBack: false, recordedTags: [], platform: 'linux/amd64', platformWarning: undefined });
    assert.deepEqual(recorded.confirms.map((c) => [c.repositoryName, c.tags, c.digest]), [['quilt-mcp-server', ['dev', 'v1.0.0'], DIGEST]]);
    assert.match(io.shown(), new RegExp(`\\$ docker push ${URI}:dev`));
  });

  it('points the repository URI and the login at the registry endpoint, and records the tags the emulator\'s API missed', async () => {
    const { access, recorded } = fakeAccess({ confirm: async () => ({ digest: DIGEST, recordedTags: ['dev'] }) });
    const { run, argv } = runner('pushed, no digest line\n');
    const result = await buildAndPush(request({ tags: ['dev'], registryEndpoint: 'localhost:5000' }), ports(access, run));
    assert.equal(result.repositoryUri, 'localhost:5000/quilt-mcp-server');
    assert.ok(argv.some((a) => a[1] === 'login' && a.includes('localhost:5000')));
    assert.ok(argv.some((a) => a[1] === 'push' && a.includes('localhost:5000/quilt-mcp-server:dev')));
    assert.equal(recorded.confirms[0].registryEndpoint, 'localhost:5000');
    assert.deepEqual([result.digest, result.digestReadBack, result.recordedTags], [DIGEST, true, ['dev']]);
  });

  it('builds only: no login, no push, no read-back', async () => {
    const { access, recorded } = fakeAccess();
    const { run, argv } = runner();
    const result = await buildAndPush(request({ action: 'build' }), ports(access, run));
    assert.deepEqual(argv.map((a) => a[1]), ['build', 'image']);
    assert.deepEqual(recorded.confirms, []);
    assert.equal(result.digest, undefined);
  });

  it('uses the token cache it is given instead of making one', async () => {
    const { access, recorded } = fakeAccess();
    const { run } = runner();
    let asked = 0;
    const auth = { credentials: async () => (asked++, { username: 'AWS', password: 'p', endpoint: 'reg.example' }) };
    await buildAndPush(request(), { ...ports(access, run), auth: auth as never });
    assert.ok(asked >= 2, 'the login and the read-back use the given cache');
    assert.equal(recorded.tokens, 0);
  });

  it('says the push worked when the image cannot be read back', async () => {
    const registryDown = Object.assign(new Error('Cannot reach localhost:5000 (ECONNREFUSED).'), { name: 'RegistryApiError' });
    const { access } = fakeAccess({ confirm: async () => Promise.reject(registryDown) });
    const { run } = runner();
    await assert.rejects(buildAndPush(request(), ports(access, run)), {
      name: 'RecordFailure',
      message: 'record failed: the push worked, but the image could not be read back: Cannot reach localhost:5000 (ECONNREFUSED).',
    });
    const { access: access2 } = fakeAccess({ confirm: async () => Promise.reject(new Error('AccessDenied')) });
    await assert.rejects(buildAndPush(request(), ports(access2, run)), { message: 'record failed: the push worked, but the image could not be read back: described: AccessDenied' });
  });

  it('names the failed step', async () => {
    const { access } = fakeAccess();
    const failing: ProcessRunner = async (command, options) => {
      const output = command.args[0] === 'build' ? 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock\n' : 'ok\n';
      options.onOutput?.(output);
      return { code: command.args[0] === 'build' ? 1 : 0, output };
    };
    await assert.rejects(buildAndPush(request(), ports(access, failing)), (error: Error & { step?: string }) => error.name === 'StepFailure' && error.step === 'build' && /container engine is not running/.test(error.message));
  });
});
