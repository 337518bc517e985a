/**
 * Build and Push inside the real VS Code, on the e2e world's Docker engine and registry (its host has
 * DOCKER_HOST and ecrDeploy.registryEndpoint from test/support/dockerWorld.ts): the provided task, a
 * task written in tasks.json, and the command from a repository node.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';
import type { BuildOutcome } from '../../../src/features/build/buildService';
import { activatedApi, setSetting, waitFor } from './testEnv';
import { scriptWindow, type WindowRecorder } from './deployWindowStubs';

const REPOSITORY = 'quilt-mcp-server';

function nextBuild(api: ExtensionApi): Promise<BuildOutcome> {
  return new Promise((resolve) => {
    const subscription = api.builds.onDidFinish((outcome) => {
      subscription.dispose();
      resolve(outcome);
    });
  });
}

async function pushedTags(api: ExtensionApi, digest: string): Promise<string[] | undefined> {
  const { edge, clients } = await api.session.access();
  return (await edge.pushedImage.findImage(clients.ecr, REPOSITORY, { imageDigest: digest }))?.imageTags?.sort();
}

async function waitForTask(label: string): Promise<vscode.Task> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const task = (await vscode.tasks.fetchTasks({ type: 'ecr-deploy' })).find((t) => t.name === label);
    if (task) return task;
    if (Date.now() > deadline) throw new Error(`no ecr-deploy task named ${label}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('build and push on the real Docker engine', function () {
  this.timeout(180_000);
  let api: ExtensionApi;
  let folder: vscode.WorkspaceFolder;
  before(async () => {
    api = await activatedApi();
    folder = vscode.workspace.workspaceFolders![0];
    // Pushing to a scan-on-push repository would start the scan feature's wait in the background and
    // publish findings while the scan suite runs; these tests are about building and pushing.
    await setSetting('scan.showAfterPush', false);
  });
  after(async () => {
    await setSetting('scan.showAfterPush', undefined);
  });

  it('the host reaches the engine through DOCKER_HOST and the registry through ecrDeploy.registryEndpoint', () => {
    assert.match(process.env.DOCKER_HOST ?? '', /^unix:\/\/.*docker\.sock$/);
    assert.match(vscode.workspace.getConfiguration('ecrDeploy').get<string>('registryEndpoint') ?? '', /^127\.0\.0\.1:\d+$/);
  });

  it('the ecr-deploy task type offers Build and Push for the workspace Dockerfile', async () => {
    const tasks = await vscode.tasks.fetchTasks({ type: 'ecr-deploy' });
    const provided = tasks.filter((t) => t.source === 'ecr-deploy');
    assert.deepEqual(
      provided.map((t) => t.name),
      [`Build and Push Dockerfile to ${REPOSITORY}:dev`],
    );
    assert.deepEqual(provided[0].definition, { type: 'ecr-deploy', action: 'buildAndPush', repository: REPOSITORY, tags: ['dev'], dockerfile: 'Dockerfile', context: '.' });
    assert.equal(provided[0].group?.id, vscode.TaskGroup.Build.id);
  });

  it('running the provided task builds for linux/amd64, pushes, and the digest is in the ECR API', async () => {
    const [task] = (await vscode.tasks.fetchTasks({ type: 'ecr-deploy' })).filter((t) => t.source === 'ecr-deploy');
    const finished = nextBuild(api);
    await vscode.tasks.executeTask(task);
    const outcome = await finished;
    assert.ok(outcome.ok, outcome.error);
    assert.equal(outcome.platform, 'linux/amd64');
    assert.match(outcome.repositoryUri ?? '', /^127\.0\.0\.1:\d+\/quilt-mcp-server$/, 'the registry endpoint replaced the host of moto\'s URI');
    assert.match(outcome.digest ?? '', /^sha256:[0-9a-f]{64}$/);
    assert.deepEqual(await pushedTags(api, outcome.digest!), ['dev']);
  });

  it('Build and Push on a repository node, with the tags given, returns the outcome', async () => {
    const node = { kind: 'repository', repository: { repositoryName: REPOSITORY } };
    const redrawn: unknown[] = [];
    const subscription = api.repositoriesView.onDidChangeTreeData((e) => redrawn.push(e));
    let outcome: BuildOutcome | undefined;
    try {
      outcome = await vscode.commands.executeCommand<BuildOutcome | undefined>('ecrDeploy.buildAndPush', { ...node, tags: ['commit-e2e0001', 'pr-7'] });
      assert.ok(outcome?.ok, outcome?.error);
      await waitFor(() => redrawn.length > 0, 'the Repositories view to learn of the push');
    } finally {
      subscription.dispose();
    }
    // Only the pushed repository (or, when it is not shown yet, the registry's list) is read again, not the whole view.
    assert.ok(!redrawn.includes(undefined), `the whole view was refreshed: ${JSON.stringify(redrawn)}`);
    // The same Dockerfile built again gives the same image (layer cache): the new tags join the earlier ones.
    const tags = await pushedTags(api, outcome.digest!);
    assert.ok(tags?.includes('commit-e2e0001') && tags.includes('pr-7'), `tags in the API: ${tags}`);
    assert.equal(api.builds.repositoryFor(folder), REPOSITORY);
  });

  it('a hostile tag is refused before anything runs', async () => {
    let ran = false;
    const subscription = api.builds.onDidFinish(() => (ran = true));
    try {
      const outcome = await vscode.commands.executeCommand('ecrDeploy.buildAndPush', { repository: REPOSITORY, tags: ['$(touch /tmp/ecr-deploy-e2e-pwned)'] });
      assert.equal(outcome, undefined);
      assert.equal(ran, false, 'no task ran');
      assert.equal(fs.existsSync('/tmp/ecr-deploy-e2e-pwned'), false);
    } finally {
      subscription.dispose();
    }
  });

  it('a task written in tasks.json is resolved by the provider; a bad tag fails in its terminal with the reason', async () => {
    const tasksJson = path.join(folder.uri.fsPath, '.vscode', 'tasks.json');
    fs.mkdirSync(path.dirname(tasksJson), { recursive: true });
    fs.writeFileSync(
      tasksJson,
      JSON.stringify({
        version: '2.0.0',
        tasks: [
          { type: 'ecr-deploy', label: 'build only', action: 'build', repository: REPOSITORY, tags: ['jwt-auth-v1.0.0'], buildArgs: { GREETING: 'hi' } },
          { type: 'ecr-deploy', label: 'leading dash', action: 'build', repository: REPOSITORY, tags: ['-bad'] },
        ],
      }),
    );
    try {
      const built = nextBuild(api);
      await vscode.tasks.executeTask(await waitForTask('build only'));
      const buildOutcome = await built;
      assert.ok(buildOutcome.ok, buildOutcome.error);
      assert.equal(buildOutcome.digest, undefined, 'build pushes nothing');

      const refused = nextBuild(api);
      await vscode.tasks.executeTask(await waitForTask('leading dash'));
      const outcome = await refused;
      assert.equal(outcome.ok, false);
      assert.match(outcome.error ?? '', /The tag "-bad" starts with "-"/);
    } finally {
      fs.rmSync(path.dirname(tasksJson), { recursive: true, force: true });
    }
  });

  it('a tag built and pushed here runs for real once deployed: the verdict says succeeded, docker runs it, Tail Logs shows its own output', async function () {
    this.timeout(240_000);
    // Loaded here, not at the top: the activation test checks that nothing loaded more than the extension before it.
    const { HELLO_SERVICE_LINE, writeHelloService } = await import('../../support/dockerWorld');
    const { dockerCli } = await import('../../support/docker');
    const dockerfile = writeHelloService(folder.uri.fsPath);
    const tag = 'hello-e2e';
    const ref = { cluster: 'sales-prod', service: 'sales-prod-mcp-server-production' };
    let window: WindowRecorder | undefined;
    let tailId: string | undefined;
    try {
      const outcome = await vscode.commands.executeCommand<BuildOutcome | undefined>('ecrDeploy.buildAndPush', { dockerfile, repository: REPOSITORY, tags: [tag] });
      assert.ok(outcome?.ok, outcome?.error);

      window = scriptWindow({ picks: [tag], answer: (s) => (s.modal && s.message.startsWith(`Deploy ${tag} to `) ? 'Deploy' : undefined) });
      await vscode.commands.executeCommand('ecrDeploy.deployImage', ref);
      const told = await window.waitFor(/^(Deploy of|Deployed) /, 180_000);
      assert.match(told.message, new RegExp(`^Deployed ${REPOSITORY}:${tag} to ${ref.service}: `), told.message);

      // The local AWS ran the tasks as containers of the pushed image on the sandbox's engine, not as simulations.
      const running = await dockerCli(['ps', '--format', '{{.Image}}'], process.env);
      assert.ok(running.split('\n').some((image) => image.includes(`/${REPOSITORY}`)), `containers of the pushed image: ${running}`);

      tailId = await vscode.commands.executeCommand<string>('ecrDeploy.tailLogs', ref);
      const tail = api.logTails.get(tailId)!;
      tail.show();
      const line = new RegExp(`mcp-server/\\w{8} +${HELLO_SERVICE_LINE}`);
      let seen = '';
      // Earlier suites tailed this service too: their stopped channels have the same name, so every one is read.
      const channels = () =>
        vscode.workspace.textDocuments
          .filter((d) => d.uri.scheme === 'output' && decodeURIComponent(d.uri.toString()).includes(tail.channelName))
          .map((d) => d.getText())
          .join('\n');
      await waitFor(() => line.test((seen = channels())), 'the container\'s own line in the tail', 60_000).catch((error: Error) => {
        throw new Error(`${error.message}; the channel holds: ${seen.slice(-1500)}`);
      });
    } finally {
      window?.restore();
      if (tailId) await vscode.commands.executeCommand('ecrDeploy.stopLogTail', tailId);
      fs.rmSync(path.dirname(dockerfile), { recursive: true, force: true });
    }
  });
});
