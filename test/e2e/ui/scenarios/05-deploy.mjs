// The headline of the product, as a person does it: right-click a tag, "Deploy to Service...", pick the cluster
// and service, read the dry run, confirm, watch the progress and read the verdict. The local AWS really rolls the
// service out, so the verdict is a success read from ECS's record of the deployment; the API then shows the
// service on the new revision with the new image, and the Services view lists the deploy under the service.
import * as assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { collapseRow, contextMenu, dialog, editorTitleAction, expandRow, notifications, notificationToast, openActivityView, quickPick, runCommand, treeRow, waitFor, waitForNotification } from '../../../../scripts/lib/workbench.mjs';
import awsClients from '../../../../out/src/aws/clients.js';
import awsConnection from '../../../../out/src/aws/connection.js';
import referenceWorld from '../../../../out/test/support/referenceWorld.js';

const { REFERENCE } = referenceWorld;
const TAG = 'jwt-auth-v1.0.0';

export const title = 'Deploy to Service... on a tag shows the dry-run diff, asks for the protected service, follows the rollout to its verdict: succeeded, on a new revision with the new image, kept in the deployment history under the service';

/** Until `stop()`, watch for the rollout's progress notification and photograph it the moment it shows. */
function catchProgress(page, shot, text) {
  let stopped = false;
  const caught = (async () => {
    while (!stopped) {
      const seen = await notifications(page).catch(() => []);
      if (seen.some((m) => m.includes(text))) {
        await shot('deploy-progress', { settleMs: 0, idleTimeoutMs: 0 });
        return true;
      }
      await sleep(20);
    }
    return false;
  })();
  return {
    stop: async () => {
      stopped = true;
      return caught;
    },
  };
}

