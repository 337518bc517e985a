import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { activatedApi, setSetting, e2eEnv, waitFor } from './testEnv';

const SOURCE = 'ECR Deploy readiness';

function readiness(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}
const codes = (uri: vscode.Uri) => readiness(uri).map((d) => `${String(d.code)}@${d.range.start.line}`).sort();

async function applyQuickFix(uri: vscode.Uri, diagnostic: vscode.Diagnostic, title: RegExp): Promise<void> {
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
  const action = actions.find((a) => title.test(a.title));
  assert.ok(action, `a quick fix ${title} among: ${actions.map((a) => a.title).join(' | ')}`);
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), 'the edit applies');
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

describe('deploy readiness (real VS Code)', () => {

  let folder: vscode.Uri;
  const file = (name: string) => vscode.Uri.joinPath(folder, name);

  before(async () => {
    await activatedApi();
    await setSetting('endpointUrl', e2eEnv('ECR_DEPLOY_E2E_MOTO'));
    await setSetting('region', 'us-east-1');
    folder = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'readiness-e2e');
    fs.mkdirSync(folder.fsPath, { recursive: true });
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await setSetting('readiness.ignore', undefined);
    await vscode.workspace.getConfiguration('ecrDeploy').update('readiness.ignore', undefined, vscode.ConfigurationTarget.Workspace);
    fs.rmSync(folder.fsPath, { recursive: true, force: true });
  });

  it('a Dockerfile gets its findings on open, and the suppression quick fix makes one go away', async () => {
    fs.writeFileSync(file('Dockerfile').fsPath, 'FROM python:3.12-slim\nENV APP_TOKEN=abc123\nCMD ["python", "app.py"]\n');
    const document = await vscode.workspace.openTextDocument(file('Dockerfile'));
    await vscode.window.showTextDocument(document);
    await waitFor(() => readiness(document.uri).length > 0 || undefined, 'readiness diagnostics on the Dockerfile');
    assert.deepEqual(codes(document.uri), ['dockerfile/no-healthcheck@0', 'dockerfile/root-user@0', 'dockerfile/secret-in-env@1', 'dockerfile/unpinned-base@0']);
    const secret = readiness(document.uri).find((d) => d.code === 'dockerfile/secret-in-env')!;
    assert.equal(secret.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(document.getText(secret.range), 'APP_TOKEN');

    await applyQuickFix(document.uri, secret, /^Ignore dockerfile\/secret-in-env here/);
    assert.equal(document.lineAt(1).text, '# ecr-deploy-ignore dockerfile/secret-in-env');
    await waitFor(() => !codes(document.uri).some((c) => c.startsWith('dockerfile/secret-in-env')) || undefined, 'the suppressed finding to go away');
    assert.deepEqual(codes(document.uri), ['dockerfile/no-healthcheck@0', 'dockerfile/root-user@0', 'dockerfile/unpinned-base@0']);

    // Typing updates them: a USER line silences root-user.
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(document.lineCount - 1, 0), 'USER app\n');
    await vscode.workspace.applyEdit(edit);
    await waitFor(() => !codes(document.uri).some((c) => c.startsWith('dockerfile/root-user')) || undefined, 'root-user to go away after USER is typed');
  });

  it('the pin quick fix asks the registry for the base image\'s digest and writes it into the FROM line', async function () {
    this.timeout(60_000);
    const os = await import('node:os');
    const path = await import('node:path');
    const { startRegistry } = await import('../../support/docker');
    const registryDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-deploy-pin-e2e-'));
    const registry = await startRegistry(registryDir, { anonymous: true });
    try {
      // A one-config-blob image through the registry's upload API.
      const config = Buffer.from('{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}');
      const { createHash } = await import('node:crypto');
      const sha = (b: string | Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
      const upload = await fetch(`http://${registry.endpoint}/v2/base/blobs/uploads/`, { method: 'POST' });
      const location = new URL(upload.headers.get('location')!, `http://${registry.endpoint}`);
      location.searchParams.set('digest', sha(config));
      assert.equal((await fetch(location, { method: 'PUT', body: config })).status, 201);
      const manifest = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length }, layers: [] });
      assert.equal((await fetch(`http://${registry.endpoint}/v2/base/manifests/2.0`, { method: 'PUT', headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }, body: manifest })).status, 201);

      const uri = file('pin.Dockerfile');
      fs.writeFileSync(uri.fsPath, `FROM ${registry.endpoint}/base:2.0\nUSER app\nHEALTHCHECK CMD true\n`);
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document);
      const unpinned = await waitFor(() => readiness(uri).find((d) => d.code === 'dockerfile/unpinned-base'), 'dockerfile/unpinned-base on pin.Dockerfile');
      await applyQuickFix(uri, unpinned, /^Pin .* by the digest its registry reports$/);
      assert.equal(document.lineAt(0).text, `FROM ${registry.endpoint}/base:2.0@${sha(manifest)}`);
      await waitFor(() => readiness(uri).length === 0 || undefined, 'no finding left once pinned');
    } finally {
      await registry.stop();
      fs.rmSync(registryDir, { recursive: true, force: true });
    }
  });

  it('a task-definition JSON file is recognised by its content; two quick fixes change its text and their findings go away', async () => {
    const taskDefinition = {
      family: 'web',
      executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
      containerDefinitions: [
        {
          name: 'web',
          image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v1.0.0',
          user: '1000',
          healthCheck: { command: ['CMD-SHELL', 'true'] },
          logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web' } },
          environment: [{ name: 'PORT', value: '8000' }, { name: 'DB_PASSWORD', value: 'hunter2' }],
        },
      ],
    };
    // Not named like a task definition: recognised by "containerDefinitions".
    fs.writeFileSync(file('web-service.json').fsPath, `${JSON.stringify(taskDefinition, null, 2)}\n`);
    const uri = file('web-service.json');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    await waitFor(() => readiness(uri).length >= 2 || undefined, 'readiness diagnostics on the task definition');
    const lineOf = (needle: string) => document.getText().split('\n').findIndex((l) => l.includes(needle));
    assert.deepEqual(codes(uri), [`taskdef/secret-in-environment@${lineOf('"DB_PASSWORD"')}`, `taskdef/writable-root-fs@${lineOf('"name": "web"')}`].sort());

    await applyQuickFix(uri, readiness(uri).find((d) => d.code === 'taskdef/writable-root-fs')!, /readonlyRootFilesystem/);
    assert.equal(JSON.parse(document.getText()).containerDefinitions[0].readonlyRootFilesystem, true);
    await waitFor(() => !codes(uri).some((c) => c.startsWith('taskdef/writable-root-fs')) || undefined, 'writable-root-fs to go away');

    await applyQuickFix(uri, readiness(uri).find((d) => d.code === 'taskdef/secret-in-environment')!, /^Move DB_PASSWORD to "secrets"/);
    const container = JSON.parse(document.getText()).containerDefinitions[0];
    assert.deepEqual(container.environment, [{ name: 'PORT', value: '8000' }]);
    assert.equal(container.secrets[0].name, 'DB_PASSWORD');
    assert.match(container.secrets[0].valueFrom, /^arn:aws:secretsmanager:/);
    assert.ok(!document.getText().includes('hunter2'));
    await waitFor(() => readiness(uri).length === 0 || undefined, 'no finding left on the task definition');
  });

  it('the ignore setting leaves a rule out of a task definition\'s diagnostics', async () => {
    const uri = file('other.json');
    fs.writeFileSync(uri.fsPath, JSON.stringify({ family: 'x', containerDefinitions: [{ name: 'x', image: 'nginx:latest', essential: false, user: '1', readonlyRootFilesystem: true, logConfiguration: { logDriver: 'json-file' } }] }, null, 2));
    const document = await vscode.workspace.openTextDocument(uri);
    await waitFor(() => readiness(uri).length > 0 || undefined, 'diagnostics on other.json');
    assert.deepEqual(codes(uri).map((c) => c.split('@')[0]), ['taskdef/mutable-image-tag']);
    await vscode.commands.executeCommand('ecrDeploy.ignoreReadinessRule', 'taskdef/mutable-image-tag');
    assert.deepEqual(vscode.workspace.getConfiguration('ecrDeploy').get('readiness.ignore'), ['taskdef/mutable-image-tag']);
    await waitFor(() => readiness(document.uri).length === 0 || undefined, 'the ignored rule to go away');
  });

  it('Check Deploy Readiness on a service reports its deployed revision and repository, with Problems on the revision', async () => {
    const result = await vscode.commands.executeCommand<{ report: { findings: Array<{ rule: string; severity: string; file: string }>; revision?: { label: string } }; reportUri: vscode.Uri; revisionUri?: vscode.Uri }>(
      'ecrDeploy.checkDeployReadiness',
      { cluster: 'sales-prod', service: 'sales-prod-mcp-server-production' },
    );
    assert.ok(result, 'the command returns its report');
    const rules = result.report.findings.map((f) => f.rule);
    for (const rule of ['taskdef/root-user', 'taskdef/writable-root-fs', 'repository/mutable-tags']) assert.ok(rules.includes(rule), `${rule} in ${rules.join(', ')}`);
    assert.ok(!rules.includes('repository/scan-on-push-off'), 'the reference repository scans on push');
    const shown = vscode.window.activeTextEditor?.document;
    assert.equal(shown?.uri.toString(), result.reportUri.toString());
    assert.match(shown!.getText(), /^# Deploy readiness of sales-prod\/sales-prod-mcp-server-production/);
    assert.match(shown!.getText(), /`repository\/mutable-tags` in repository quilt-mcp-server\n.*\n {3}Next step: Make tags immutable/);
    const onRevision = readiness(result.revisionUri!);
    assert.deepEqual(onRevision.map((d) => String(d.code)).sort(), result.report.findings.filter((f) => f.file.startsWith('task definition ')).map((f) => f.rule).sort());
    const revision = await vscode.workspace.openTextDocument(result.revisionUri!);
    const rootUser = onRevision.find((d) => d.code === 'taskdef/root-user')!;
    assert.equal(revision.getText(rootUser.range), '"name"');
  });
});
