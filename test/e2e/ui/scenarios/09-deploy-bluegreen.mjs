// A blue/green deploy that waits for a person: the service has a PAUSE lifecycle hook after the test traffic
// shift. Right-click the good tag, deploy it to the blue/green service, and the extension says where ECS holds the
// deployment, with Continue / Roll Back / Show Diff. The local AWS really holds it (the hook is AWAITING_ACTION);
// Continue goes to ECS (ContinueServiceDeployment), the rollout shifts production traffic, bakes and cleans up, and
// the verdict is ECS's: the service deployment SUCCESSFUL, the service on the new revision with the new image.
import * as assert from 'node:assert/strict';
import { DescribeServicesCommand, DescribeServiceDeploymentsCommand, DescribeTaskDefinitionCommand, ListServiceDeploymentsCommand } from '@aws-sdk/client-ecs';
import { contextMenu, dialog, editorTitleAction, expandRow, notificationToast, openActivityView, quickPick, runCommand, treeRow, waitFor } from '../../../../scripts/lib/workbench.mjs';
import awsClients from '../../../../out/src/aws/clients.js';
import awsConnection from '../../../../out/src/aws/connection.js';
import referenceWorld from '../../../../out/test/support/referenceWorld.js';
import rolloutWorld from '../../../../out/test/support/rolloutWorld.js';

const { REFERENCE } = referenceWorld;
const { ROLLOUT } = rolloutWorld;
const TAG = ROLLOUT.goodTag;
const SERVICE = ROLLOUT.blueGreenService;

export const title = 'Deploy to Service... on a blue/green service with a PAUSE hook: the "waiting at POST_TEST_TRAFFIC_SHIFT" notification while ECS holds it, Continue, then success after the bake, on the new revision';

export async function run({ page, world, shot }) {
  const clients = awsClients.createAwsClients(awsConnection.resolveConnection({ endpointUrl: world.moto.endpoint, region: 'us-east-1', maxAttempts: 1 }));
  try {
    const describe = async () => (await clients.ecs.send(new DescribeServicesCommand({ cluster: REFERENCE.cluster, services: [SERVICE] }))).services[0];
    /** ECS's newest service deployment of the blue/green service. */
    const newestServiceDeployment = async () => {
      const listed = await clients.ecs.send(new ListServiceDeploymentsCommand({ cluster: REFERENCE.cluster, service: SERVICE }));
      const { serviceDeployments } = await clients.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: listed.serviceDeployments.map((d) => d.serviceDeploymentArn).slice(0, 20) }));
      return serviceDeployments.sort((a, b) => new Date(b.createdAt) - new Date(a.createdAt))[0];
    };
    const before = await describe();
    assert.equal(before.deploymentConfiguration?.strategy, 'BLUE_GREEN');

    await openActivityView(page, 'ECR Deploy');
    await expandRow(page, REFERENCE.repository, { timeoutMs: 30_000 });
    await treeRow(page, TAG, { timeoutMs: 30_000 });
    await contextMenu(page, TAG, { click: 'Deploy to Service...' });
    await quickPick(page, REFERENCE.cluster, { timeoutMs: 60_000 });
    await quickPick(page, SERVICE, { timeoutMs: 30_000 });
    await editorTitleAction(page, 'Deploy Reviewed Revision', { timeoutMs: 60_000 });
    const confirm = await dialog(page, { timeoutMs: 60_000 });
    assert.equal(confirm.message, `Deploy ${TAG} to ${SERVICE}?`);
    await confirm.click('Deploy');

    // ECS holds the deployment at the hook; the extension asks.
    const pause = await notificationToast(page, `to ${SERVICE} is waiting at ${ROLLOUT.pauseStage}`, { timeoutMs: 120_000 });
    assert.match(pause.message, new RegExp(`^Deployment of ${REFERENCE.repository}:${TAG.replace(/\./g, '\\.')} to ${SERVICE} is waiting at ${ROLLOUT.pauseStage}\\.`));
    assert.match(pause.message, /If nobody answers, ECS will roll back at /, 'the hook\'s timeout action and when');
    assert.deepEqual(pause.buttons, ['Continue', 'Roll Back', 'Show Diff']);
    const held = await newestServiceDeployment();
    assert.equal(held.status, 'IN_PROGRESS');
    assert.equal(held.lifecycleStage, ROLLOUT.pauseStage);
    assert.match(JSON.stringify(held), /AWAITING_ACTION/, 'the PAUSE hook awaits action in ECS');
    // While paused, both revisions run: the blue one (ACTIVE, still the production traffic's) and the green one.
    const paused = await describe();
    assert.ok(paused.deployments.some((d) => d.status === 'ACTIVE' && d.taskDefinition === before.taskDefinition && d.runningCount === 2), `the blue revision still runs: ${JSON.stringify(paused.deployments.map((d) => [d.status, d.taskDefinition, d.runningCount]))}`);
    assert.ok(paused.deployments.some((d) => d.status === 'PRIMARY' && d.taskDefinition !== before.taskDefinition), 'the green revision is the PRIMARY deployment');
    await runCommand(page, 'View: Close All Editors');
    await expandRow(page, REFERENCE.cluster, { timeoutMs: 30_000 });
    const serviceRow = await treeRow(page, SERVICE, { timeoutMs: 30_000 });
    const stillAsking = await notificationToast(page, `to ${SERVICE} is waiting at`, { timeoutMs: 5_000 });
    await shot('deploy-paused');

    await stillAsking.click('Continue');
    const verdict = await notificationToast(page, `Deployed ${REFERENCE.repository}:${TAG} to ${SERVICE}`, { timeoutMs: 120_000 });
    assert.ok(verdict.message.length <= 100, `a one-line headline: ${verdict.message}`);
    assert.deepEqual(verdict.buttons, ['Tail Logs', 'Roll Back', 'Validate Deployment', 'Details']);

    const done = await newestServiceDeployment();
    assert.equal(done.serviceDeploymentArn, held.serviceDeploymentArn, 'the deployment that paused is the one that finished');
    assert.equal(done.status, 'SUCCESSFUL');
    const after = await describe();
    assert.notEqual(after.taskDefinition, before.taskDefinition, 'the service is on a new task definition');
    const revisionOf = (arn) => Number(arn.split(':').pop());
    assert.ok(revisionOf(after.taskDefinition) > revisionOf(before.taskDefinition));
    const { taskDefinition } = await clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: after.taskDefinition }));
    assert.equal(taskDefinition.family, ROLLOUT.blueGreenFamily);
    assert.match(taskDefinition.containerDefinitions.find((c) => c.name === REFERENCE.container).image, new RegExp(`/${REFERENCE.repository}:${TAG.replace(/\./g, '\\.')}$`));
    assert.equal(after.deployments.length, 1, 'the green revision is the only deployment left');
    assert.equal(after.runningCount, 2);
    // The Services view shows the blue/green service on the new tag, both tasks up.
    await waitFor(async () => (await serviceRow.innerText()).replace(/\s+/g, ' ').includes(`2/2 · ${TAG}`), { timeoutMs: 30_000, expected: `the service row to show 2/2 · ${TAG}`, describe: async () => `Row: ${await serviceRow.innerText()}` });
    await shot('deploy-bluegreen-succeeded');
  } finally {
    clients.destroy();
  }
}
