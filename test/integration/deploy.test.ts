/**
 * Deploy, rollback and validate against a real moto_server, through the AWS edge and the built CLI.
 * moto 5.2.1 registers revisions and points the service at them, but update_service creates no
 * deployment: so these tests prove what is sent and stored, and that the CLI calls the outcome
 * "unverified" (exit 1) instead of success. Rollouts themselves are covered by scripted sequences
 * (test/unit/deployRollout.test.ts, test/unit/deployCli.test.ts).
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { PutImageCommand } from '@aws-sdk/client-ecr';
import { ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import * as deployEdge from '../../src/aws/deploy';
import * as ecsEdge from '../../src/aws/ecs';
import { startUpdate } from '../../src/app/deploy/runUpdate';
import { planDeployment } from '../../src/core/deploy/plan';
import { registerInputOf } from '../../src/core/deploy/taskDefinition';
import { REFERENCE } from '../support/referenceWorld';
import { useReferenceMoto } from '../support/referenceMoto';
import { runCliProcess } from '../support/cliProcess';

const RUNNING = 2;

describe('deploy against moto', () => {
  // moto reports this many running tasks for every service, so the counts match the desired count (2).
  const env = useReferenceMoto({ MOTO_ECS_SERVICE_RUNNING: String(RUNNING) });
  const cli = (...args: string[]) => runCliProcess([...args, '--endpoint-url', env.moto.endpoint, '--region', 'us-east-1', '--cluster', REFERENCE.cluster, '--service', REFERENCE.service]);
  const revisions = async () => (await env.clients.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: REFERENCE.taskFamily }))).taskDefinitionArns ?? [];
  const serviceTaskDefinition = async () => (await ecsEdge.describeService(env.clients.ecs, REFERENCE.cluster, REFERENCE.service))?.taskDefinition;
  const imageUri = (tag: string) => `${env.seeded.repositoryUri}:${tag}`;

  it('register + update: the service names the new revision, which keeps every field and tag of the old one but the image', async () => {
    const service = await ecsEdge.requireService(env.clients.ecs, REFERENCE.cluster, REFERENCE.service);
    const described = await ecsEdge.describeTaskDefinition(env.clients.ecs, service.taskDefinition!);
    assert.deepEqual(described.tags, [{ key: 'team', value: 'sales' }], 'DescribeTaskDefinition was asked for the tags');
    const platform = await deployEdge.readImagePlatform(env.clients.ecr, imageUri('jwt-auth-v1.0.0'), { region: 'us-east-1' });
    const plan = planDeployment({ cluster: REFERENCE.cluster, service: REFERENCE.service, described, container: REFERENCE.container, image: imageUri('jwt-auth-v1.0.0'), platform });

    const started = await startUpdate({ edge: { ecs: ecsEdge, deploy: deployEdge }, clients: env.clients }, { cluster: REFERENCE.cluster, service, target: { register: plan.registerTaskDefinitionInput }, timeoutMs: 60_000 });
    assert.equal(started.previousTaskDefinitionArn, env.seeded.taskDefinitionArn);
    assert.match(started.taskDefinitionArn, /:task-definition\/mcp-server-production:2$/);
    assert.equal(await serviceTaskDefinition(), started.taskDefinitionArn);
    assert.equal(started.deploymentId, undefined, 'moto creates no deployment for the update');
    assert.deepEqual(started.start.healthCheckedContainers, [REFERENCE.container]);
    // The seed asks for a circuit breaker, but moto does not keep deploymentConfiguration.
    assert.deepEqual(started.start.circuitBreaker, { enable: false, rollback: false });

    const stored = await ecsEdge.describeTaskDefinition(env.clients.ecs, started.taskDefinitionArn);
    assert.deepEqual(registerInputOf(stored).input, plan.registerTaskDefinitionInput, 'what was stored is exactly what the dry run showed');
    assert.equal(stored.taskDefinition.containerDefinitions?.[0].image, imageUri('jwt-auth-v1.0.0'));
    assert.deepEqual(
      { ...registerInputOf(stored).input, containerDefinitions: undefined },
      { ...registerInputOf(described).input, containerDefinitions: undefined },
      'secrets, roles, cpu/memory, runtime platform, tags unchanged',
    );
  });

  it('reads the platform as far as moto lets it: the manifest yes, the config blob no (said, not guessed)', async () => {
    const reading = await deployEdge.readImagePlatform(env.clients.ecr, imageUri('v1.0.0'), { region: 'us-east-1' });
    assert.equal(reading.kind, 'unknown');
    assert.match(reading.kind === 'unknown' ? reading.reason : '', /GetDownloadUrlForLayer answered HTTP 500: the endpoint may not implement it/);
    await assert.rejects(deployEdge.readImagePlatform(env.clients.ecr, imageUri('no-such-tag')), /is not in ECR \(ImageNotFound/);
  });

  it('CLI dry run: prints exactly the documented JSON and sends nothing', async () => {
    const before = await revisions();
    const result = await cli('deploy', '--tag', 'jwt-auth-v1.0.0', '--dry-run', '--output', 'json');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    const out = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(out), ['cluster', 'service', 'previousTaskDefinitionArn', 'registerTaskDefinitionInput', 'diff']);
    assert.equal(out.previousTaskDefinitionArn, env.seeded.taskDefinitionArn);
    assert.deepEqual(out.diff, [{ path: 'containerDefinitions[mcp-server].image', kind: 'changed', before: imageUri('v1.0.0'), after: imageUri('jwt-auth-v1.0.0') }]);
    const input = out.registerTaskDefinitionInput as Record<string, unknown>;
    for (const readOnly of ['taskDefinitionArn', 'revision', 'status', 'requiresAttributes', 'compatibilities', 'registeredAt', 'registeredBy', 'deregisteredAt']) assert.ok(!(readOnly in input), readOnly);
    assert.deepEqual(input.tags, [{ key: 'team', value: 'sales' }]);
    assert.deepEqual(await revisions(), before, 'no revision registered');
    assert.equal(await serviceTaskDefinition(), env.seeded.taskDefinitionArn, 'service untouched');
  });

  it('CLI deploy: registers, updates, and reports "unverified" with exit 1, because moto never rolls out', async () => {
    const result = await cli('deploy', '--tag', 'jwt-auth-v1.0.0', '--output', 'json', '--poll-interval', '0.2');
    assert.equal(result.code, 1, result.stderr);
    const out = JSON.parse(result.stdout) as { result: { outcome: string; reason: string; runningCount: number; desiredCount: number } } & Record<string, unknown>;
    assert.deepEqual(Object.keys(out), ['cluster', 'service', 'previousTaskDefinitionArn', 'taskDefinitionArn', 'deploymentId', 'result']);
    assert.equal(out.previousTaskDefinitionArn, env.seeded.taskDefinitionArn);
    assert.match(String(out.taskDefinitionArn), /mcp-server-production:2$/);
    assert.equal(out.deploymentId, null);
    assert.equal(out.result.outcome, 'unverified');
    assert.match(out.result.reason, /no new deployment appeared: its PRIMARY deployment \(ecs-svc\/\d+(, created before this update)?\) runs mcp-server-production:1 and says COMPLETED/);
    assert.equal(await serviceTaskDefinition(), out.taskDefinitionArn);
    assert.equal(result.stderr.trim().split('\n').length, 1);
    assert.match(result.stderr, /^ecr-deploy deploy: rollout unverified: /);
  });

  it('CLI deploy --no-wait: updates and exits 0 without a verdict', async () => {
    const result = await cli('deploy', '--image', imageUri('dev'), '--no-wait', '--output', 'json');
    assert.equal(result.code, 0, result.stderr);
    const out = JSON.parse(result.stdout) as { taskDefinitionArn: string; result: { outcome: string } };
    assert.equal(out.result.outcome, 'not-watched');
    assert.equal(await serviceTaskDefinition(), out.taskDefinitionArn);
  });

  it('CLI rollback restores the previous revision; --to-revision refuses one that does not exist', async () => {
    const deployed = await cli('deploy', '--tag', 'dev', '--no-wait', '--output', 'json');
    assert.equal(deployed.code, 0, deployed.stderr);
    assert.match(String(await serviceTaskDefinition()), /:2$/);

    const missing = await cli('rollback', '--to-revision', '9', '--output', 'json');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^ecr-deploy rollback: mcp-server-production:9 is not an ACTIVE revision of mcp-server-production \(other ACTIVE revisions: 1\)\.\n$/);

    const result = await cli('rollback', '--output', 'json', '--poll-interval', '0.2');
    const out = JSON.parse(result.stdout) as Record<string, unknown> & { result: { outcome: string } };
    assert.deepEqual(Object.keys(out), ['cluster', 'service', 'previousTaskDefinitionArn', 'taskDefinitionArn', 'deploymentId', 'result']);
    assert.match(String(out.previousTaskDefinitionArn), /:2$/);
    assert.equal(out.taskDefinitionArn, env.seeded.taskDefinitionArn);
    assert.equal(await serviceTaskDefinition(), env.seeded.taskDefinitionArn, 'the service is back on revision 1');
    assert.equal(out.result.outcome, 'unverified');
    assert.equal(result.code, 1);
  });

  it('CLI validate: an honest "unverified" on moto (counts match, but no task is listed to prove health)', async () => {
    const result = await cli('validate', '--output', 'json');
    assert.equal(result.code, 1);
    const out = JSON.parse(result.stdout) as { verdict: string; reasons: string[]; runningCount: number; desiredCount: number; images: Record<string, string>; taskDefinitionArn: string };
    assert.equal(out.verdict, 'unverified');
    assert.equal(out.runningCount, RUNNING);
    assert.equal(out.desiredCount, 2);
    assert.equal(out.taskDefinitionArn, env.seeded.taskDefinitionArn);
    assert.deepEqual(out.images, { [REFERENCE.container]: imageUri('v1.0.0') });
    assert.match(out.reasons[0], /lists no task of deployment ecs-svc\/\d+: the health checks of mcp-server cannot be confirmed/);
    const text = await cli('validate');
    assert.match(text.stdout, /^UNVERIFIED: /);
    assert.match(text.stdout, /Tasks: {4}2\/2 running, 0 pending, rollout COMPLETED/);
  });

  it('CLI refuses an image built for another platform, unless told to, and sends nothing', async () => {
    const armIndex = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 1234, digest: `sha256:${'a'.repeat(64)}`, platform: { architecture: 'arm64', os: 'linux' } }],
    });
    await env.clients.ecr.send(new PutImageCommand({ repositoryName: REFERENCE.repository, imageTag: 'built-on-a-mac', imageManifest: armIndex, imageManifestMediaType: 'application/vnd.oci.image.index.v1+json' }));
    const before = await revisions();
    const refused = await cli('deploy', '--tag', 'built-on-a-mac');
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /built for linux\/arm64, but the task definition \(runtimePlatform LINUX\/X86_64\) needs linux\/amd64.*exec format error.*--allow-platform-mismatch/);
    assert.deepEqual(await revisions(), before);
    const dryRun = await cli('deploy', '--tag', 'built-on-a-mac', '--dry-run');
    assert.equal(dryRun.code, 1, 'a dry run says the deploy would be refused');
    assert.match(dryRun.stdout, /Platform: {2}The image is built for linux\/arm64/);
    const forced = await cli('deploy', '--tag', 'built-on-a-mac', '--allow-platform-mismatch', '--no-wait', '--output', 'json');
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(await serviceTaskDefinition(), (JSON.parse(forced.stdout) as { taskDefinitionArn: string }).taskDefinitionArn);
  });

  it('CLI fails in one line for a tag that does not exist, and exits 2 on bad usage', async () => {
    const missing = await cli('deploy', '--tag', 'v9.9.9', '--dry-run');
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, `ecr-deploy deploy: Image ${imageUri('v9.9.9')} is not in ECR (ImageNotFound: Requested image not found).\n`);
    const both = await cli('deploy', '--tag', 'dev', '--image', imageUri('dev'));
    assert.equal(both.code, 2);
    assert.match(both.stderr, /exactly one of --image URI or --tag T/);
    const badTimeout = await cli('deploy', '--tag', 'dev', '--timeout', 'soon');
    assert.equal(badTimeout.code, 2);
    const noService = await runCliProcess(['validate', '--endpoint-url', env.moto.endpoint, '--region', 'us-east-1', '--cluster', REFERENCE.cluster, '--service', 'nope']);
    assert.equal(noService.code, 1);
    assert.match(noService.stderr, /Service "nope" does not exist in cluster "sales-prod"/);
  });
});
