/**
 * The deploy feature inside the real extension host.
 * - Rollout flows (progress, verdict, actions, history, cancel, automatic rollback) run the feature's
 *   own code over scripted ECS answers (aws-sdk-client-mock) where a sequence must be exact.
 * - The commands run for real against the local AWS: the dry-run diff opens, the service is updated,
 *   the rollout really happens and its verdict is read from ECS's own record of it.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Service, Task } from '@aws-sdk/client-ecs';
import { resolveConnection } from '../../../src/aws/connection';
import { followUpdate } from '../../../src/features/deploy/rolloutFollow';
import { DeploymentHistory } from '../../../src/features/deploy/deploymentHistory';
import type { DeployServices } from '../../../src/features/deploy/deployContext';
import { NEW_DEPLOYMENT, NEW_TD, OLD_DEPLOYMENT, OLD_TD, deployment, fargateWithSidecars, service, task } from '../../support/ecsFixtures';
import { activatedApi, e2eEnv, memoryState, setSetting } from './testEnv';
import { scriptWindow, type WindowRecorder } from './deployWindowStubs';
import type { ExtensionApi } from '../../../src/extension';

// The SDK, its mock and the AWS edge are loaded when these tests run, not when mocha loads the files:
// the activation test, which runs first, checks that nothing loaded the SDK before activate().
type Sdk = typeof import('@aws-sdk/client-ecs');
const load = async () => ({
  sdk: await import('@aws-sdk/client-ecs'),
  mockClient: (await import('aws-sdk-client-mock')).mockClient,
  awsEdge: await import('../../../src/aws/index'),
});

const REF = { cluster: 'sales-prod', service: 'sales-prod-mcp-server-production' };

/** The Details document a verdict's button opened: the newest report under `path`. */
async function waitForReport(api: ExtensionApi, path: RegExp, timeoutMs = 10_000): Promise<string> {
  for (const deadline = Date.now() + timeoutMs; ; await new Promise((r) => setTimeout(r, 50))) {
    const text = api.reports.newest(path);
    if (text) return text;
    if (Date.now() > deadline) throw new Error(`no report under ${path}`);
  }
}
const ROLLBACK_DEPLOYMENT = 'ecs-svc/3333333333333333333';

