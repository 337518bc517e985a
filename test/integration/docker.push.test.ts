/**
 * Build, log in and push for real: Debian's dockerd and a registry with htpasswd user AWS and moto's
 * token password (test/support/docker.ts), moto for the ECR API. The token the code logs in with is
 * the one GetAuthorizationToken answers; what arrived is read back through the registry API.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import { RegistryAuth } from '../../src/aws/auth';
import { createAwsClients, type AwsClients } from '../../src/aws/clients';
import { resolveConnection } from '../../src/aws/connection';
import { LoginMemo } from '../../src/docker/login';
import { runPipeline, type PipelineRequest } from '../../src/docker/pipeline';
import { readImageConfig, readManifest } from '../../src/docker/registryApi';
import { runCliProcess } from '../support/cliProcess';
import { dockerCli, MOTO_REGISTRY_PASSWORD, startDockerWorld, startRegistry, type DockerWorld, type TestRegistry } from '../support/docker';
import { freePort, startMoto, TEST_AWS_ENV, type MotoServer } from '../support/moto';
import { REFERENCE, seedReferenceWorld } from '../support/referenceWorld';

const REPOSITORY = REFERENCE.repository;
const MOTO_TOKEN_BASE64 = Buffer.from(`AWS:${MOTO_REGISTRY_PASSWORD}`).toString('base64');

describe('build, login and push on a real Docker engine and registry', () => {
  let moto: MotoServer;
  let world: DockerWorld;
  let clients: AwsClients;
  let project: string;

  before(async () => {
    [moto, world] = await Promise.all([startMoto(), startDockerWorld()]);
    Object.assign(process.env, TEST_AWS_ENV);
    clients = createAwsClients(resolveConnection({ endpointUrl: moto.endpoint, region: 'us-east-1', maxAttempts: 1 }));
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-deploy-project-'));
    fs.writeFileSync(path.join(project, 'Dockerfile'), `FROM ${world.baseImage}\nARG GREETING=hello\nRUN echo "$GREETING from a RUN step" > /greeting.txt\nCMD ["cat", "/greeting.txt"]\n`);
  });
  after(async () => {
    clients?.destroy();
    await Promise.all([moto?.stop(), world?.stop()]);
    if (project) fs.rmSync(project, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await moto.reset();
    await seedReferenceWorld(clients);
    // Every test starts logged out, so a login it needs is one it does.
    fs.rmSync(path.join(world.env.DOCKER_CONFIG, 'config.json'), { force: true });
  });

  function request(overrides: Partial<PipelineRequest> = {}): PipelineRequest {
    return {
      action: 'buildAndPush',
      cli: 'docker',
      cwd: project,
      repositoryUri: `${world.registry.endpoint}/${REPOSITORY}`,
      tags: ['commit-abc1234'],
      dockerfile: 'Dockerfile',
      context: '.',
      platform: 'linux/amd64',
      ...overrides,
    };
  }

  it('logs in with the GetAuthorizationToken password, builds for linux/amd64, pushes, and the registry holds exactly that image', async () => {
    const auth = new RegistryAuth(clients.ecr, { registryEndpoint: world.registry.endpoint });
    let shown = '';
    const result = await runPipeline(request({ tags: ['commit-abc1234', 'dev'], buildArgs: { GREETING: 'hi there' } }), {
      write: (text) => (shown += text),
      credentials: (o) => auth.credentials(o),
      env: { ...process.env, ...world.env },
    });

    assert.match(shown, /\$ docker login --username AWS --password-stdin 127\.0\.0\.1:\d+/);
    assert.match(shown, /Login Succeeded/);
    assert.match(shown, /\$ docker build --platform linux\/amd64 -t 127\.0\.0\.1:\d+\/quilt-mcp-server:commit-abc1234 -t 127\.0\.0\.1:\d+\/quilt-mcp-server:dev -f Dockerfile --build-arg 'GREETING=hi there' \./);
    assert.match(shown, /RUN echo "\$GREETING from a RUN step"/, 'the build output is shown');
    assert.match(shown, new RegExp(`Engine: DOCKER_HOST=${world.env.DOCKER_HOST.replace(/[/.]/g, '\\$&')}`), 'the engine came from DOCKER_HOST');
    assert.equal(result.platform, 'linux/amd64');
    assert.equal(result.platformWarning, undefined);
    assert.match(result.digest ?? '', /^sha256:[0-9a-f]{64}$/);
    assert.ok(!shown.includes(MOTO_REGISTRY_PASSWORD) && !shown.includes(MOTO_TOKEN_BASE64), 'the password is never shown');

    const credentials = { username: 'AWS', password: MOTO_REGISTRY_PASSWORD };
    for (const tag of ['commit-abc1234', 'dev']) {
      const manifest = await readManifest(world.registry.endpoint, REPOSITORY, tag, credentials);
      assert.equal(manifest.digest, result.digest, `${tag} names the pushed digest`);
      assert.equal(`sha256:${createHash('sha256').update(manifest.body).digest('hex')}`, result.digest, 'the digest is the hash of the stored manifest');
      assert.equal(manifest.mediaType, 'application/vnd.docker.distribution.manifest.v2+json');
      const config = await readImageConfig(world.registry.endpoint, REPOSITORY, manifest, credentials);
      assert.equal(config.architecture, 'amd64');
      assert.equal(config.os, 'linux');
    }
    const output = await dockerCli(['run', '--rm', '--network', 'none', `${world.registry.endpoint}/${REPOSITORY}:dev`], world.env);
    assert.equal(output.trim(), 'hi there from a RUN step', 'the build argument reached the RUN step');
  });

  it('ecr-deploy build-and-push logs in, pushes, prints the digest as JSON and the image appears in the ECR API', async () => {
    const result = await runCliProcess(
      ['build-and-push', '--repository', REPOSITORY, '--tag', 'v1.2.3', '--tag', 'latest', '--context', project, '--registry-endpoint', world.registry.endpoint, '--endpoint-url', moto.endpoint, '--output', 'json'],
      world.env,
    );
    assert.equal(result.code, 0, result.stderr);
    const printed = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.equal(printed.repositoryName, REPOSITORY);
    assert.equal(printed.repositoryUri, `${world.registry.endpoint}/${REPOSITORY}`);
    assert.deepEqual(printed.imageTags, ['v1.2.3', 'latest']);
    assert.equal(printed.platform, 'linux/amd64');
    const digest = String(printed.imageDigest);
    assert.match(digest, /^sha256:[0-9a-f]{64}$/);
    assert.match(result.stderr, /Login Succeeded/, 'with --output json the progress goes to stderr');
    assert.ok(!result.stderr.includes(MOTO_REGISTRY_PASSWORD) && !result.stdout.includes(MOTO_REGISTRY_PASSWORD));

    const manifest = await readManifest(world.registry.endpoint, REPOSITORY, 'v1.2.3', { username: 'AWS', password: MOTO_REGISTRY_PASSWORD });
    assert.equal(manifest.digest, digest);
    // moto's API and the registry are separate processes: the push was recorded with PutImage under the same digest.
    const described = await clients.ecr.send(new DescribeImagesCommand({ repositoryName: REPOSITORY, imageIds: [{ imageDigest: digest }] }));
    assert.deepEqual(described.imageDetails?.[0]?.imageTags?.sort(), ['latest', 'v1.2.3']);
  });

  it('ecr-deploy build tags with the repository URI and pushes nothing; push then sends that local image', async () => {
    const built = await runCliProcess(['build', '--repository', REPOSITORY, '--tag', 'pr-123', '--context', project, '--registry-endpoint', world.registry.endpoint, '--endpoint-url', moto.endpoint], world.env);
    assert.equal(built.code, 0, built.stderr);
    assert.doesNotMatch(built.stdout, /docker (login|push)/);
    assert.match(built.stdout, /Image platform: linux\/amd64/);
    const local = await dockerCli(['image', 'inspect', '--format', '{{.Id}}', `${world.registry.endpoint}/${REPOSITORY}:pr-123`], world.env);
    assert.match(local.trim(), /^sha256:/);
    const missing = await fetch(`http://${world.registry.endpoint}/v2/${REPOSITORY}/manifests/pr-123`, { headers: { Authorization: `Basic ${MOTO_TOKEN_BASE64}` } });
    assert.equal(missing.status, 404, 'build alone pushes nothing');

    const pushed = await runCliProcess(['push', '--repository', REPOSITORY, '--tag', 'pr-123', '--registry-endpoint', world.registry.endpoint, '--endpoint-url', moto.endpoint], world.env);
    assert.equal(pushed.code, 0, pushed.stderr);
    assert.doesNotMatch(pushed.stdout, /docker build/);
    assert.match(pushed.stdout, /Digest: sha256:[0-9a-f]{64}/);
  });

  it('a push refused for its credentials logs in again once, then succeeds', async () => {
    const auth = new RegistryAuth(clients.ecr, { registryEndpoint: world.registry.endpoint });
    const logins = new LoginMemo();
    const env = { ...process.env, ...world.env };
    let shown = '';
    const io = { write: (text: string) => (shown += text), credentials: (o: { forceRefresh: boolean }) => auth.credentials(o), env, logins };
    await runPipeline(request({ tags: ['dev'] }), io);
    assert.equal(shown.match(/\$ docker login/g)?.length, 1);

    // Somebody logs out behind our back: the memo still believes in the login, the registry does not.
    await dockerCli(['logout', world.registry.endpoint], world.env);
    shown = '';
    const result = await runPipeline(request({ action: 'push', tags: ['dev'] }), io);
    assert.match(shown, /Logged in to 127\.0\.0\.1:\d+ already/);
    assert.match(shown, /no basic auth credentials/);
    assert.match(shown, /logging in again with a fresh token/);
    assert.equal(shown.match(/\$ docker login/g)?.length, 1, 'exactly one more login');
    assert.equal(shown.match(/\$ docker push/g)?.length, 2, 'one retry of the push');
    assert.match(result.digest ?? '', /^sha256:/);
  });

  it('warns when the local image is not for the requested platform', async () => {
    const armContext = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-deploy-arm-'));
    try {
      fs.writeFileSync(path.join(armContext, 'Dockerfile'), 'FROM scratch\nCOPY hello.txt /hello.txt\n');
      fs.writeFileSync(path.join(armContext, 'hello.txt'), 'hello\n');
      await dockerCli(['build', '--platform', 'linux/arm64', '-t', `${world.registry.endpoint}/${REPOSITORY}:arm-only`, armContext], world.env);
      const result = await runCliProcess(['push', '--repository', REPOSITORY, '--tag', 'arm-only', '--registry-endpoint', world.registry.endpoint, '--endpoint-url', moto.endpoint], world.env);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /Image platform: linux\/arm64/);
      assert.match(result.stderr, /warning: The image is linux\/arm64, not linux\/amd64/);
    } finally {
      fs.rmSync(armContext, { recursive: true, force: true });
    }
  });

  describe('failures end in one clear line naming the step', () => {
    let wrongPasswordRegistry: TestRegistry;
    let registryDir: string;
    before(async () => {
      registryDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-deploy-registry-'));
      wrongPasswordRegistry = await startRegistry(registryDir, { password: 'a-different-password' });
    });
    after(async () => {
      await wrongPasswordRegistry?.stop();
      fs.rmSync(registryDir, { recursive: true, force: true });
    });

    it('a registry that refuses moto\'s token: login failed, 401, nothing built', async () => {
      const result = await runCliProcess(
        ['build-and-push', '--repository', REPOSITORY, '--tag', 'dev', '--context', project, '--registry-endpoint', wrongPasswordRegistry.endpoint, '--endpoint-url', moto.endpoint],
        world.env,
      );
      assert.equal(result.code, 1);
      const errorLine = lastLine(result.stderr);
      assert.match(errorLine, /^ecr-deploy build-and-push: login failed: the registry 127\.0\.0\.1:\d+ refused the credentials: .*401 Unauthorized/);
      assert.doesNotMatch(result.stdout, /docker build/, 'a failed login stops before the build');
      assert.ok(!result.stdout.includes(MOTO_REGISTRY_PASSWORD) && !result.stderr.includes(MOTO_REGISTRY_PASSWORD));
    });

    it('an unreachable registry: login failed, cannot reach it', async () => {
      const nothingThere = `127.0.0.1:${await freePort()}`;
      const result = await runCliProcess(
        ['push', '--repository', REPOSITORY, '--tag', 'dev', '--registry-endpoint', nothingThere, '--endpoint-url', moto.endpoint],
        world.env,
      );
      assert.equal(result.code, 1);
      assert.match(lastLine(result.stderr), new RegExp(`^ecr-deploy push: login failed: cannot reach the registry ${nothingThere.replace(/\./g, '\\.')}\\. .*connection refused`));
    });

    it('no engine at DOCKER_HOST: build failed, the engine is named', async () => {
      const socket = path.join(os.tmpdir(), `no-engine-${process.pid}.sock`);
      const result = await runCliProcess(['build', '--repository', REPOSITORY, '--tag', 'dev', '--context', project, '--endpoint-url', moto.endpoint], {
        ...world.env,
        DOCKER_HOST: `unix://${socket}`,
      });
      assert.equal(result.code, 1);
      assert.match(lastLine(result.stderr), /^ecr-deploy build: build failed: the container engine is not running or not reachable \(DOCKER_HOST=unix:\/\/.*no-engine/);
    });

    it('pushing a tag that was never built: push failed, build it first', async () => {
      const result = await runCliProcess(['push', '--repository', REPOSITORY, '--tag', 'never-built', '--registry-endpoint', world.registry.endpoint, '--endpoint-url', moto.endpoint], world.env);
      assert.equal(result.code, 1);
      assert.match(lastLine(result.stderr), /^ecr-deploy push: push failed: the image 127\.0\.0\.1:\d+\/quilt-mcp-server:never-built is not in the local engine; build it first/);
    });

    it('a repository that does not exist: repository lookup failed, before anything runs', async () => {
      const result = await runCliProcess(['build-and-push', '--repository', 'no-such-repo', '--tag', 'dev', '--context', project, '--registry-endpoint', world.registry.endpoint, '--endpoint-url', moto.endpoint], world.env);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /^ecr-deploy build-and-push: repository lookup failed: RepositoryNotFoundException: .*no-such-repo/);
      assert.equal(result.stdout, '');
    });

    it('hostile tags and build args are refused with exit 2 and never reach a shell', async () => {
      const marker = path.join(os.tmpdir(), `ecr-deploy-pwned-${process.pid}`);
      for (const tag of [`$(touch ${marker})`, `\`touch ${marker}\``, '-dev', 'a b', 'x;touch y', 'line\nbreak']) {
        const result = await runCliProcess(['build', '--repository', REPOSITORY, `--tag=${tag}`, '--context', project, '--endpoint-url', moto.endpoint], world.env);
        assert.equal(result.code, 2, `${JSON.stringify(tag)}: ${result.stderr}`);
        assert.match(result.stderr, /^ecr-deploy build: The tag .* (has characters a tag cannot have|starts with "-")/);
      }
      const quoted = await runCliProcess(
        ['build', '--repository', REPOSITORY, '--tag', 'dev', '--build-arg', `GREETING=$(touch ${marker}) \`id\` it's "quoted"`, '--context', project, '--endpoint-url', moto.endpoint, '--registry-endpoint', world.registry.endpoint],
        world.env,
      );
      assert.equal(quoted.code, 0, quoted.stderr);
      assert.ok(quoted.stdout.includes(`--build-arg 'GREETING=$(touch ${marker}) \`id\` it'\\''s "quoted"'`), 'the command line shown quotes the value');
      assert.equal(fs.existsSync(marker), false, 'nothing was executed');
      const greeting = await dockerCli(['run', '--rm', '--network', 'none', `${world.registry.endpoint}/${REPOSITORY}:dev`], world.env);
      assert.equal(greeting.trim(), `$(touch ${marker}) \`id\` it's "quoted" from a RUN step`, 'the value arrived as one literal argument');
    });
  });
});

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? '';
}
