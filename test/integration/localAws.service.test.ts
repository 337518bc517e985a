/**
 * The local AWS as a whole: the command's lifecycle, ECS's validation errors as ECS answers them, ECR's scan
 * status in DescribeImages (moto never fills it), the behaviour and reset endpoints, and the seeded demo world.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  ContinueServiceDeploymentCommand,
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListServicesCommand,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { CreateRepositoryCommand, DescribeImagesCommand, PutImageCommand, StartImageScanCommand } from '@aws-sdk/client-ecr';
import { blueGreenLoadBalancers, NETWORK, registerRevision, startLocalAws, waitFor, type LocalAws } from '../support/localAws';
import { fakeManifest, REFERENCE } from '../support/referenceWorld';
import { basicFinding, injectScanResults, scanResponse } from '../support/scanFindings';

const CLUSTER = 'engine';

function childPids(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).split('\n').map((x) => Number(x.trim())).filter(Boolean);
  } catch {
    return [];
  }
}
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('local AWS: the command, validation, ECR scans and the local endpoints', () => {
  let aws: LocalAws;
  before(async () => {
    aws = await startLocalAws({ timeScale: 0.02 });
  });
  after(async () => aws?.stop());
  beforeEach(async () => {
    await aws.reset();
    await aws.ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
  });

  it('answers ECS errors with ECS codes: unknown cluster, unknown service, missing task definition, missing services', async () => {
    const td = await registerRevision(aws.ecs, 'web', 'example/web:v1');
    await assert.rejects(aws.ecs.send(new CreateServiceCommand({ cluster: 'nope', serviceName: 'web', taskDefinition: td, desiredCount: 1 })), { name: 'ClusterNotFoundException', message: 'Cluster not found.' });
    await assert.rejects(aws.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'nope', desiredCount: 1 })), { name: 'ServiceNotFoundException', message: 'Service not found.' });
    await assert.rejects(aws.ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: 'web', taskDefinition: 'web:99', desiredCount: 1 })), { name: 'InvalidParameterException' });
    await assert.rejects(aws.ecs.send(new ListServiceDeploymentsCommand({ cluster: CLUSTER, service: 'nope' })), { name: 'ServiceNotFoundException' });
    const out = await aws.ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: ['nope'] }));
    assert.deepEqual(out.services, []);
    assert.deepEqual(out.failures, [{ arn: 'arn:aws:ecs:us-east-1:123456789012:service/engine/nope', reason: 'MISSING' }]);
    const sds = await aws.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: ['arn:aws:ecs:us-east-1:123456789012:service-deployment/engine/nope/abc'] }));
    assert.deepEqual(sds.failures, [{ arn: 'arn:aws:ecs:us-east-1:123456789012:service-deployment/engine/nope/abc', reason: 'MISSING' }]);
    await assert.rejects(
      aws.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: 'arn:aws:ecs:us-east-1:123456789012:service-deployment/engine/nope/abc', hookId: 'ecs-pause-x' })),
      { name: 'ServiceDeploymentNotFoundException' },
    );
    await aws.ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: 'web', taskDefinition: td, desiredCount: 1 }));
    await assert.rejects(aws.ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: 'web', taskDefinition: td, desiredCount: 1 })), { name: 'InvalidParameterException', message: 'Creation of service was not idempotent.' });
    await assert.rejects(aws.ecs.send(new DeleteServiceCommand({ cluster: CLUSTER, service: 'web' })), { name: 'InvalidParameterException' });
  });

  it('refuses BLUE_GREEN, LINEAR and CANARY without what ECS needs for them (InvalidParameterException)', async () => {
    const td = await registerRevision(aws.ecs, 'web', 'example/web:v1');
    const BLUE_GREEN_LOAD_BALANCERS = await blueGreenLoadBalancers(aws);
    const create = (serviceName: string, extra: Record<string, unknown>) =>
      aws.ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName, taskDefinition: td, desiredCount: 1, launchType: 'FARGATE', networkConfiguration: NETWORK, ...extra }));
    await assert.rejects(create('a', { deploymentConfiguration: { strategy: 'BLUE_GREEN' } }), { name: 'InvalidParameterException', message: /requires a load balancer/ });
    const [lb] = BLUE_GREEN_LOAD_BALANCERS;
    const withoutRole = { ...lb.advancedConfiguration, roleArn: undefined };
    await assert.rejects(create('b', { deploymentConfiguration: { strategy: 'BLUE_GREEN' }, loadBalancers: [{ ...lb, advancedConfiguration: withoutRole }] }), { name: 'InvalidParameterException', message: /advancedConfiguration\.roleArn/ });
    await assert.rejects(create('c', { deploymentConfiguration: { strategy: 'LINEAR' }, loadBalancers: BLUE_GREEN_LOAD_BALANCERS }), { name: 'InvalidParameterException', message: /linearConfiguration/ });
    await assert.rejects(create('d', { deploymentConfiguration: { strategy: 'CANARY', canaryConfiguration: { canaryPercent: 0 } }, loadBalancers: BLUE_GREEN_LOAD_BALANCERS }), { name: 'InvalidParameterException', message: /canaryPercent/ });
    await assert.rejects(create('e', { deploymentConfiguration: { lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_SCALE_UP'] }] } }), { name: 'InvalidParameterException', message: /lifecycleHooks/ });
    await assert.rejects(
      create('f', { deploymentConfiguration: { strategy: 'BLUE_GREEN', lifecycleHooks: [{ targetType: 'AWS_LAMBDA', lifecycleStages: ['POST_SCALE_UP'], roleArn: 'arn:aws:iam::123456789012:role/x' }] }, loadBalancers: BLUE_GREEN_LOAD_BALANCERS }),
      { name: 'InvalidParameterException', message: /hookTargetArn/ },
    );
    await assert.rejects(create('g', { deploymentConfiguration: { strategy: 'BLUE_GREEN', lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['BAKE_TIME'] }] }, loadBalancers: BLUE_GREEN_LOAD_BALANCERS }), { name: 'InvalidParameterException', message: /BAKE_TIME/ });
    // The target groups and rules must exist in ELBv2, the target group behind a load balancer.
    const missingGroup = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/nope/0123456789abcdef';
    await assert.rejects(create('h', { deploymentConfiguration: { strategy: 'BLUE_GREEN' }, loadBalancers: [{ ...lb, targetGroupArn: missingGroup }] }), {
      name: 'InvalidParameterException',
      message: `The target group with targetGroupArn ${missingGroup} does not exist.`,
    });
    const missingRule = lb.advancedConfiguration.productionListenerRule.replace(/\/[0-9a-f]+$/, '/0000000000000000');
    await assert.rejects(create('i', { deploymentConfiguration: { strategy: 'BLUE_GREEN' }, loadBalancers: [{ ...lb, advancedConfiguration: { ...lb.advancedConfiguration, productionListenerRule: missingRule } }] }), {
      name: 'InvalidParameterException',
      message: `The listener rule ${missingRule} does not exist.`,
    });
    // Nothing of the refused services exists; the valid one does and keeps its configuration.
    await create('ok', { deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 }, loadBalancers: BLUE_GREEN_LOAD_BALANCERS });
    const names = (await aws.ecs.send(new ListServicesCommand({ cluster: CLUSTER }))).serviceArns!.map((a) => a.split('/').pop());
    assert.deepEqual(names, ['ok']);
    const [s] = (await aws.ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: ['ok'] }))).services!;
    assert.equal(s.deploymentConfiguration?.strategy, 'BLUE_GREEN');
    assert.equal(s.deploymentConfiguration?.bakeTimeInMinutes, 5);
    assert.deepEqual(s.loadBalancers, BLUE_GREEN_LOAD_BALANCERS);
  });

  it('DescribeImages carries imageScanStatus and imageScanFindingsSummary after StartImageScan of an image with injected findings', async () => {
    await aws.ecr.send(new CreateRepositoryCommand({ repositoryName: 'shop' }));
    const put = await aws.ecr.send(new PutImageCommand({ repositoryName: 'shop', imageManifest: fakeManifest('shop-1'), imageTag: 'v1' }));
    const imageDigest = put.image!.imageId!.imageDigest!;
    const findings = [
      basicFinding({ id: 'CVE-2024-2398', severity: 'HIGH', packageName: 'curl', packageVersion: '7.88.1', description: 'leak' }),
      basicFinding({ id: 'CVE-2023-45853', severity: 'CRITICAL', packageName: 'zlib', packageVersion: '1.2.13', description: 'overflow' }),
      basicFinding({ id: 'CVE-2024-5535', severity: 'HIGH', packageName: 'openssl', packageVersion: '3.0.13', description: 'crash' }),
    ];
    await injectScanResults(aws.endpoint, [scanResponse({ repositoryName: 'shop', imageDigest, imageTag: 'v1' }, { findings })]);
    const before = (await aws.ecr.send(new DescribeImagesCommand({ repositoryName: 'shop' }))).imageDetails![0];
    assert.equal(before.imageScanStatus, undefined, 'not scanned yet: ECR leaves the fields out');
    await aws.ecr.send(new StartImageScanCommand({ repositoryName: 'shop', imageId: { imageTag: 'v1' } }));
    const [image] = (await aws.ecr.send(new DescribeImagesCommand({ repositoryName: 'shop' }))).imageDetails!;
    assert.deepEqual(image.imageScanStatus, { status: 'COMPLETE', description: 'The scan was completed successfully.' });
    assert.deepEqual(image.imageScanFindingsSummary?.findingSeverityCounts, { HIGH: 2, CRITICAL: 1 });
    assert.ok(image.imageScanFindingsSummary?.imageScanCompletedAt instanceof Date);
    assert.ok(image.imageScanFindingsSummary?.vulnerabilitySourceUpdatedAt instanceof Date);
    // The same when asked for one image by tag, and asked again.
    const again = (await aws.ecr.send(new DescribeImagesCommand({ repositoryName: 'shop', imageIds: [{ imageTag: 'v1' }] }))).imageDetails![0];
    assert.deepEqual(again.imageScanFindingsSummary?.findingSeverityCounts, { HIGH: 2, CRITICAL: 1 });
  });

  it('the behaviour and hook endpoints refuse what they do not know; reset empties the engine and moto', async () => {
    const bad = await fetch(`${aws.endpoint}/_local/ecs/behaviours`, { method: 'POST', body: JSON.stringify({ image: 'x:1', behaviour: 'explode' }) });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /healthy, crash, unhealthy, cannot-pull/);
    const badHook = await fetch(`${aws.endpoint}/_local/ecs/hooks`, { method: 'POST', body: JSON.stringify({ hookTargetArn: 'arn:aws:lambda:us-east-1:123456789012:function:f', result: 'MAYBE' }) });
    assert.equal(badHook.status, 400);
    const td = await registerRevision(aws.ecs, 'web', 'example/web:v1');
    await aws.ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: 'web', taskDefinition: td, desiredCount: 2 }));
    await waitFor(async () => (await aws.ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: 'web' }))).taskArns!, (a) => a.length === 2, { what: 'two tasks' });
    await aws.reset();
    await assert.rejects(aws.ecs.send(new ListServicesCommand({ cluster: CLUSTER })), { name: 'ClusterNotFoundException' });
    await aws.ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    assert.deepEqual((await aws.ecs.send(new ListServicesCommand({ cluster: CLUSTER }))).serviceArns, []);
    assert.deepEqual((await aws.ecs.send(new ListTasksCommand({ cluster: CLUSTER }))).taskArns, []);
  });

  it('DeleteService with force drains the tasks and the service goes INACTIVE', async () => {
    const td = await registerRevision(aws.ecs, 'web', 'example/web:v1');
    await aws.ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: 'web', taskDefinition: td, desiredCount: 2 }));
    const deleted = (await aws.ecs.send(new DeleteServiceCommand({ cluster: CLUSTER, service: 'web', force: true }))).service!;
    assert.equal(deleted.status, 'DRAINING');
    const gone = await waitFor(async () => (await aws.ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: ['web'] }))).services![0], (s) => s.status === 'INACTIVE', { what: 'INACTIVE' });
    assert.equal(gone.runningCount, 0);
    assert.deepEqual((await aws.ecs.send(new ListServicesCommand({ cluster: CLUSTER }))).serviceArns, []);
  });
});

describe('local AWS: the command', () => {
  it('without --empty seeds the demo world: the reference service runs, the scanned image shows its summary, the blue/green service waits, the broken tag rolls back', async () => {
    const demo = await startLocalAws({ timeScale: 0.02, args: [] });
    try {
      const s = await waitFor(
        async () => (await demo.ecs.send(new DescribeServicesCommand({ cluster: REFERENCE.cluster, services: [REFERENCE.service] }))).services![0],
        (x) => x.deployments?.[0]?.rolloutState === 'COMPLETED',
        { what: 'the demo service to be steady' },
      );
      assert.equal(s.runningCount, 2);
      const arns = (await demo.ecs.send(new ListTasksCommand({ cluster: REFERENCE.cluster, serviceName: REFERENCE.service }))).taskArns!;
      const tasks = (await demo.ecs.send(new DescribeTasksCommand({ cluster: REFERENCE.cluster, tasks: arns }))).tasks!;
      assert.deepEqual(tasks.map((t) => t.healthStatus), ['HEALTHY', 'HEALTHY'], 'the reference task definition has a container health check');
      const [latest] = (await demo.ecr.send(new DescribeImagesCommand({ repositoryName: REFERENCE.repository, imageIds: [{ imageTag: 'latest' }] }))).imageDetails!;
      assert.ok(latest.imageScanStatus?.status, JSON.stringify(latest));
      assert.ok(Object.keys(latest.imageScanFindingsSummary?.findingSeverityCounts ?? {}).length > 0);

      // The blue/green service: BLUE_GREEN, a one-minute bake, a PAUSE hook at POST_TEST_TRAFFIC_SHIFT.
      const bg = await waitFor(
        async () => (await demo.ecs.send(new DescribeServicesCommand({ cluster: REFERENCE.cluster, services: ['sales-prod-mcp-server-bluegreen'] }))).services![0],
        (x) => x.deployments?.[0]?.rolloutState === 'COMPLETED',
        { what: 'the blue/green service to be steady' },
      );
      assert.equal(bg.deploymentConfiguration?.strategy, 'BLUE_GREEN');
      assert.equal(bg.deploymentConfiguration?.bakeTimeInMinutes, 1);
      assert.deepEqual(bg.deploymentConfiguration?.lifecycleHooks?.map((h) => [h.targetType, h.lifecycleStages]), [['PAUSE', ['POST_TEST_TRAFFIC_SHIFT']]]);
      assert.ok(bg.loadBalancers?.[0]?.advancedConfiguration?.alternateTargetGroupArn);

      // The broken tag crashes: deploying it trips the circuit breaker, which rolls the service back.
      const [current] = (await demo.ecs.send(new DescribeServicesCommand({ cluster: REFERENCE.cluster, services: [REFERENCE.service] }))).services!;
      const { taskDefinition } = await demo.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: current.taskDefinition! }));
      const broken = await demo.ecs.send(
        new RegisterTaskDefinitionCommand({
          family: taskDefinition!.family!,
          networkMode: taskDefinition!.networkMode,
          requiresCompatibilities: taskDefinition!.requiresCompatibilities,
          cpu: taskDefinition!.cpu,
          memory: taskDefinition!.memory,
          containerDefinitions: taskDefinition!.containerDefinitions!.map((c) => ({ ...c, image: c.image!.replace(/:[^:/]+$/, ':v1.2.0-broken') })),
        }),
      );
      await demo.ecs.send(new UpdateServiceCommand({ cluster: REFERENCE.cluster, service: REFERENCE.service, taskDefinition: broken.taskDefinition!.taskDefinitionArn! }));
      const [sd] = (await demo.ecs.send(new ListServiceDeploymentsCommand({ cluster: REFERENCE.cluster, service: REFERENCE.service }))).serviceDeployments!;
      const end = await waitFor(
        async () => (await demo.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [sd.serviceDeploymentArn!] }))).serviceDeployments![0],
        (x) => x.status === 'ROLLBACK_SUCCESSFUL',
        { what: 'the broken tag to be rolled back' },
      );
      assert.equal(end.deploymentCircuitBreaker?.status, 'TRIGGERED');
      const [after] = (await demo.ecs.send(new DescribeServicesCommand({ cluster: REFERENCE.cluster, services: [REFERENCE.service] }))).services!;
      assert.equal(after.taskDefinition, current.taskDefinition);
    } finally {
      await demo.stop();
    }
  });

  it('prints its endpoint, and SIGTERM stops it and the moto_server it started', async () => {
    const own = await startLocalAws({ timeScale: 0.02 });
    assert.match(own.output(), /^endpoint http:\/\/127\.0\.0\.1:\d+$/m);
    const pid = own.child.pid!;
    const children = childPids(pid);
    assert.ok(children.length >= 1, 'moto_server runs as its child');
    await own.stop();
    assert.equal(own.child.exitCode, 0);
    await waitFor(async () => children.filter(alive), (left) => left.length === 0, { what: 'moto_server to stop', timeoutMs: 10_000 });
    await assert.rejects(fetch(own.endpoint + '/_local/health'));
  });
});
