/**
 * Deploy, rollback and validate against the local AWS (moto behind the project's ECS rollout engine),
 * through the AWS edge and the built CLI: deployments really roll out, tasks start, pass or fail their
 * health checks, the circuit breaker rolls back, and blue/green deployments bake and pause for approval.
 * Every outcome the verdict knows is produced here by a real rollout, over the wire.
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
import { waitFor } from '../support/localAws';

const RUNNING = 2;

interface DeployJson {
  previousTaskDefinitionArn: string;
  taskDefinitionArn: string;
  deploymentId: string | null;
  result: { outcome: string; reason: string; runningCount: number; desiredCount: number; strategy: string; serviceDeploymentArn: string | null; stagesSeen: string[]; stoppedTasks: Array<{ taskId: string; reason: string }> };
}

describe('deploy against the local AWS', () => {
  const env = useReferenceMoto();
  const cli = (...args: string[]) => runCliProcess([...args, '--endpoint-url', env.moto.endpoint, '--region', 'us-east-1', '--cluster', REFERENCE.cluster, '--service', REFERENCE.service]);
  const revisions = async () => (await env.clients.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: REFERENCE.taskFamily }))).taskDefinitionArns ?? [];
  const serviceTaskDefinition = async () => (await ecsEdge.describeService(env.clients.ecs, REFERENCE.cluster, REFERENCE.service))?.taskDefinition;
  const imageUri = (tag: string) => `${env.seeded.repositoryUri}:${tag}`;
  /** The seeded service's first deployment COMPLETED: the revision a circuit breaker rolls back to. */
  const steady = () =>
    waitFor(() => ecsEdge.describeService(env.clients.ecs, REFERENCE.cluster, REFERENCE.service), (s) => s?.runningCount === RUNNING && s.deployments?.length === 1 && s.deployments[0].rolloutState === 'COMPLETED', {
      what: 'the seeded service at steady state',
    });

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
    assert.match(started.deploymentId ?? '', /^ecs-svc\/\d+$/, 'the update started a deployment of its own');
    assert.match(started.start.serviceDeploymentArn ?? '', /:service-deployment\//, 'and ECS keeps a service deployment record of it');
    assert.equal(started.start.strategy, 'ROLLING');
    assert.deepEqual(started.start.healthCheckedContainers, [REFERENCE.container]);
    assert.deepEqual(started.start.circuitBreaker, { enable: true, rollback: true });

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

  it('CLI deploy: registers, updates, follows the rolling deployment and reports success with exit 0', async () => {
    const result = await cli('deploy', '--tag', 'jwt-auth-v1.0.0', '--output', 'json', '--poll-interval', '0.2');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    const out = JSON.parse(result.stdout) as DeployJson & Record<string, unknown>;
    assert.deepEqual(Object.keys(out), ['cluster', 'service', 'previousTaskDefinitionArn', 'taskDefinitionArn', 'deploymentId', 'result']);
    assert.equal(out.previousTaskDefinitionArn, env.seeded.taskDefinitionArn);
    assert.match(out.taskDefinitionArn, /mcp-server-production:2$/);
    assert.match(out.deploymentId ?? '', /^ecs-svc\//);
    assert.equal(out.result.outcome, 'succeeded');
    assert.equal(out.result.strategy, 'ROLLING');
    assert.match(out.result.serviceDeploymentArn ?? '', /:service-deployment\//);
    assert.match(out.result.reason, /SUCCESSFUL\. 2\/2 tasks of mcp-server-production:2 running/);
    assert.equal(await serviceTaskDefinition(), out.taskDefinitionArn);
    const tasks = await ecsEdge.listServiceTasks(env.clients.ecs, REFERENCE.cluster, REFERENCE.service);
    const running = tasks.filter((t) => t.lastStatus === 'RUNNING');
    assert.equal(running.length, 2);
    assert.ok(running.every((t) => t.taskDefinitionArn === out.taskDefinitionArn && t.containers?.every((c) => c.healthStatus === 'HEALTHY')), 'both running tasks are the new revision, healthy');
  });

  it('CLI deploy of an image that crashes: the circuit breaker rolls back, the verdict is a failure quoting the stopped reason, the service runs revision 1 again', async () => {
    await steady();
    await env.moto.setBehaviour(imageUri('dev'), 'crash');
    const result = await cli('deploy', '--tag', 'dev', '--output', 'json', '--poll-interval', '0.2');
    assert.equal(result.code, 1, result.stdout);
    const out = JSON.parse(result.stdout) as DeployJson;
    assert.equal(out.result.outcome, 'failed');
    assert.match(out.result.reason, /ROLLBACK_SUCCESSFUL/);
    assert.match(out.result.reason, /Essential container in task exited/, 'the stopped reason is quoted');
    assert.ok(out.result.stoppedTasks.length >= 1);
    assert.equal(await serviceTaskDefinition(), env.seeded.taskDefinitionArn, 'the service is back on the revision it ran');
    assert.match(result.stderr, /^ecr-deploy deploy: rollout failed: /);
    assert.match(result.stderr, /\nrun: ecr-deploy doctor --cluster sales-prod --service sales-prod-mcp-server-production\n$/, 'the runbook\'s next step, to paste');
  });

  it('CLI deploy of an image that cannot be pulled, on a service without a circuit breaker: failed tasks fail the rollout', async () => {
    await env.moto.setBehaviour(imageUri('pr-123'), 'cannot-pull');
    const result = await cli('deploy', '--tag', 'pr-123', '--output', 'json', '--poll-interval', '0.2', '--timeout', '60');
    assert.equal(result.code, 1, result.stdout);
    const out = JSON.parse(result.stdout) as DeployJson;
    assert.equal(out.result.outcome, 'failed');
    assert.match(out.result.reason, /CannotPullContainerError/);
  });

  it('CLI deploy of an image whose health check fails: the tasks are replaced and the deployment fails, never "succeeded"', async () => {
    await env.moto.setBehaviour(imageUri('commit-abc123'), 'unhealthy');
    const result = await cli('deploy', '--tag', 'commit-abc123', '--output', 'json', '--poll-interval', '0.2', '--timeout', '60');
    assert.equal(result.code, 1, result.stdout);
    const out = JSON.parse(result.stdout) as DeployJson;
    assert.equal(out.result.outcome, 'failed');
    assert.match(out.result.reason, /health check/i);
  });

  it('CLI deploy that times out says so, and the deployment goes on in ECS', async () => {
    const result = await cli('deploy', '--tag', 'improved-error-handling', '--output', 'json', '--poll-interval', '0.05', '--timeout', '0.05');
    assert.equal(result.code, 1, result.stdout);
    const out = JSON.parse(result.stdout) as DeployJson;
    assert.equal(out.result.outcome, 'timed-out');
    assert.match(out.result.reason, /^Not finished after/);
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
    const out = JSON.parse(result.stdout) as Record<string, unknown> & { result: { outcome: string; reason: string } };
    assert.deepEqual(Object.keys(out), ['cluster', 'service', 'previousTaskDefinitionArn', 'taskDefinitionArn', 'deploymentId', 'result']);
    assert.match(String(out.previousTaskDefinitionArn), /:2$/);
    assert.equal(out.taskDefinitionArn, env.seeded.taskDefinitionArn);
    assert.equal(await serviceTaskDefinition(), env.seeded.taskDefinitionArn, 'the service is back on revision 1');
    assert.equal(out.result.outcome, 'succeeded', out.result.reason);
    assert.equal(result.code, 0, result.stderr);
  });

  it('CLI validate: healthy once both tasks run and pass their health checks', async () => {
    await steady();
    const result = await cli('validate', '--output', 'json');
    const out = JSON.parse(result.stdout) as { verdict: string; reasons: string[]; runningCount: number; desiredCount: number; images: Record<string, string>; taskDefinitionArn: string };
    assert.equal(out.verdict, 'healthy', out.reasons.join(' '));
    assert.equal(result.code, 0, result.stderr);
    assert.equal(out.runningCount, RUNNING);
    assert.equal(out.desiredCount, 2);
    assert.equal(out.taskDefinitionArn, env.seeded.taskDefinitionArn);
    assert.deepEqual(out.images, { [REFERENCE.container]: imageUri('v1.0.0') });
    const text = await cli('validate');
    assert.match(text.stdout, /^HEALTHY: /);
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