describe('deploy: rollout flows in the feature code (scripted ECS, what moto cannot do)', () => {
  let api: ExtensionApi;
  let sdk: Sdk;
  let ecs: ReturnType<Awaited<ReturnType<typeof load>>['mockClient']>;
  let window: WindowRecorder | undefined;
  let history: DeploymentHistory;
  let services: DeployServices;
  let session: ExtensionApi['session'];

  const oldPrimary = () => deployment({ id: OLD_DEPLOYMENT, status: 'PRIMARY', taskDefinition: OLD_TD, runningCount: 2, rolloutState: 'COMPLETED', createdAt: new Date(Date.now() - 86_400_000) });
  const oldActive = () => ({ ...oldPrimary(), status: 'ACTIVE' });
  const ours = (over = {}) => deployment({ id: NEW_DEPLOYMENT, status: 'PRIMARY', taskDefinition: NEW_TD, createdAt: new Date(), pendingCount: 2, ...over });
  const healthy = (id = NEW_DEPLOYMENT) => task(id, 'RUNNING', { 'mcp-server': 'HEALTHY', 'datadog-agent': 'HEALTHY' });

  /** DescribeServices answers the polls in turn (the last repeats); UpdateService answers `updates` in turn. */
  function script(updates: Service[], polls: Array<{ service: Service; tasks?: Task[] }>): void {
    const { DescribeServicesCommand, UpdateServiceCommand, DescribeTaskDefinitionCommand, ListTasksCommand, DescribeTasksCommand } = sdk;
    let poll = -1;
    const current = () => polls[Math.min(Math.max(poll, 0), polls.length - 1)];
    ecs.on(DescribeServicesCommand).callsFake(() => ({ services: [polls[Math.min(++poll, polls.length - 1)].service] }));
    let update = 0;
    ecs.on(UpdateServiceCommand).callsFake(() => ({ service: updates[Math.min(update++, updates.length - 1)] }));
    ecs.on(DescribeTaskDefinitionCommand).callsFake((input: { taskDefinition: string }) => ({ ...fargateWithSidecars(), taskDefinition: { ...fargateWithSidecars().taskDefinition, taskDefinitionArn: input.taskDefinition } }));
    ecs.on(ListTasksCommand).callsFake((input: { desiredStatus?: string }) => ({ taskArns: (current().tasks ?? []).filter((t) => (input.desiredStatus === 'STOPPED') === (t.desiredStatus === 'STOPPED')).map((t) => t.taskArn) }));
    ecs.on(DescribeTasksCommand).callsFake((input: { tasks: string[] }) => ({ tasks: (current().tasks ?? []).filter((t) => input.tasks.includes(t.taskArn!)) }));
  }

  const follow = (before: Service) =>
    followUpdate(services, { kind: 'deploy', ref: REF, service: before, target: { taskDefinitionArn: NEW_TD }, what: 'quilt-mcp-server:v1.1.0', image: 'x:v1.1.0', container: 'mcp-server', logHint: 'CloudWatch Logs group /ecs/mcp-server-production (stream prefix ecs)' });

  before(async () => {
    api = await activatedApi();
    const loaded = await load();
    sdk = loaded.sdk;
    const awsEdge = loaded.awsEdge;
    ecs = loaded.mockClient(sdk.ECSClient) as unknown as typeof ecs;
    const clients = awsEdge.createAwsClients(resolveConnection({ region: 'us-east-1', endpointUrl: 'http://127.0.0.1:9', maxAttempts: 1 }));
    session = { access: async () => ({ edge: awsEdge, clients }), connection: clients.connection } as unknown as ExtensionApi['session'];
    await setSetting('deploy.pollIntervalSeconds', 1);
  });
  after(async () => {
    ecs.restore();
    await setSetting('deploy.pollIntervalSeconds', undefined);
    await setSetting('deploy.autoRollback', undefined);
  });
  beforeEach(() => {
    ecs.reset();
    history = new DeploymentHistory(memoryState());
    services = { session, log: api.log, deployHistory: history, deployDocuments: api.deployDocuments, servicesView: api.servicesView, reports: api.reports };
  });
  afterEach(() => window?.restore());

  it('success: progress follows this deployment, a one-line headline with the next steps, Details tells the whole story, the history records it', async () => {
    window = scriptWindow({ answer: (s) => (s.items.includes('Details') ? 'Details' : undefined) });
    script([service([ours(), oldActive()])], [
      { service: service([ours(), oldActive()]) },
      { service: service([ours({ runningCount: 2, pendingCount: 0, rolloutState: 'COMPLETED' })]), tasks: [healthy(), healthy()] },
    ]);
    const run = await follow(service([oldPrimary()]));
    assert.equal(run?.watch?.status.outcome, 'succeeded');
    assert.match(window.progress.map((p) => p.message).join('\n'), /IN_PROGRESS · 0\/2 running, 2 pending · \d+ s/);
    assert.equal(window.progress[0].title, 'Deploying quilt-mcp-server:v1.1.0 to sales-prod-mcp-server-production');
    const done = await window.waitFor(/^Deployed /);
    assert.equal(done.level, 'info');
    assert.match(done.message, /^Deployed quilt-mcp-server:v1\.1\.0 to sales-prod-mcp-server-production: 2\/2 tasks running in \d+ s$/);
    assert.ok(done.message.length <= 100, `a headline of at most 100 characters: ${done.message.length}`);
    assert.doesNotMatch(done.message, /ecs-svc\//, 'no internal deployment id in the headline');
    assert.deepEqual(done.items, ['Tail Logs', 'Roll Back', 'Validate Deployment', 'Details'], 'what people do next after a good deploy');
    // Details: the story the headline leaves out, rendered from a read-only document.
    const details = await waitForReport(api, /^verdicts\/sales-prod\/sales-prod-mcp-server-production\//);
    assert.match(details, /^# Deployed quilt-mcp-server:v1\.1\.0 to sales-prod-mcp-server-production/);
    assert.match(details, /\| ECS deployment \| `ecs-svc\/2+` \|/);
    assert.match(details, /## What happened\n\nDeployment ecs-svc\/2+ COMPLETED: 2\/2 tasks run mcp-server-production:8, health checks of mcp-server, datadog-agent HEALTHY\./);
    const [record] = history.all();
    assert.equal(record.result, 'succeeded');
    assert.equal(record.fromTaskDefinitionArn, OLD_TD);
    assert.equal(record.toTaskDefinitionArn, NEW_TD);
    assert.equal(record.deploymentId, NEW_DEPLOYMENT);
  });

  it('a circuit-breaker rollback that ends stable is shown as a failure; Tail Logs starts the service\'s log tail', async () => {
    const tailsBefore = api.logTails.list().length;
    window = scriptWindow({ answer: (s) => (s.items.includes('Tail Logs') ? 'Tail Logs' : undefined) });
    const rollback = deployment({ id: ROLLBACK_DEPLOYMENT, status: 'PRIMARY', taskDefinition: OLD_TD, runningCount: 2, rolloutState: 'COMPLETED', createdAt: new Date(), rolloutStateReason: `ECS deployment circuit breaker: rolling back to deploymentId ${OLD_DEPLOYMENT}.` });
    const crashed = task(NEW_DEPLOYMENT, 'STOPPED', {}, { stoppedReason: 'Essential container in task exited', containers: [{ name: 'mcp-server', exitCode: 1 }] });
    script([service([ours(), oldActive()])], [{ service: service([ours({ failedTasks: 1 }), oldActive()]), tasks: [crashed] }, { service: service([rollback]) }]);
    await follow(service([oldPrimary()]));
    const failed = await window.waitFor(/failed/);
    assert.equal(failed.level, 'error');
    assert.equal(failed.message, 'Deploy of quilt-mcp-server:v1.1.0 to sales-prod-mcp-server-production failed: ECS rolled back');
    assert.deepEqual(failed.items, ['Diagnose', 'Details', 'Tail Logs'], 'Diagnose first; no Roll Back: ECS already did');
    const [failedRecord] = history.all();
    assert.match(failedRecord.reason ?? '', /may look stable, but it runs the old revision.*Essential container in task exited/, 'the whole reason is kept for Details');
    assert.match(failedRecord.story?.stoppedTasks[0]?.reason ?? '', /^Essential container in task exited; mcp-server: exit code 1$/, 'the stopped task is kept for Details');
    for (const deadline = Date.now() + 30_000; api.logTails.list().length === tailsBefore; ) {
      if (Date.now() > deadline) throw new Error('Tail Logs started no log tail');
      await new Promise((r) => setTimeout(r, 100));
    }
    await vscode.commands.executeCommand('ecrDeploy.stopAllLogTails');
    assert.equal(history.all()[0].result, 'failed');
  });

  it('Cancel stops the watching, never the deployment: one UpdateService, an honest "stopped watching"', async () => {
    window = scriptWindow({ cancelAfterReports: 3 });
    script([service([ours(), oldActive()])], [{ service: service([ours(), oldActive()]) }]);
    const run = await follow(service([oldPrimary()]));
    assert.equal(run?.watch?.stoppedWatching, true);
    assert.equal(ecs.commandCalls(sdk.UpdateServiceCommand).length, 1);
    const told = await window.waitFor(/Stopped watching/);
    assert.equal(told.message, 'Stopped watching sales-prod-mcp-server-production: the deployment continues in ECS');
    assert.deepEqual(told.items, ['Validate Deployment', 'Details', 'Show Events']);
    assert.match(history.all()[0].reason ?? '', /Last status: IN_PROGRESS/);
    assert.equal(history.all()[0].result, 'stopped-watching');
  });

  it('with ecrDeploy.deploy.autoRollback, a FAILED rollout the breaker does not undo is rolled back and followed', async () => {
    await setSetting('deploy.autoRollback', true);
    window = scriptWindow();
    const breaker = { deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } } };
    const failedOurs = ours({ rolloutState: 'FAILED', rolloutStateReason: 'tasks failed to start', failedTasks: 3 });
    const back = deployment({ id: ROLLBACK_DEPLOYMENT, status: 'PRIMARY', taskDefinition: OLD_TD, createdAt: new Date() });
    script([service([ours(), oldActive()], breaker), service([back, { ...failedOurs, status: 'ACTIVE' }], breaker)], [
      { service: service([failedOurs, oldActive()], breaker) },
      { service: service([failedOurs, oldActive()], breaker) },
      { service: service([{ ...back, runningCount: 2, pendingCount: 0, rolloutState: 'COMPLETED' }], breaker), tasks: [healthy(ROLLBACK_DEPLOYMENT), healthy(ROLLBACK_DEPLOYMENT)] },
    ]);
    await follow(service([oldPrimary()], breaker));
    const failed = await window.waitFor(/failed/);
    assert.match(failed.message, /^Deploy of quilt-mcp-server:v1\.1\.0 to sales-prod-mcp-server-production failed: rolled back$/);
    assert.ok(failed.message.length <= 100, failed.message);
    assert.match(history.all().find((r) => r.kind === 'deploy')?.reason ?? '', /FAILED: tasks failed to start/);
    assert.deepEqual(ecs.commandCalls(sdk.UpdateServiceCommand).map((c) => (c.args[0].input as { taskDefinition: string }).taskDefinition), [NEW_TD, OLD_TD]);
    assert.deepEqual(history.all().map((r) => `${r.kind}:${r.result}`).sort(), ['auto-rollback:succeeded', 'deploy:failed']);
    assert.match(window.progress.map((p) => p.message).join('\n'), /rolling back · COMPLETED · 2\/2 running/);
  });
});

describe('deploy: the commands against the seeded moto', () => {
  let api: ExtensionApi;
  let window: WindowRecorder | undefined;
  const serviceTaskDefinition = async () => {
    const { edge, clients } = await api.session.access();
    return (await edge.ecs.describeService(clients.ecs, REF.cluster, REF.service))?.taskDefinition;
  };

  before(async () => {
    api = await activatedApi();
    await setSetting('endpointUrl', e2eEnv('ECR_DEPLOY_E2E_MOTO'));
    await setSetting('region', 'us-east-1');
    await setSetting('deploy.pollIntervalSeconds', 1);
  });
  after(() => setSetting('deploy.pollIntervalSeconds', undefined));
  afterEach(() => window?.restore());

  it('the confirmation of a protected service lists the readiness errors of the new revision (a mutable tag), and declining deploys nothing', async () => {
    const before = await serviceTaskDefinition();
    window = scriptWindow({ picks: ['latest'], answer: () => undefined });
    await vscode.commands.executeCommand('ecrDeploy.deployImage', REF);
    const confirm = window.shown.find((s) => s.modal)!;
    assert.ok(confirm, 'a modal confirmation was shown');
    assert.match(confirm.detail ?? '', /Deploy readiness: \d+ errors? in the new revision:\n• taskdef\/mutable-image-tag: Container mcp-server runs \S+:latest, a tag that moves \(on a protected service\)/);
    assert.equal(await serviceTaskDefinition(), before, 'declined: the service still runs the revision it ran');
    // The dry run's diff is left open by a declined deploy; the next test looks for its own.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Deploy Image... on the service: picks a tag, the dry-run diff to review (Deploy in its title bar), a short question for the protected service, follows the real rollout of the local AWS and says it succeeded', async () => {
    const before = await serviceTaskDefinition();
    window = scriptWindow({ picks: ['jwt-auth-v1.0.0'], answer: (s) => (s.modal && /^Deploy jwt-auth-v1\.0\.0 to /.test(s.message) ? 'Deploy' : undefined) });
    await vscode.commands.executeCommand('ecrDeploy.deployImage', REF);
    const review = window.progress.find((p) => p.title === 'Review: deploy jwt-auth-v1.0.0 to sales-prod-mcp-server-production');
    assert.ok(review, `the review waited for an answer; progress: ${JSON.stringify(window.progress.slice(0, 3))}`);
    assert.match(review.message, /^mcp-server: \S+:v1\.0\.0 → \S+:jwt-auth-v1\.0\.0, 1 change in the revision\. (Platform not checked \(linux\/amd64 needed\): the registry did not say\. )?Deploy or Cancel in the diff's title bar\.$/);
    assert.doesNotMatch(review.message, /dkr\.ecr/, 'short image names, no registry hosts');
    const confirm = window.shown.find((s) => s.modal)!;
    assert.ok(confirm, 'the protected service asked once more');
    assert.match(confirm.detail ?? '', /^sales-prod-mcp-server-production is protected \("\*prod\*"\)\./);
    const diffTab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputTextDiff);
    assert.ok(diffTab, 'the dry run opened a diff editor');
    assert.match(diffTab.label, /^mcp-server-production:\d+ ↔ new revision \(jwt-auth-v1\.0\.0\)$/);
    const input = diffTab.input as vscode.TabInputTextDiff;
    const [left, right] = await Promise.all([vscode.workspace.openTextDocument(input.original), vscode.workspace.openTextDocument(input.modified)]);
    assert.equal(left.getText().replace(/:v1\.0\.0"/, ':jwt-auth-v1.0.0"'), right.getText(), 'the two sides differ by the image only');

    const told = await window.waitFor(/^Deployed /);
    assert.equal(told.level, 'info');
    assert.match(told.message, /^Deployed \S+:jwt-auth-v1\.0\.0 to sales-prod-mcp-server-production: 2\/2 tasks running/);
    assert.ok(told.message.length <= 100, told.message);
    assert.deepEqual(told.items, ['Tail Logs', 'Roll Back', 'Validate Deployment', 'Details']);
    const after = await serviceTaskDefinition();
    assert.notEqual(after, before);
    assert.match(String(after), /mcp-server-production:\d+$/);
    assert.equal(api.deployHistory.forService(`arn:aws:ecs:us-east-1:123456789012:service/${REF.cluster}/${REF.service}`)[0]?.result, 'succeeded');
    // The Services view shows it under the service, newest first.
    const view = api.servicesView;
    const cluster = (await view.getChildren())!.find((n) => n.kind === 'cluster' && n.cluster.clusterName === REF.cluster);
    const service = (await view.getChildren(cluster))!.find((n) => n.kind === 'service' && n.service.serviceName === REF.service);
    const historyNode = (await view.getChildren(service))!.find((n) => n.kind === 'deploymentHistory');
    assert.ok(historyNode, 'a Deployment history row under the service');
    const [newest] = await Promise.all((await view.getChildren(historyNode))!.map((n) => view.getTreeItem(n)));
    assert.equal(newest.label, 'jwt-auth-v1.0.0');
    assert.match(String(newest.description), /^mcp-server-production:\d+ → mcp-server-production:\d+ · succeeded · just now$/);
  });

  for (const how of ['cancel', 'close'] as const) {
    it(`Deploy to Service... on an image: ${how === 'cancel' ? 'Cancel in the diff\'s title bar' : 'closing the diff'} deploys nothing and asks nothing more`, async () => {
      const before = await serviceTaskDefinition();
      const { edge, clients } = await api.session.access();
      const [repository] = await edge.ecr.listRepositories(clients.ecr);
      window = scriptWindow({ picks: ['sales-prod', 'sales-prod-mcp-server-production'], review: how, answer: () => 'Deploy' });
      const image = { imageDigest: 'sha256:x', imageTags: ['dev'], repositoryName: repository.repositoryName };
      await vscode.commands.executeCommand('ecrDeploy.deployToService', { kind: 'image', repository, image });
      assert.ok(window.progress.some((p) => p.title === 'Review: deploy dev to sales-prod-mcp-server-production'), 'the review was shown');
      assert.ok(!window.shown.some((s) => s.modal), 'no modal after a cancelled review');
      assert.equal(await serviceTaskDefinition(), before, 'cancelled: nothing registered or updated');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });
  }

  it('Validate Deployment says healthy once the deployed revision runs its tasks and passes its health checks', async () => {
    window = scriptWindow();
    await vscode.commands.executeCommand('ecrDeploy.validateDeployment', REF);
    const told = await window.waitFor(/sales-prod-mcp-server-production is/);
    assert.equal(told.level, 'info');
    assert.match(told.message, / is healthy/);
  });

  it('Roll Back... lists earlier revisions with their images and restores the chosen one', async () => {
    const current = String(await serviceTaskDefinition());
    const previous = current.replace(/:(\d+)$/, (_, n) => `:${Number(n) - 1}`);
    window = scriptWindow({ picks: [previous.split('/').pop()!], answer: (s) => (s.modal ? 'Roll Back' : undefined) });
    await vscode.commands.executeCommand('ecrDeploy.rollBack', REF);
    await window.waitFor(/^Rolled sales-prod-mcp-server-production back to /);
    assert.equal(await serviceTaskDefinition(), previous);
  });

  it('with ecrDeploy.deploy.verifyMinutes, a successful rollout is watched: the progress counts the window down, and a window without figures is "not verified", never a success', async () => {
    // After Roll Back, the service runs v1.0.0 again: deploying it once more leaves the tag the later suites expect.
    // Six seconds (fractions of a minute are for tests): the demo's traffic is one point a minute, so at most one of the two windows holds one.
    await setSetting('deploy.verifyMinutes', 0.1);
    const before = String(await serviceTaskDefinition());
    try {
      window = scriptWindow({ picks: ['v1.0.0'], answer: (s) => (s.modal && /^Deploy v1\.0\.0 to /.test(s.message) ? 'Deploy' : undefined) });
      await vscode.commands.executeCommand('ecrDeploy.deployImage', REF);
      const told = await window.waitFor(/is not verified/, 120_000);
      assert.equal(told.level, 'warning');
      assert.match(told.message, /^\S+:v1\.0\.0 on sales-prod-mcp-server-production is not verified: no metrics to compare$/);
      assert.deepEqual(told.items, ['Validate Deployment', 'Details', 'Show Metrics', 'Roll Back']);
      assert.match(window.progress.map((p) => p.message).join('\n'), /^verifying · \d+ s left · /m);
      const [record] = api.deployHistory.forService(`arn:aws:ecs:us-east-1:123456789012:service/${REF.cluster}/${REF.service}`);
      assert.equal(record?.result, 'unverified');
      assert.match(record?.reason ?? '', /Not verified: CloudWatch had no figures/);
    } finally {
      await setSetting('deploy.verifyMinutes', undefined);
      // Back to the revision the later suites expect (a rollback is never verified, whatever the setting).
      window?.restore();
      window = scriptWindow({ answer: (s) => (s.modal ? 'Roll Back' : undefined) });
      await vscode.commands.executeCommand('ecrDeploy.rollBack', { ...REF, toTaskDefinitionArn: before });
      await window.waitFor(/^Rolled sales-prod-mcp-server-production back to /, 120_000);
      assert.equal(await serviceTaskDefinition(), before);
    }
  });

  it('Show Service Events opens a read-only document of the service\'s events', async () => {
    await vscode.commands.executeCommand('ecrDeploy.showServiceEvents', REF);
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.scheme, 'ecr-deploy');
    assert.match(editor!.document.getText(), /^Service events of sales-prod\/sales-prod-mcp-server-production, newest first/);
  });
});
