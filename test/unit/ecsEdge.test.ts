/**
 * The ECS edge on scripted answers, for what moto 5.2.1 cannot produce (TEST-ENVIRONMENT.md):
 * nextToken pages of ListServices/ListTasks, services with a PRIMARY and an ACTIVE deployment in a
 * rollout, and tasks of one service (moto's list_tasks ignores serviceName and run_task runs nothing).
 */
import { afterEach, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { mockClient } from 'aws-sdk-client-mock';
import { DescribeClustersCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand, DescribeTasksCommand, ECSClient, ListClustersCommand, ListServicesCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { describeTaskDefinition, listClusters, listServices, listServiceTasks, requireService } from '../../src/aws/ecs';
import { isErrorNamed, isPhrased } from '../../src/core/errors/named';
import { countsText, deploymentHealth, imageTagOf, primaryContainer, serviceDescription, serviceHealth, taskDefinitionLabel } from '../../src/core/ecs/serviceSummary';

// The SDK's Node 20 deprecation notice is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const ecsMock = mockClient(ECSClient);
const ecs = new ECSClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
const signal = new AbortController().signal;
afterEach(() => ecsMock.reset());

const arn = (name: string) => `arn:aws:ecs:us-east-1:123456789012:service/sales-prod/${name}`;

describe('ECS edge', () => {
  it('reads every page of services and describes them ten at a time', async () => {
    const names = Array.from({ length: 23 }, (_, i) => `svc-${String(i).padStart(2, '0')}`);
    ecsMock
      .on(ListServicesCommand, { nextToken: undefined })
      .resolves({ serviceArns: names.slice(0, 15).map(arn), nextToken: 'n2' })
      .on(ListServicesCommand, { nextToken: 'n2' })
      .resolves({ serviceArns: names.slice(15).map(arn) });
    ecsMock.on(DescribeServicesCommand).callsFake((input: { services: string[] }) => ({
      services: input.services.map((s) => ({ serviceArn: s, serviceName: s.split('/').pop() })),
    }));
    const services = await listServices(ecs, 'sales-prod', { signal });
    assert.deepEqual(services.map((s) => s.serviceName), names);
    const describeSizes = ecsMock.commandCalls(DescribeServicesCommand).map((c) => c.args[0].input.services?.length);
    assert.deepEqual(describeSizes.sort(), [10, 10, 3]);
  });

  it('lists the tasks of one service, running first, stopped after with their reason', async () => {
    ecsMock
      .on(ListTasksCommand, { desiredStatus: 'RUNNING', nextToken: undefined })
      .resolves({ taskArns: ['t-run-1'], nextToken: 'more' })
      .on(ListTasksCommand, { desiredStatus: 'RUNNING', nextToken: 'more' })
      .resolves({ taskArns: ['t-run-2'] })
      .on(ListTasksCommand, { desiredStatus: 'STOPPED' })
      .resolves({ taskArns: ['t-stop'] });
    ecsMock.on(DescribeTasksCommand).resolves({
      tasks: [
        { taskArn: 't-stop', lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stoppedReason: 'Essential container in task exited', startedAt: new Date(3000) },
        { taskArn: 't-run-1', lastStatus: 'RUNNING', desiredStatus: 'RUNNING', healthStatus: 'HEALTHY', startedAt: new Date(1000) },
        { taskArn: 't-run-2', lastStatus: 'PROVISIONING', desiredStatus: 'RUNNING', startedAt: new Date(2000) },
      ],
    });
    const tasks = await listServiceTasks(ecs, 'sales-prod', 'sales-prod-mcp-server-production', { signal });
    assert.deepEqual(tasks.map((t) => t.taskArn), ['t-run-2', 't-run-1', 't-stop']);
    for (const call of ecsMock.commandCalls(ListTasksCommand)) assert.equal(call.args[0].input.serviceName, 'sales-prod-mcp-server-production');
  });
});

describe('ECS edge: one function per operation, on the SDK paginators', () => {
  it('a listing whose endpoint repeats its token stops instead of spinning, and every call carries the abort signal', async () => {
    ecsMock.on(ListClustersCommand).resolves({ clusterArns: ['arn:aws:ecs:us-east-1:123456789012:cluster/a'], nextToken: 'same' });
    ecsMock.on(DescribeClustersCommand).callsFake((input: { clusters: string[] }) => ({ clusters: input.clusters.map((c) => ({ clusterArn: c, clusterName: c.split('/').pop() })) }));
    const clusters = await listClusters(ecs, { signal });
    assert.equal(ecsMock.commandCalls(ListClustersCommand).length, 2, 'the second page repeated the token: the walk ends there');
    assert.deepEqual(clusters.map((c) => c.clusterName), ['a', 'a']);
    for (const call of ecsMock.calls()) assert.equal(((call.args as unknown[])[1] as { abortSignal?: AbortSignal } | undefined)?.abortSignal, signal);
  });

  it('the rollout polls read one bounded page of tasks per status', async () => {
    ecsMock.on(ListTasksCommand).callsFake((input: { desiredStatus: string }) => ({ taskArns: [`t-${input.desiredStatus}-1`, `t-${input.desiredStatus}-2`], nextToken: 'more' }));
    ecsMock.on(DescribeTasksCommand).callsFake((input: { tasks: string[] }) => ({ tasks: input.tasks.map((taskArn) => ({ taskArn, desiredStatus: taskArn.includes('STOPPED') ? 'STOPPED' : 'RUNNING' })) }));
    const tasks = await listServiceTasks(ecs, 'sales-prod', 'svc', { signal, maxPerStatus: 2 });
    assert.equal(ecsMock.commandCalls(ListTasksCommand).length, 2, 'one page per status, no second page');
    assert.deepEqual(ecsMock.commandCalls(ListTasksCommand).map((c) => c.args[0].input.maxResults), [2, 2]);
    assert.equal(tasks.length, 4);
  });

  it('requireService and describeTaskDefinition: a missing service or revision is a phrased DeployError; tags are asked for', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [{ serviceName: 'gone', status: 'INACTIVE' }] });
    await assert.rejects(requireService(ecs, 'sales-prod', 'gone', { signal }), (error) => {
      assert.ok(isErrorNamed(error, 'DeployError') && isPhrased(error));
      assert.equal(error.message, 'Service "gone" does not exist in cluster "sales-prod".');
      return true;
    });
    ecsMock.on(DescribeTaskDefinitionCommand).resolves({});
    await assert.rejects(describeTaskDefinition(ecs, 'family:9', { signal }), { name: 'DeployError', message: 'Task definition family:9 was not found.' });
    assert.deepEqual(ecsMock.commandCalls(DescribeTaskDefinitionCommand)[0].args[0].input.include, ['TAGS']);
  });
});

