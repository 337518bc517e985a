// A deploy that goes wrong, as a person meets it: right-click the broken tag (its container exits 1 at start),
// "Deploy to Service...", confirm, and watch ECS's deployment circuit breaker roll the service back. The verdict
// is a failure, never a success of a service that "looks stable"; the service really runs its previous revision
// again (read back from the local AWS), and the notification offers the logs and the events. It offers no Roll Back:
// ECS already rolled back (a second rollback would be a redeploy of the same revision).
import * as assert from 'node:assert/strict';
import { DescribeServicesCommand, DescribeServiceDeploymentsCommand, DescribeTaskDefinitionCommand, ListServiceDeploymentsCommand } from '@aws-sdk/client-ecs';
import { contextMenu, dialog, editorTitleAction, expandRow, notificationToast, openActivityView, quickPick, runCommand, treeRow, waitFor } from '../../../../scripts/lib/workbench.mjs';
import awsClients from '../../../../out/src/aws/clients.js';
import awsConnection from '../../../../out/src/aws/connection.js';
import referenceWorld from '../../../../out/test/support/referenceWorld.js';
import rolloutWorld from '../../../../out/test/support/rolloutWorld.js';

const { REFERENCE } = referenceWorld;
const { ROLLOUT } = rolloutWorld;
const TAG = ROLLOUT.brokenTag;

export const title = 'Deploy to Service... of the broken tag: the circuit breaker rolls back, the verdict is a one-line failure with Diagnose, Details and Tail Logs; the service runs its previous revision again';

export async function run({ page, world, shot }) {
  const clients = awsClients.createAwsClients(awsConnection.resolveConnection({ endpointUrl: world.moto.endpoint, region: 'us-east-1', maxAttempts: 1 }));
  try {
    const describe = async () => (await clients.ecs.send(new DescribeServicesCommand({ cluster: REFERENCE.cluster, services: [REFERENCE.service] }))).services[0];
    const before = await describe();
    assert.equal(before.deployments.length, 1, `the service is settled before the deploy: ${JSON.stringify(before.deployments.map((d) => [d.status, d.rolloutState]))}`);

    await openActivityView(page, 'ECR Deploy');
    await expandRow(page, REFERENCE.repository, { timeoutMs: 30_000 });
    await treeRow(page, TAG, { timeoutMs: 30_000 });
    await contextMenu(page, TAG, { click: 'Deploy to Service...' });
    await quickPick(page, REFERENCE.cluster, { timeoutMs: 60_000 });
    await quickPick(page, REFERENCE.service, { timeoutMs: 30_000 });
    await editorTitleAction(page, 'Deploy Reviewed Revision', { timeoutMs: 60_000 });
    const confirm = await dialog(page, { timeoutMs: 60_000 });
    assert.equal(confirm.message, `Deploy ${TAG} to ${REFERENCE.service}?`);
    await confirm.click('Deploy');

    const verdict = await notificationToast(page, `Deploy of ${REFERENCE.repository}:${TAG} to ${REFERENCE.service} failed`, { timeoutMs: 120_000 });
    assert.doesNotMatch(verdict.message, /succeeded/);
    assert.ok(verdict.message.length <= 100, `a one-line headline: ${verdict.message}`);
    assert.equal(verdict.buttons[0], 'Diagnose', `Diagnose first: ${JSON.stringify(verdict.buttons)}`);
    assert.ok(verdict.buttons.includes('Details') && verdict.buttons.includes('Tail Logs'), `Details and Tail Logs: ${JSON.stringify(verdict.buttons)}`);
    assert.ok(!verdict.buttons.includes('Roll Back'), `no Roll Back: ECS already rolled back; buttons ${JSON.stringify(verdict.buttons)}`);

    // What the local AWS now holds: one deployment, of the revision that ran before, complete with its two tasks.
    const after = await waitFor(
      async () => {
        const s = await describe();
        return s.deployments.length === 1 && s.deployments[0].rolloutState === 'COMPLETED' ? s : undefined;
      },
      { timeoutMs: 30_000, expected: 'the rollback deployment to complete' },
    );
    assert.equal(after.taskDefinition, before.taskDefinition, 'the service is back on its previous revision');
    assert.equal(after.deployments[0].taskDefinition, before.taskDefinition);
    assert.equal(after.runningCount, 2);
    // ECS's record of the deploy: the service deployment of the broken revision ended rolled back.
    const listed = await clients.ecs.send(new ListServiceDeploymentsCommand({ cluster: REFERENCE.cluster, service: REFERENCE.service }));
    const arns = listed.serviceDeployments.map((d) => d.serviceDeploymentArn);
    const { serviceDeployments } = await clients.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: arns.slice(0, 20) }));
    const ours = serviceDeployments.find((d) => d.sourceServiceRevisions?.some((r) => r.arn) && d.targetServiceRevision?.arn && d.status !== 'SUCCESSFUL' && d.rollback);
    assert.ok(ours, `a service deployment rolled back: ${JSON.stringify(serviceDeployments.map((d) => [d.status, d.rollback?.reason]))}`);
    assert.equal(ours.status, 'ROLLBACK_SUCCESSFUL');
    // The Services view says the same: the service runs the tag it ran before, both tasks up.
    const { taskDefinition: ran } = await clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: before.taskDefinition }));
    const ranTag = ran.containerDefinitions.find((c) => c.name === REFERENCE.container).image.split(':').pop();
    assert.notEqual(ranTag, TAG);
    await expandRow(page, REFERENCE.cluster, { timeoutMs: 30_000 });
    const serviceRow = await treeRow(page, REFERENCE.service, { timeoutMs: 30_000 });
    await waitFor(async () => (await serviceRow.innerText()).replace(/\s+/g, ' ').includes(`2/2 · ${ranTag}`), { timeoutMs: 30_000, expected: `the service row to show 2/2 · ${ranTag}`, describe: async () => `Row: ${await serviceRow.innerText()}` });
    // The picture: the verdict over the workbench, without the dry-run diff in front.
    await runCommand(page, 'View: Close All Editors');
    await notificationToast(page, `Deploy of ${REFERENCE.repository}:${TAG} to ${REFERENCE.service} failed`, { timeoutMs: 5_000 });
    await shot('deploy-rolled-back');
  } finally {
    clients.destroy();
  }
}