export async function run({ page, world, shot }) {
  const clients = awsClients.createAwsClients(awsConnection.resolveConnection({ endpointUrl: world.moto.endpoint, region: 'us-east-1', maxAttempts: 1 }));
  try {
    const before = (await clients.ecs.send(new DescribeServicesCommand({ cluster: REFERENCE.cluster, services: [REFERENCE.service] }))).services[0];

    // Like a person: right-click the tag in Repositories, then pick where it goes.
    await openActivityView(page, 'ECR Deploy');
    await expandRow(page, REFERENCE.repository, { timeoutMs: 30_000 });
    await treeRow(page, TAG, { timeoutMs: 30_000 });
    await contextMenu(page, TAG, { click: 'Deploy to Service...' });
    // On a busy machine the menu's click is sometimes lost (the menu closes, no command runs): ask again once.
    // A late first pick is harmless: the second one replaces it and the first flow ends without a choice.
    await quickPick(page, REFERENCE.cluster, { timeoutMs: 30_000 }).catch(async () => {
      await contextMenu(page, TAG, { click: 'Deploy to Service...' });
      await quickPick(page, REFERENCE.cluster, { timeoutMs: 60_000 });
    });
    await quickPick(page, REFERENCE.service, { timeoutMs: 30_000 });

    // The dry run: the running revision and the new one side by side, Deploy / Cancel in the diff's title bar.
    const review = await notificationToast(page, `Review: deploy ${TAG} to ${REFERENCE.service}`, { timeoutMs: 60_000 });
    assert.match(review.message, new RegExp(`${REFERENCE.container}: ${REFERENCE.repository}:v1\\.0\\.0 → ${REFERENCE.repository}:${TAG.replace(/\./g, '\\.')}`));
    assert.ok(review.buttons.includes('Cancel'), `the review can be cancelled: ${JSON.stringify(review.buttons)}`);
    const diffEditor = page.locator('.editor-group-container .monaco-diff-editor').first();
    await waitFor(async () => (await diffEditor.count()) && (await diffEditor.isVisible()), { expected: 'the dry-run diff editor' });
    const tabs = (await page.locator('.tabs-container .tab').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    assert.ok(tabs.some((t) => t.includes('new revision') && t.includes(TAG)), `a diff tab "… ↔ new revision (${TAG})"; tabs: ${JSON.stringify(tabs)}`);
    const modified = await waitFor(
      async () => {
        const text = (await page.locator('.monaco-diff-editor .editor.modified .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
        return text.includes(`:${TAG}`) ? text : undefined;
      },
      { expected: `the new revision's side naming the ${TAG} image` },
    );
    assert.doesNotMatch(modified, /"revision"|"taskDefinitionArn"|"registeredAt"/, 'the read-only fields are dropped from what is registered');
    await shot('deploy-diff');
    await editorTitleAction(page, 'Deploy Reviewed Revision');
    // The service is *prod*: one short question more.
    const confirm = await dialog(page, { timeoutMs: 60_000 });
    assert.equal(confirm.message, `Deploy ${TAG} to ${REFERENCE.service}?`);
    assert.match(confirm.detail, /is protected \("\*prod\*"\)/);
    assert.ok(confirm.buttons.includes('Deploy'), `a Deploy button; buttons: ${JSON.stringify(confirm.buttons)}`);

    const progress = catchProgress(page, shot, `Deploying ${REFERENCE.repository}:${TAG} to ${REFERENCE.service}`);
    await confirm.click('Deploy');
    const verdict = await waitForNotification(page, `Deployed ${REFERENCE.repository}:${TAG} to ${REFERENCE.service}`, { timeoutMs: 60_000 });
    const photographed = await progress.stop();
    console.log(`    progress notification ${photographed ? 'caught in deploy-progress.png' : 'came and went between two looks: no screenshot'}`);
    assert.match(verdict, /: 2\/2 tasks running/, 'the verdict says what ECS says');
    assert.ok(verdict.length <= 100, `a one-line headline: ${verdict}`);

    // What moto now holds: the service names a new revision of the family, whose container runs the tag.
    const after = (await clients.ecs.send(new DescribeServicesCommand({ cluster: REFERENCE.cluster, services: [REFERENCE.service] }))).services[0];
    assert.notEqual(after.taskDefinition, before.taskDefinition, 'the service is on a new task definition');
    const revisionOf = (arn) => Number(arn.split(':').pop());
    assert.ok(revisionOf(after.taskDefinition) > revisionOf(before.taskDefinition), `${after.taskDefinition} is a later revision than ${before.taskDefinition}`);
    const { taskDefinition } = await clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: after.taskDefinition }));
    assert.equal(taskDefinition.family, REFERENCE.taskFamily);
    const container = taskDefinition.containerDefinitions.find((c) => c.name === REFERENCE.container);
    assert.match(container.image, new RegExp(`/${REFERENCE.repository}:${TAG.replace(/\./g, '\\.')}$`));
    await shot('deploy-succeeded');

    // The service keeps this deploy in its history: the tag, the revisions and the verdict, newest first.
    await collapseRow(page, REFERENCE.repository); // its tag row has the same label
    await expandRow(page, REFERENCE.cluster, { timeoutMs: 30_000 });
    await expandRow(page, REFERENCE.service, { timeoutMs: 30_000 });
    await expandRow(page, 'Deployment history', { timeoutMs: 30_000 });
    const historyRow = await treeRow(page, TAG, { timeoutMs: 30_000 });
    const historyText = (await historyRow.innerText()).replace(/\s+/g, ' ');
    assert.match(historyText, new RegExp(`${REFERENCE.taskFamily}:${revisionOf(before.taskDefinition)} → ${REFERENCE.taskFamily}:${revisionOf(after.taskDefinition)} · succeeded · just now`));
    // The row's tooltip holds the whole record; the picture shows it over an uncluttered workbench.
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'Notifications: Clear All Notifications');
    await historyRow.hover();
    const hover = page.locator('.workbench-hover, .monaco-hover').filter({ hasText: 'Task definition:' }).first();
    await waitFor(async () => (await hover.count()) && (await hover.isVisible()), { timeoutMs: 15_000, expected: 'the history row\'s tooltip' });
    assert.match((await hover.innerText()).replace(/\s+/g, ' '), new RegExp(`Image: \\S+/${REFERENCE.repository}:${TAG.replace(/\./g, '\\.')} \\(container ${REFERENCE.container}\\)`));
    await shot('deploy-history', { settleMs: 0 });
  } finally {
    clients.destroy();
  }
}
