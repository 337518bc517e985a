/**
 * Edit Repository Policy in the real VS Code against the seeded moto: a repository without a policy starts
 * from the pull-only template, saving writes it (read back from moto), a bad document is refused with the
 * reason and marked on its line, a public statement is marked repository/public-policy, and Delete removes it.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';
import type { ExplorerNode, RepositoryNode } from '../../../src/features/explorer/nodes';
import { activatedApi, waitFor } from './testEnv';

const ROLE = 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole';

describe('Edit Repository Policy against moto', () => {
  let api: ExtensionApi;
  let world: typeof import('../../support/referenceWorld');

  async function repositoryNode(name: string): Promise<RepositoryNode> {
    const [root] = ((await api.repositoriesView.getChildren()) ?? []) as ExplorerNode[];
    const found = (((await api.repositoriesView.getChildren(root)) ?? []) as ExplorerNode[]).find((n) => n.kind === 'repository' && n.repository.repositoryName === name);
    assert.ok(found, `${name} is listed`);
    return found as RepositoryNode;
  }

  const storedPolicy = async () => {
    const { edge, clients } = await api.session.access();
    const text = await edge.ecr.getRepositoryPolicy(clients.ecr, world.REFERENCE.repository);
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  };

  before(async () => {
    api = await activatedApi();
    world = await import('../../support/referenceWorld');
  });
  after(async () => {
    // Leave the shared world as the other suites expect it: no repository policy.
    const { edge, clients } = await api.session.access();
    await edge.ecr.deleteRepositoryPolicy(clients.ecr, world.REFERENCE.repository);
  });

  it('starts from the pull-only template for the role, saves it, reads it back from moto; refuses a bad document with the reason', async () => {
    assert.equal(await storedPolicy(), undefined, 'the seeded repository has no policy');
    const node = await repositoryNode(world.REFERENCE.repository);
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('ecrDeploy.editRepositoryPolicy', node, { roleArn: ROLE });
    const document = editor.document;
    assert.equal(document.uri.scheme, 'ecrdeploy-repository-policy');
    assert.match(document.uri.path, /\/us-east-1\/123456789012\/quilt-mcp-server\.repository-policy\.json$/);
    assert.equal(document.languageId, 'json');
    assert.ok(document.isDirty, 'the template is not applied until saved');
    const template = {
      Version: '2012-10-17',
      Statement: [{ Sid: 'AllowPull', Effect: 'Allow', Principal: { AWS: ROLE }, Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] }],
    };
    assert.deepEqual(JSON.parse(document.getText()), template);
    await document.save();
    assert.equal(document.isDirty, false);
    assert.deepEqual(await storedPolicy(), template);

    const replaceAll = async (text: string) => {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), text);
      assert.ok(await vscode.workspace.applyEdit(edit));
    };
    const bad = structuredClone(template) as { Statement: Array<Record<string, unknown>> };
    bad.Statement[0].Effect = 'Permit';
    bad.Statement.push({ Sid: 'Everyone', Effect: 'Allow', Principal: '*', Action: 'ecr:BatchGetImage' });
    const badText = JSON.stringify(bad, null, 2);
    await replaceAll(badText);
    const diagnostics = await waitFor(async () => {
      const found = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'ECR repository policy');
      return found.some((d) => d.code === 'repository/public-policy') && found.some((d) => /Effect must be "Allow" or "Deny"/.test(d.message)) ? found : undefined;
    }, 'the grammar and public-policy diagnostics', 30_000);
    const effect = diagnostics.find((d) => /Effect must be/.test(d.message))!;
    assert.equal(document.lineAt(effect.range.start.line).text.trim(), '"Effect": "Permit",', 'marked on the Effect line');
    const open = diagnostics.find((d) => d.code === 'repository/public-policy')!;
    assert.match(open.message, /^Statement "Everyone" allows anyone \(Principal "\*"\) with no Condition/);
    assert.match(document.lineAt(open.range.start.line).text, /"Principal": "\*"/);

    assert.equal(await document.save(), false, 'the bad policy is not saved');
    assert.ok(document.isDirty);
    // The reason the save failed, as the provider gives it (VS Code shows it in the save error).
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(document.uri, Buffer.from(badText))), (e: Error) => /Not saved: Statement\[0\]\.Effect must be "Allow" or "Deny"\./.test(e.message));
    assert.deepEqual(await storedPolicy(), template, 'nothing was sent');

    // A public statement follows the grammar: it is saved (the diagnostic says why it is a bad idea).
    bad.Statement[0].Effect = 'Allow';
    await replaceAll(JSON.stringify(bad, null, 2));
    await document.save();
    assert.equal(document.isDirty, false);
    assert.deepEqual(await storedPolicy(), bad);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('opens the stored policy as it is, and Delete Repository Policy removes it', async () => {
    const node = await repositoryNode(world.REFERENCE.repository);
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('ecrDeploy.editRepositoryPolicy', node);
    assert.equal(editor.document.isDirty, false);
    assert.equal((JSON.parse(editor.document.getText()) as { Statement: unknown[] }).Statement.length, 2);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    assert.equal(await vscode.commands.executeCommand('ecrDeploy.deleteRepositoryPolicy', node, { confirmed: true }), true);
    assert.equal(await storedPolicy(), undefined);
  });

  it('offers the roles the listed services run with (the execution role of the seeded service), read from task definitions already loaded', async () => {
    const view = api.servicesView;
    const cluster = (await view.getChildren())!.find((n) => n.kind === 'cluster' && n.cluster.clusterName === 'sales-prod');
    assert.ok(cluster, 'the seeded cluster is listed');
    await view.getChildren(cluster);
    const roles = await waitFor(() => {
      const found = view.knownRoles();
      return found.some((r) => r.arn === ROLE) && found;
    }, 'the execution role of the seeded service');
    assert.ok(roles.find((r) => r.arn === ROLE)!.usedBy.includes('mcp-server-production'), JSON.stringify(roles));

    // Edit Repository Policy on a repository without one asks for the role: accepting the first offer picks it.
    const { edge, clients } = await api.session.access();
    await edge.ecr.deleteRepositoryPolicy(clients.ecr, world.REFERENCE.repository);
    const opening = vscode.commands.executeCommand<vscode.TextEditor>('ecrDeploy.editRepositoryPolicy', await repositoryNode(world.REFERENCE.repository));
    await new Promise((r) => setTimeout(r, 1500));
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    const editor = await opening;
    assert.ok(editor.document.isDirty, 'the template waits for a save');
    assert.equal((JSON.parse(editor.document.getText()) as { Statement: Array<{ Principal: { AWS: string } }> }).Statement[0].Principal.AWS, roles[0].arn);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    assert.equal(await storedPolicy(), undefined, 'closed unsaved: nothing was sent');
  });
});
