/**
 * The explorer inside the real VS Code extension host, against the seeded moto: rows as users see
 * them (labels, descriptions, icons, context values per node kind), paging, filters, settings
 * toggles, lifecycle policy editing with the contributed JSON schema, previews, and Services rows.
 * Confirmation dialogs (delete image, delete repository) are clicked in test/e2e/ui instead.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { ExtensionApi } from '../../../src/extension';
import type { ExplorerNode, RegistryNode, RepositoryNode, ServiceNode } from '../../../src/features/explorer/nodes';
import { REFERENCE_LIFECYCLE_POLICY } from '../../../src/core/lifecycle/policy';
import { lifecyclePreviewPath } from '../../../src/core/lifecycle/report';
import { imageTagKind } from '../../../src/core/ecr/tagPolicy';
import { formatBytes } from '../../../src/core/text/format';
import { injectScanFindings, scanFindingsResult, startScanSummaryShim, type ScanSummaryShim } from '../../support/scanSummaryShim';
import { activatedApi, e2eEnv, memoryState, setSetting, waitFor } from './testEnv';
import { DeploymentHistory } from '../../../src/features/deploy/deploymentHistory';
import { ServicesView } from '../../../src/features/explorer/servicesView';

type View = ExtensionApi['repositoriesView'] | ExtensionApi['servicesView'];

async function children(view: View, node?: ExplorerNode): Promise<ExplorerNode[]> {
  return ((await view.getChildren(node)) ?? []) as ExplorerNode[];
}

async function items(view: View, node?: ExplorerNode): Promise<vscode.TreeItem[]> {
  return Promise.all((await children(view, node)).map((c) => view.getTreeItem(c)));
}

const label = (item: vscode.TreeItem) => (typeof item.label === 'string' ? item.label : (item.label?.label ?? ''));
const icon = (item: vscode.TreeItem) => (item.iconPath as vscode.ThemeIcon | undefined)?.id;

describe('explorer rows, commands and lifecycle editing against moto', () => {
  let api: ExtensionApi;
  let ecr: ECRClient;
  // Loaded in before(): mocha loads every test file before the activation test checks that nothing loaded the SDK.
  let sdk: typeof import('@aws-sdk/client-ecr');
  let world: typeof import('../../support/referenceWorld');
  const moto = () => e2eEnv('ECR_DEPLOY_E2E_MOTO');

  async function registry(): Promise<RegistryNode> {
    const [root] = await children(api.repositoriesView);
    assert.equal(root.kind, 'registry');
    return root as RegistryNode;
  }

  async function repository(name: string): Promise<RepositoryNode> {
    const found = (await children(api.repositoriesView, await registry())).find((n) => n.kind === 'repository' && n.repository.repositoryName === name);
    assert.ok(found, `${name} is listed`);
    return found as RepositoryNode;
  }

  async function pushImages(repositoryName: string, tags: string[]): Promise<void> {
    for (const tag of tags) await ecr.send(new sdk.PutImageCommand({ repositoryName, imageManifest: world.fakeManifest(`${repositoryName}-${tag}`), imageTag: tag }));
  }

  before(async () => {
    api = await activatedApi();
    sdk = await import('@aws-sdk/client-ecr');
    world = await import('../../support/referenceWorld');
    ecr = new sdk.ECRClient({ region: 'us-east-1', endpoint: moto(), maxAttempts: 1, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  });
  // Leave the shared world as the other suites expect it: only the reference repository, with its policy.
  after(async () => {
    for (const repositoryName of ['scanned-service', 'paged-service', 'team/created-in-e2e']) {
      await ecr.send(new sdk.DeleteRepositoryCommand({ repositoryName, force: true })).catch(() => undefined);
    }
    await ecr.send(new sdk.PutLifecyclePolicyCommand({ repositoryName: world.REFERENCE.repository, lifecyclePolicyText: JSON.stringify(REFERENCE_LIFECYCLE_POLICY) }));
    ecr.destroy();
    await api.repositoriesView.refresh();
  });
  afterEach(async () => {
    await setSetting('endpointUrl', moto());
    await setSetting('explorer.pageSize', undefined);
  });

  it('shows the registry, and repositories with their settings', async () => {
    const root = await registry();
    const rootItem = await api.repositoriesView.getTreeItem(root);
    assert.equal(label(rootItem), 'Registry 123456789012');
    assert.equal(rootItem.contextValue, 'registry');
    assert.equal(rootItem.collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
    const node = await repository(world.REFERENCE.repository);
    const item = await api.repositoriesView.getTreeItem(node);
    assert.match(String(item.description), /^scan on push · mutable tags · AES256/);
    assert.match(item.contextValue ?? '', /^repository\.scanOnPush$/);
    assert.match((item.tooltip as vscode.MarkdownString).value, /123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/quilt-mcp-server/);
  });

  it('lists the lifecycle policy and the images with tag-kind icons; the repository row learns the policy', async () => {
    const node = await repository(world.REFERENCE.repository);
    const rows = await items(api.repositoriesView, node);
    assert.equal(label(rows[0]), 'Lifecycle policy');
    assert.equal(rows[0].description, '3 rules');
    assert.equal(rows[0].contextValue, 'lifecyclePolicy');
    const images = rows.slice(1);
    assert.ok(images.length >= world.REFERENCE.images.length);
    // Other suites push to this repository before this one runs (tags move): check each row by what it carries.
    const kindIcon: Record<string, string> = { latest: 'star-full', semver: 'tag', feature: 'beaker', dev: 'tools', pr: 'git-pull-request', commit: 'git-commit', other: 'bookmark' };
    const shown = new Set<string>();
    for (const image of images) {
      const kind = imageTagKind(label(image).split(', '));
      assert.ok(kind, label(image));
      shown.add(kind);
      assert.equal(icon(image), kindIcon[kind], label(image));
    }
    for (const kind of ['latest', 'feature', 'pr', 'commit', 'other']) assert.ok(shown.has(kind), `a ${kind} tag is shown`);
    assert.ok(images.some((i) => label(i) === 'jwt-auth-v1.0.0' && icon(i) === 'beaker'));
    assert.ok(images.some((i) => label(i).startsWith('latest, ') && icon(i) === 'star-full'));
    for (const image of images) {
      assert.equal(image.contextValue, 'image.tagged');
      assert.match(String(image.description), /^(just now|\d+ min ago) · [\d.]+ [kM]?B$/);
    }
    const repoItem = await waitFor(async () => {
      const i = await api.repositoriesView.getTreeItem(node);
      return String(i.description).includes('lifecycle') ? i : undefined;
    }, 'the repository row to show its lifecycle policy');
    assert.match(String(repoItem.description), /lifecycle: 3 rules$/);
  });

  it('shows each tag with its scan summary (scan fields as ECR returns them in DescribeImages)', async () => {
    // moto keeps scan results out of DescribeImages; the shim in front of it puts them where ECR does.
    await ecr.send(new sdk.CreateRepositoryCommand({ repositoryName: 'scanned-service', imageScanningConfiguration: { scanOnPush: true } }));
    await pushImages('scanned-service', ['v2.0.0', 'v1.9.0', 'dev-unscanned']);
    await injectScanFindings(moto(), 'us-east-1', [scanFindingsResult('scanned-service', 'v2.0.0', { CRITICAL: 2, HIGH: 5, LOW: 1 }), scanFindingsResult('scanned-service', 'v1.9.0', {})]);
    for (const imageTag of ['v2.0.0', 'v1.9.0']) await ecr.send(new sdk.StartImageScanCommand({ repositoryName: 'scanned-service', imageId: { imageTag } }));
    const shim: ScanSummaryShim = await startScanSummaryShim(moto());
    try {
      await setSetting('endpointUrl', shim.endpoint);
      const rows = await items(api.repositoriesView, await repository('scanned-service'));
      const byLabel = new Map(rows.map((i) => [label(i), i]));
      assert.match(String(byLabel.get('v2.0.0')?.description), / · 2 critical · 5 high · 1 low$/);
      assert.equal(((byLabel.get('v2.0.0')?.iconPath as vscode.ThemeIcon).color as unknown as { id: string }).id, 'problemsErrorIcon.foreground');
      assert.match(String(byLabel.get('v1.9.0')?.description), / · no findings$/);
      assert.doesNotMatch(String(byLabel.get('dev-unscanned')?.description), /finding|scan/);
      assert.match((byLabel.get('v2.0.0')?.tooltip as vscode.MarkdownString).value, /Findings: 2 critical, 5 high, 1 low/);
    } finally {
      await shim.stop();
    }
  });

  it('pages images with Load more, and filters them by tag', async () => {
    await ecr.send(new sdk.CreateRepositoryCommand({ repositoryName: 'paged-service' }));
    await pushImages('paged-service', Array.from({ length: 25 }, (_, i) => `pr-${i}`));
    await setSetting('explorer.pageSize', 10);
    const node = await repository('paged-service');
    // Before it is expanded, the row counts its images from the first page, read ahead (moto answers all 25 in one page).
    const listed = (await ecr.send(new sdk.DescribeImagesCommand({ repositoryName: 'paged-service' }))).imageDetails ?? [];
    const size = formatBytes(listed.reduce((sum, i) => sum + (i.imageSizeInBytes ?? 0), 0));
    const counted = await waitFor(async () => {
      const row = await api.repositoriesView.getTreeItem(node);
      return String(row.description).endsWith(` · 25 images · ${size}`) && row;
    }, 'the paged-service row with its image count and size');
    assert.match((counted.tooltip as vscode.MarkdownString).value, new RegExp(`Images: 25, ${size.replace('.', '\\.')} in all`));
    let rows = await children(api.repositoriesView, node);
    assert.equal(rows.filter((r) => r.kind === 'image').length, 10);
    const more = rows[rows.length - 1];
    assert.equal(more.kind, 'loadMore');
    assert.equal((await api.repositoriesView.getTreeItem(more)).description, '10 images shown');
    await vscode.commands.executeCommand('ecrDeploy.loadMore', more);
    rows = await children(api.repositoriesView, node);
    assert.equal(rows.filter((r) => r.kind === 'image').length, 20);
    await vscode.commands.executeCommand('ecrDeploy.loadMore', rows[rows.length - 1]);
    rows = await children(api.repositoriesView, node);
    assert.equal(rows.filter((r) => r.kind === 'image').length, 25);
    assert.ok(!rows.some((r) => r.kind === 'loadMore'), 'no Load more once everything is shown');

    await vscode.commands.executeCommand('ecrDeploy.filterImages', node, 'PR-2');
    const filtered = await items(api.repositoriesView, node);
    assert.deepEqual(filtered.slice(1).map(label).sort(), ['pr-2', 'pr-20', 'pr-21', 'pr-22', 'pr-23', 'pr-24']);
    const filteredRow = await api.repositoriesView.getTreeItem(node);
    assert.match(filteredRow.contextValue ?? '', /^repository.*\.filtered$/);
    assert.match(String(filteredRow.description), /^filter "PR-2"/);
    await vscode.commands.executeCommand('ecrDeploy.filterImages', node, 'no-such-tag');
    assert.deepEqual((await items(api.repositoriesView, node)).map(label), ['Lifecycle policy', 'No image tag contains "no-such-tag"']);
    await vscode.commands.executeCommand('ecrDeploy.clearImageFilter', node);
    assert.doesNotMatch((await api.repositoriesView.getTreeItem(node)).contextValue ?? '', /filtered/);
  });

  it('creates a repository and toggles its settings, redrawing only its row', async () => {
    const uri = await vscode.commands.executeCommand<string>('ecrDeploy.createRepository', { repositoryName: 'team/created-in-e2e', scanOnPush: true, immutableTags: false, encryption: { type: 'AES256' } });
    assert.match(uri, /\/team\/created-in-e2e$/);
    const node = await repository('team/created-in-e2e');
    const redrawn: unknown[] = [];
    const subscription = api.repositoriesView.onDidChangeTreeData((e) => redrawn.push(e));
    try {
      assert.equal(await vscode.commands.executeCommand('ecrDeploy.toggleScanOnPush', node), false);
      assert.equal(await vscode.commands.executeCommand('ecrDeploy.toggleTagImmutability', node), true);
      const item = await api.repositoriesView.getTreeItem(node);
      assert.match(String(item.description), /^no scan on push · immutable tags/);
      assert.equal(item.contextValue, 'repository.immutable');
      await waitFor(async () => redrawn.length > 0, 'a redraw');
      // Deferred redraws of other rows (a registry count) may land meanwhile; the toggles redraw this row alone.
      assert.ok(redrawn.some((e) => Array.isArray(e) && e.length === 1 && e[0] === node), 'the repository row was redrawn');
      assert.ok(!redrawn.some((e) => e === undefined || (Array.isArray(e) && e.includes(node) && e.length > 1)), 'nothing more was redrawn with it');
    } finally {
      subscription.dispose();
    }
    const { edge, clients } = await api.session.access();
    const read = await edge.ecr.describeRepository(clients.ecr, 'team/created-in-e2e');
    assert.equal(read?.imageScanningConfiguration?.scanOnPush, false);
    assert.equal(read?.imageTagMutability, 'IMMUTABLE');
  });

  it('refresh(node) re-reads only that node', async () => {
    const node = await repository(world.REFERENCE.repository);
    const fired: unknown[] = [];
    const subscription = api.repositoriesView.onDidChangeTreeData((e) => fired.push(e));
    try {
      await api.repositoriesView.refresh(node);
      await waitFor(async () => fired.some((e) => Array.isArray(e) && e.includes(node)), 'the change event');
      assert.ok(fired.some((e) => Array.isArray(e) && e.length === 1 && e[0] === node));
      assert.ok(!fired.includes(undefined), 'the view as a whole was not refreshed');
    } finally {
      subscription.dispose();
    }
  });

  it('refreshing the registry reads its repositories before redrawing it: one redraw, with the count', async () => {
    const root = await registry();
    const fired: unknown[] = [];
    const subscription = api.repositoriesView.onDidChangeTreeData((e) => fired.push(e));
    try {
      await api.repositoriesView.refresh(root);
      await children(api.repositoriesView, root); // as VS Code asks once the row is redrawn
      // A second redraw of the registry, deferred until the view is quiet, would come about a second later.
      await new Promise((r) => setTimeout(r, 2500));
    } finally {
      subscription.dispose();
    }
    // (Rows of earlier tests may still get their own deferred redraws; what counts is the registry's.)
    assert.deepEqual(fired.filter((e) => e === undefined || (Array.isArray(e) && e.includes(root))), [[root]]);
    assert.match(String((await api.repositoriesView.getTreeItem(root)).description), /^us-east-1 · \d+ repositor(y|ies)$/);
  });

  it('edits the lifecycle policy as JSON: the schema validates while typing, a bad policy is not saved, a good one is', async () => {
    const node = await repository(world.REFERENCE.repository);
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('ecrDeploy.editLifecyclePolicy', node);
    const document = editor.document;
    assert.equal(document.uri.scheme, 'ecrdeploy-lifecycle');
    assert.equal(document.languageId, 'json');
    assert.deepEqual(JSON.parse(document.getText()), REFERENCE_LIFECYCLE_POLICY);

    const replaceAll = async (text: string) => {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), text);
      assert.ok(await vscode.workspace.applyEdit(edit));
    };
    const broken = JSON.parse(document.getText());
    broken.rules[2].selection.countUnit = 'weeks';
    broken.rules[1].rulePriority = 1;
    await replaceAll(JSON.stringify(broken, null, 2));
    const diagnostics = await waitFor(async () => {
      const found = vscode.languages.getDiagnostics(document.uri);
      return found.some((d) => /weeks|days/.test(d.message)) && found.some((d) => d.source === 'ECR lifecycle policy') ? found : undefined;
    }, 'schema and rule diagnostics', 30_000);
    assert.ok(diagnostics.some((d) => d.source === 'ECR lifecycle policy' && /already used by rules\[0\]/.test(d.message)));
    assert.equal(await document.save(), false, 'the invalid policy is not saved');
    assert.ok(document.isDirty);
    const { edge, clients } = await api.session.access();
    assert.deepEqual(JSON.parse((await edge.ecr.getLifecyclePolicy(clients.ecr, world.REFERENCE.repository))!), REFERENCE_LIFECYCLE_POLICY);

    const changed = structuredClone(REFERENCE_LIFECYCLE_POLICY);
    changed.rules[2].selection.countNumber = 5;
    changed.rules[2].description = 'Expire pr- images older than 5 days';
    await replaceAll(JSON.stringify(changed, null, 2));
    // save() answers false when auto-save (on by default in the web workbench) got there first: look at the outcome.
    await document.save();
    assert.equal(document.isDirty, false);
    assert.deepEqual(JSON.parse((await edge.ecr.getLifecyclePolicy(clients.ecr, world.REFERENCE.repository))!), changed);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('offers the reference rules to a repository without a policy, saved on request', async () => {
    const node = await repository('paged-service');
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('ecrDeploy.editLifecyclePolicy', node, { template: 'reference' });
    assert.ok(editor.document.isDirty, 'the template is not applied until saved');
    assert.deepEqual(JSON.parse(editor.document.getText()), REFERENCE_LIFECYCLE_POLICY);
    await editor.document.save();
    assert.equal(editor.document.isDirty, false);
    const { edge, clients } = await api.session.access();
    assert.deepEqual(JSON.parse((await edge.ecr.getLifecyclePolicy(clients.ecr, 'paged-service'))!), REFERENCE_LIFECYCLE_POLICY);
    const lifecycleRow = (await items(api.repositoriesView, node))[0];
    assert.equal(lifecycleRow.description, '3 rules');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('previews the policy: moto has no preview API, so the evaluator answers and the report says so', async () => {
    const node = await repository(world.REFERENCE.repository);
    const preview = await vscode.commands.executeCommand<{ source: string; fallbackReason?: string; results: unknown[] }>('ecrDeploy.previewLifecyclePolicy', node);
    assert.equal(preview.source, 'local');
    assert.match(preview.fallbackReason ?? '', /HTTP 500/);
    assert.deepEqual(preview.results, [], 'every reference image was pushed just now');
    const report = api.reports.textOf(lifecyclePreviewPath(world.REFERENCE.repository, 'us-east-1')) ?? '';
    assert.match(report, /^# Lifecycle policy preview: quilt-mcp-server/);
    assert.match(report, /\*\*No image would be affected\.\*\*/);
    // Shown rendered, as VS Code's Markdown preview (beside the policy it previews).
    await waitFor(async () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.input instanceof vscode.TabInputWebview && /markdown\.preview/.test(t.input.viewType) && /lifecycle preview/.test(t.label)) || undefined, 'the rendered preview');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Enter on a tag opens its details rendered: full digest, size, scan, and the services that run it', async () => {
    const node = await repository(world.REFERENCE.repository);
    const imageNodes = (await children(api.repositoriesView, node)).filter((n) => n.kind === 'image');
    const rows = await Promise.all(imageNodes.map((n) => api.repositoriesView.getTreeItem(n)));
    const row = rows.find((r) => label(r).split(', ').includes('v1.0.0'));
    assert.ok(row?.command, 'the v1.0.0 row has a command for Enter and click');
    assert.equal(row.command.command, 'ecrDeploy.showImageDetails');
    const uri = (await vscode.commands.executeCommand(row.command.command, ...(row.command.arguments ?? []))) as vscode.Uri;
    const text = api.reports.textOf(uri.path) ?? '';
    const image = imageNodes[rows.indexOf(row)] as Extract<ExplorerNode, { kind: 'image' }>;
    assert.ok(text.includes(`| Digest | \`${image.image.imageDigest}\` |`), text);
    assert.match(text, /\| Size \| [\d.]+ [kM]?B \([\d,]+ bytes, compressed layers\) \|/);
    assert.match(text, /\| Scan \| /);
    // The reference service runs v1.0.0 (the deploy suite left it there): found by reading every cluster's services.
    assert.ok(text.includes(`| sales-prod | ${world.REFERENCE.service} | `), text);
    assert.doesNotMatch(text, /Looking through the services/);
    // Shown rendered, as VS Code's Markdown preview.
    await waitFor(async () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.input instanceof vscode.TabInputWebview && /markdown\.preview/.test(t.input.viewType)) || undefined, 'the rendered details page');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Services: counts, the primary image tag, deployments, events and tasks, with their context values', async () => {
    const [cluster] = await children(api.servicesView);
    assert.equal((await api.servicesView.getTreeItem(cluster)).contextValue, 'cluster');
    // The cluster also holds the rollout world's blue/green service (listed first, by name): this test reads the rolling one.
    const servicesOfCluster = await children(api.servicesView, cluster);
    const serviceLabels = await Promise.all(servicesOfCluster.map(async (s) => label(await api.servicesView.getTreeItem(s))));
    assert.deepEqual(serviceLabels, ['sales-prod-mcp-server-bluegreen', world.REFERENCE.service]);
    const service = servicesOfCluster[serviceLabels.indexOf(world.REFERENCE.service)];
    const item = await waitFor(async () => {
      const i = await api.servicesView.getTreeItem(service);
      return String(i.description).includes('v1.0.0') ? i : undefined;
    }, 'the image tag from the task definition');
    assert.equal(label(item), world.REFERENCE.service);
    assert.equal(item.contextValue, 'service');
    assert.match(String(item.description), /^\d\/2 · v1\.0\.0/);
    const rows = await items(api.servicesView, service);
    assert.deepEqual(rows.map(label), ['PRIMARY · mcp-server-production:1', 'Events', 'Tasks', 'Target health', 'Service deployments', 'Deployment history']);
    assert.deepEqual(rows.map((r) => r.contextValue), ['deployment.primary', 'serviceEvents', 'serviceTasks', 'targetHealth', 'serviceDeployments', 'deploymentHistory']);
    const [events, tasks, targetHealth, serviceDeployments] = (await children(api.servicesView, service)).slice(1);
    // The e2e world puts the service behind a load balancer with two registered targets (moto answers them healthy).
    const groups = await items(api.servicesView, targetHealth);
    assert.deepEqual(groups.map((g) => [label(g), g.description]), [['mcp-production-tg', '2 healthy · 0 unhealthy · 0 draining']]);
    const targets = await items(api.servicesView, (await children(api.servicesView, targetHealth))[0]);
    assert.deepEqual(targets.map((t) => [label(t), t.description]), [['10.0.1.11:8000', 'healthy'], ['10.0.2.12:8000', 'healthy']]);
    // The local AWS really runs the service: ECS's events, its two tasks, its service deployment.
    assert.ok((await items(api.servicesView, events)).some((e) => /has started 2 tasks|has reached a steady state/.test(label(e))), 'ECS events about the service');
    const taskRows = await items(api.servicesView, tasks);
    // The deploy suite ran before: the tasks it replaced are listed too, stopped, after the two that run.
    const running = taskRows.filter((r) => r.contextValue === 'task.running');
    assert.equal(running.length, 2, taskRows.map((r) => `${label(r)} ${r.contextValue}`).join(', '));
    assert.deepEqual(taskRows.slice(0, 2), running, 'running tasks come first');
    assert.ok(taskRows.every((r) => r.contextValue === 'task.running' || r.contextValue === 'task.stopped'));
    const deploymentRows = await items(api.servicesView, serviceDeployments);
    assert.ok(deploymentRows.length >= 1 && deploymentRows.every((r) => /^rolling · /.test(label(r))), deploymentRows.map(label).join(', '));
  });
});