describe('service rows during a rollout', () => {
  const rollingOut = {
    desiredCount: 2,
    runningCount: 3,
    status: 'ACTIVE',
    loadBalancers: [{ containerName: 'mcp-server' }],
    deployments: [
      { status: 'PRIMARY', rolloutState: 'IN_PROGRESS', taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/mcp-server-production:4', desiredCount: 2, runningCount: 1, pendingCount: 1 },
      { status: 'ACTIVE', rolloutState: 'COMPLETED', taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/mcp-server-production:3', desiredCount: 2, runningCount: 2 },
    ],
  };

  it('says running/desired, the tag, the rollout and the deployment count', () => {
    assert.equal(serviceDescription(rollingOut, 'v1.1.0'), '3/2 · v1.1.0 · in progress · 2 deployments');
    assert.equal(serviceHealth(rollingOut), 'progress');
    assert.equal(serviceDescription({ desiredCount: 2, runningCount: 2, status: 'ACTIVE', deployments: [{ status: 'PRIMARY', rolloutState: 'COMPLETED' }] }, 'v1.0.0'), '2/2 · v1.0.0');
    assert.equal(deploymentHealth({ rolloutState: 'FAILED' }), 'failed');
    assert.equal(countsText(rollingOut.deployments[0]), '1/2 running · 1 pending');
    assert.equal(taskDefinitionLabel(rollingOut.deployments[0].taskDefinition), 'mcp-server-production:4');
  });

  it('finds the primary container and its tag', () => {
    const td = {
      containerDefinitions: [
        { name: 'log-router', image: 'fluent-bit:2', essential: false },
        { name: 'mcp-server', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/quilt-mcp-server:v1.0.0', essential: true },
      ],
    };
    assert.equal(primaryContainer(td, rollingOut)?.name, 'mcp-server');
    assert.equal(primaryContainer(td)?.name, 'mcp-server', 'the first essential one without a load balancer');
    assert.equal(imageTagOf(td.containerDefinitions[1].image), 'v1.0.0');
    assert.equal(imageTagOf('localhost:5000/app'), 'latest', 'a registry port is not a tag');
    assert.equal(imageTagOf('repo@sha256:0123456789abcdef0123456789'), '@sha256:0123456789ab');
  });
});
