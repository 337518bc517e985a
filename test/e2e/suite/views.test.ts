import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activatedApi, e2eEnv, labels, nextConnectionChange, repositoryLabels, setSetting } from './testEnv';
import type { ExtensionApi } from '../../../src/extension';

describe('views against the seeded moto', () => {
  let api: ExtensionApi;
  before(async () => {
    api = await activatedApi();
  });
  afterEach(async () => {
    // Back to the runner's connection: moto in us-east-1 through the endpoint setting, default chain.
    await setSetting('profile', undefined);
    await setSetting('region', 'us-east-1');
    await setSetting('endpointUrl', e2eEnv('ECR_DEPLOY_E2E_MOTO'));
  });

  it('lists the seeded repository under the registry in Repositories', async () => {
    assert.deepEqual(await labels(api.repositoriesView), ['Registry 123456789012']);
    assert.deepEqual(await repositoryLabels(api), ['quilt-mcp-server']);
  });

  it('lists clusters and their services in Services', async () => {
    const [cluster] = (await api.servicesView.getChildren()) ?? [];
    assert.equal((await api.servicesView.getTreeItem(cluster)).label, 'sales-prod');
    // The reference world's rolling service and the rollout world's blue/green one, by name.
    assert.deepEqual(await labels(api.servicesView, cluster), ['sales-prod-mcp-server-bluegreen', 'sales-prod-mcp-server-production']);
  });

  it('switching region refreshes every view at once with new clients', async () => {
    const repositoriesChanged = new Promise<void>((resolve) => api.repositoriesView.onDidChangeTreeData(() => resolve()));
    const servicesChanged = new Promise<void>((resolve) => api.servicesView.onDidChangeTreeData(() => resolve()));
    const changed = nextConnectionChange(api);
    await vscode.commands.executeCommand('ecrDeploy.selectRegion', 'eu-west-1');
    await changed;
    await Promise.all([repositoriesChanged, servicesChanged]);
    assert.equal(api.session.connection.region, 'eu-west-1');
    assert.deepEqual(await repositoryLabels(api), ['eu-only-service']);
    // An empty list is not a dead end: the next steps are rows of their own.
    assert.deepEqual(await labels(api.servicesView), ['No clusters in eu-west-1', 'Choose Region...']);
    const [, chooseRegion] = (await api.servicesView.getChildren()) ?? [];
    assert.equal((await api.servicesView.getTreeItem(chooseRegion)).command?.command, 'ecrDeploy.selectRegion');
  });

  it('a region without repositories offers Create Repository... and Choose Region...', async () => {
    const changed = nextConnectionChange(api);
    await vscode.commands.executeCommand('ecrDeploy.selectRegion', 'ap-southeast-2');
    await changed;
    assert.deepEqual(await repositoryLabels(api), ['No repositories in ap-southeast-2', 'Create Repository...', 'Choose Region...']);
    const [root] = (await api.repositoriesView.getChildren()) ?? [];
    const rows = await Promise.all(((await api.repositoriesView.getChildren(root)) ?? []).map((n) => api.repositoriesView.getTreeItem(n)));
    assert.deepEqual(rows.map((r) => r.command?.command), [undefined, 'ecrDeploy.createRepository', 'ecrDeploy.selectRegion']);
    assert.deepEqual(rows.map((r) => (r.iconPath as vscode.ThemeIcon).id), ['info', 'add', 'globe']);
  });

  it('switching profile uses that profile\'s credentials, region and endpoint from the shared files', async () => {
    await setSetting('region', undefined);
    await setSetting('endpointUrl', undefined);
    const changed = nextConnectionChange(api);
    await vscode.commands.executeCommand('ecrDeploy.selectProfile', 'moto-eu');
    await changed;
    assert.equal(api.session.connection.profileLabel, 'moto-eu');
    assert.equal(api.session.connection.region, 'eu-west-1');
    assert.deepEqual(await repositoryLabels(api), ['eu-only-service']);
    assert.equal(path.basename(e2eEnv('AWS_CONFIG_FILE')), 'config');
  });

  it('shows an error node, not an empty tree, when the endpoint cannot be reached', async () => {
    await setSetting('endpointUrl', 'http://127.0.0.1:9');
    const [node] = (await api.repositoriesView.getChildren()) ?? [];
    const item = await api.repositoriesView.getTreeItem(node);
    assert.equal(item.label, 'Could not list repositories');
    assert.match(String(item.description), /Cannot reach http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\)/);
    assert.equal(item.contextValue, 'error');
  });

  it('shows the "no credentials" welcome state for a profile without credentials', async () => {
    await setSetting('profile', 'no-credentials');
    const children = (await api.repositoriesView.getChildren()) ?? [];
    assert.deepEqual(children, [], 'the view is empty so its welcome content shows');
    assert.equal(api.session.connectionState, 'noCredentials');
  });
});