describe('deployment history under a service', () => {
  let api: ExtensionApi;
  let world: typeof import('../../support/referenceWorld');
  before(async () => {
    api = await activatedApi();
    world = await import('../../support/referenceWorld');
  });

  it('lists the workspace\'s records for that service, newest first, and redraws them when one is added (no AWS read)', async () => {
    // A view of its own over a history of its own: the workspace's real history stays as the deploy tests left it.
    const history = new DeploymentHistory(memoryState());
    const view = new ServicesView(api.session, api.log, history);
    try {
      const [cluster] = await children(view);
      const [service] = await children(view, cluster);
      const historyNode = (await children(view, service)).find((n) => n.kind === 'deploymentHistory');
      assert.ok(historyNode, 'a Deployment history row under the service');
      assert.equal(String((await view.getTreeItem(historyNode)).description), 'none from this workspace');
      assert.deepEqual((await items(view, historyNode)).map(label), ['No deployments of this service from this workspace yet']);

      const redrawn: unknown[] = [];
      const subscription = view.onDidChangeTreeData((e) => redrawn.push(e));
      const serviceArn = (service as ServiceNode).service.serviceArn!;
      const family = `arn:aws:ecs:us-east-1:123456789012:task-definition/${world.REFERENCE.taskFamily}`;
      const common = { cluster: world.REFERENCE.cluster, service: world.REFERENCE.service, serviceArn, container: world.REFERENCE.container };
      try {
        await history.record({ ...common, id: 'd-1', at: new Date(Date.now() - 3 * 3600_000).toISOString(), kind: 'deploy', image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/${world.REFERENCE.repository}:v1.1.0`, fromTaskDefinitionArn: `${family}:1`, toTaskDefinitionArn: `${family}:2`, result: 'succeeded' });
        await history.record({ ...common, id: 'd-2', at: new Date().toISOString(), kind: 'rollback', fromTaskDefinitionArn: `${family}:2`, toTaskDefinitionArn: `${family}:1`, result: 'failed', reason: 'ECS deployment circuit breaker: tasks failed to start.' });
        await history.record({ ...common, serviceArn: `${serviceArn}-other`, id: 'd-3', at: new Date().toISOString(), kind: 'deploy', toTaskDefinitionArn: `${family}:9`, result: 'succeeded' });
        await waitFor(async () => redrawn.some((e) => Array.isArray(e) && e.includes(historyNode)), 'the history row redrawn');
      } finally {
        subscription.dispose();
      }
      assert.ok(!redrawn.includes(undefined), 'a new record does not refresh the whole view');
      const historyItem = await view.getTreeItem(historyNode);
      assert.equal(String(historyItem.description), '2 · last failed just now');
      const rows = await items(view, historyNode);
      assert.deepEqual(rows.map(label), [`rollback to ${world.REFERENCE.taskFamily}:1`, 'v1.1.0']);
      assert.deepEqual(rows.map((r) => String(r.description)), [
        `${world.REFERENCE.taskFamily}:2 → ${world.REFERENCE.taskFamily}:1 · failed · just now`,
        `${world.REFERENCE.taskFamily}:1 → ${world.REFERENCE.taskFamily}:2 · succeeded · 3 h ago`,
      ]);
      assert.deepEqual(rows.map((r) => r.contextValue), ['deploymentRecord.failed', 'deploymentRecord.succeeded']);
      assert.deepEqual(rows.map(icon), ['error', 'pass']);
      assert.match((rows[0].tooltip as vscode.MarkdownString).value, /Result: failed: ECS deployment circuit breaker/);
    } finally {
      view.dispose();
    }
  });
});

describe('automatic refresh', () => {
  let api: ExtensionApi;
  before(async () => {
    api = await activatedApi();
  });
  after(() => vscode.commands.executeCommand('workbench.view.explorer'));

  it('costs nothing while the views are hidden, and skips a view that is still loading', async () => {
    await vscode.commands.executeCommand('workbench.view.explorer');
    await waitFor(async () => !api.repositoriesView.isVisible && !api.servicesView.isVisible, 'the ECR Deploy views to be hidden');
    assert.deepEqual(api.autoRefresh.tick(), [], 'hidden views are not refreshed');

    await vscode.commands.executeCommand('workbench.view.extension.ecrDeploy');
    await waitFor(async () => api.repositoriesView.isVisible && api.servicesView.isVisible, 'the ECR Deploy views to show');
    await waitFor(async () => !api.repositoriesView.isLoading && !api.servicesView.isLoading, 'the views to finish loading');
    assert.deepEqual(api.autoRefresh.tick(), [api.repositoriesView, api.servicesView]);
    // A load in flight (started here, before VS Code asks) must not be aborted by another refresh.
    await api.repositoriesView.refresh();
    const pending = api.repositoriesView.getChildren();
    assert.ok(api.repositoriesView.isLoading);
    assert.ok(!api.autoRefresh.tick().includes(api.repositoriesView), 'a view that is loading is skipped');
    await pending;
  });

  it('redraws the visible rows every minute from memory, so relative times move on without an AWS call', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.ecrDeploy');
    await waitFor(async () => api.repositoriesView.isVisible && !api.repositoriesView.isLoading && !api.servicesView.isLoading || undefined, 'the views to show, loaded');
    const before = (await api.repositoriesView.getChildren()) ?? [];
    const changed = new Promise<unknown>((resolve) => api.repositoriesView.onDidChangeTreeData((change) => resolve(change)));
    assert.deepEqual(api.autoRefresh.redrawAges(), [api.repositoriesView, api.servicesView]);
    assert.equal(await changed, undefined, 'the whole view redraws');
    const after = (await api.repositoriesView.getChildren()) ?? [];
    assert.ok(before.length > 0 && after.every((node, i) => node === before[i]), 'the same nodes, from memory: nothing was read again');
    assert.ok(!api.repositoriesView.isLoading);
  });
});
