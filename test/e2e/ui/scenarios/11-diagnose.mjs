// Diagnose Service as a person meets it: a staging service whose task definition names a tag nobody pushed and
// a log group nobody made; its tasks stop with CannotPullContainerError (the local AWS's cannot-pull behaviour).
// Right-click the service, "Diagnose Service": the report panel lists those problems first, names the missing tag
// as the stopped tasks' likely cause, keeps the healthy checks ok, and its Show Events button runs with the service.
import * as assert from 'node:assert/strict';
import { CreateServiceCommand, DescribeTaskDefinitionCommand, ListTasksCommand, RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { contextMenu, expandRow, openActivityView, runCommand, treeRow, waitFor } from '../../../../scripts/lib/workbench.mjs';
import awsClients from '../../../../out/src/aws/clients.js';
import awsConnection from '../../../../out/src/aws/connection.js';
import referenceWorld from '../../../../out/test/support/referenceWorld.js';

const { REFERENCE } = referenceWorld;
const SERVICE = 'mcp-server-staging';

export const title = 'Diagnose Service on a staging service with a never-pushed tag and no log group: the report shows both problems, the stopped tasks\' likely cause, and next steps as buttons';

/** The frame of the report: VS Code nests a webview in two iframes; ours has the checks. */
async function reportFrame(page) {
  return waitFor(async () => {
    for (const frame of page.frames()) {
      try {
        if (await frame.locator('section.check').count()) return frame;
      } catch {
        // A frame that went away while we looked.
      }
    }
    return undefined;
  }, { timeoutMs: 60_000, expected: 'the Diagnose Service report' });
}

async function breakStaging(world) {
  const clients = awsClients.createAwsClients(awsConnection.resolveConnection({ endpointUrl: world.moto.endpoint, region: 'us-east-1', maxAttempts: 1 }));
  try {
    const { taskDefinition } = await clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: world.seeded.taskDefinitionArn }));
    const image = `${world.seeded.repositoryUri}:v1.3.0-rc1`;
    const [container] = taskDefinition.containerDefinitions;
    const td = await clients.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: SERVICE,
        requiresCompatibilities: taskDefinition.requiresCompatibilities,
        networkMode: taskDefinition.networkMode,
        cpu: taskDefinition.cpu,
        memory: taskDefinition.memory,
        runtimePlatform: taskDefinition.runtimePlatform,
        executionRoleArn: taskDefinition.executionRoleArn,
        containerDefinitions: [{ ...container, image, logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': `/ecs/${SERVICE}`, 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs' } } }],
      }),
    );
    const res = await fetch(`${world.moto.endpoint}/_local/ecs/behaviours`, { method: 'POST', body: JSON.stringify({ image, behaviour: 'cannot-pull' }) });
    assert.ok(res.ok, `behaviour set: HTTP ${res.status}`);
    await clients.ecs.send(
      new CreateServiceCommand({
        cluster: REFERENCE.cluster,
        serviceName: SERVICE,
        taskDefinition: td.taskDefinition.taskDefinitionArn,
        desiredCount: 1,
        launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-12345678'], securityGroups: ['sg-12345678'] } },
      }),
    );
    await waitFor(async () => (await clients.ecs.send(new ListTasksCommand({ cluster: REFERENCE.cluster, serviceName: SERVICE, desiredStatus: 'STOPPED' }))).taskArns.length > 0, { timeoutMs: 60_000, expected: 'a stopped task of the staging service' });
  } finally {
    clients.destroy();
  }
}

export async function run({ page, world, shot }) {
  await breakStaging(world);
  try {
    await diagnose(page, shot);
  } finally {
    // The staging service would go on failing tasks through the later scenarios: scale it to nothing.
    const clients = awsClients.createAwsClients(awsConnection.resolveConnection({ endpointUrl: world.moto.endpoint, region: 'us-east-1', maxAttempts: 1 }));
    await clients.ecs.send(new UpdateServiceCommand({ cluster: REFERENCE.cluster, service: SERVICE, desiredCount: 0 })).finally(() => clients.destroy());
  }
}

async function diagnose(page, shot) {
  await openActivityView(page, 'ECR Deploy');
  await runCommand(page, 'ECR Deploy: Refresh Services');
  await expandRow(page, REFERENCE.cluster, { timeoutMs: 30_000 });
  await treeRow(page, SERVICE, { timeoutMs: 30_000 });
  await contextMenu(page, SERVICE, { click: 'Diagnose Service' });
  const frame = await reportFrame(page);

  const checks = await frame.locator('section.check').evaluateAll((sections) => sections.map((s) => ({ id: s.querySelector('h2 code')?.textContent, status: s.className.replace('check ', ''), message: s.querySelector('.message')?.textContent ?? '' })));
  const status = Object.fromEntries(checks.map((c) => [c.id, c.status]));
  assert.equal(checks.length, 7, JSON.stringify(checks));
  assert.equal(checks[0].status, 'problem', 'problems come first');
  assert.equal(status['image-exists'], 'problem');
  assert.match(checks.find((c) => c.id === 'image-exists').message, /quilt-mcp-server has no image v1\.3\.0-rc1/);
  assert.equal(status['log-group-exists'], 'problem');
  assert.equal(status['stopped-tasks'], 'problem');
  assert.match(checks.find((c) => c.id === 'stopped-tasks').message, /CannotPullContainerError.*Likely cause: image-exists/);
  assert.equal(status['execution-role-can-pull'], 'ok', 'the seeded execution role may pull');
  assert.equal(status['secrets-exist'], 'ok');
  assert.match(await frame.locator('.summary').innerText(), /^3 problems/);
  await shot('diagnose');

  // A next step runs with the service as its argument: Show Events opens that service's events.
  await frame.locator('.toolbar button[data-action="show-events"]').click();
  await waitFor(async () => (await page.locator('.tabs-container .tab', { hasText: `${SERVICE}.log` }).count()) > 0, { timeoutMs: 30_000, expected: `the events of ${SERVICE} in an editor tab` });
}
