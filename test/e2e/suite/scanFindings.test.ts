import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activatedApi, e2eEnv, setSetting, waitFor } from './testEnv';
import type { ExtensionApi } from '../../../src/extension';
import { REPO_ROOT } from '../../support/cliProcess';

const REPOSITORY = 'quilt-mcp-server';
const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/demo-workspace');

function lineOf(file: string, needle: RegExp): number {
  return fs.readFileSync(path.join(FIXTURE, file), 'utf8').split('\n').findIndex((l) => needle.test(l));
}

function scanDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'ECR scan');
}

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

describe('scan findings as diagnostics (real VS Code)', () => {
  let api: ExtensionApi;
  let service: vscode.Uri;
  let latest: { repositoryName: string; imageDigest: string; imageTags: string[] };
  const file = (name: string) => vscode.Uri.joinPath(service, name);

  before(async () => {
    api = await activatedApi();
    // Written through the API (which stores machine-scoped settings where a remote window reads them), not
    // left to the runner's user settings, which code-server may drop for a machine-overridable setting.
    await setSetting('endpointUrl', e2eEnv('ECR_DEPLOY_E2E_MOTO'));
    await setSetting('region', 'us-east-1');
    // The workspace's root Dockerfile builds something else; the one in a folder named after the repository wins.
    const root = vscode.workspace.workspaceFolders![0].uri;
    service = vscode.Uri.joinPath(root, REPOSITORY);
    fs.cpSync(FIXTURE, service.fsPath, { recursive: true });
    // Loaded here, not at the top: the activation test checks that nothing loaded the SDK before it.
    const { createAwsClients } = await import('../../../src/aws/clients');
    const { resolveConnection } = await import('../../../src/aws/connection');
    const { injectReferenceScanFindings } = await import('../../support/scanFindings');
    const clients = createAwsClients(resolveConnection({ endpointUrl: e2eEnv('ECR_DEPLOY_E2E_MOTO'), region: 'us-east-1', maxAttempts: 1 }));
    try {
      ({ latest } = await injectReferenceScanFindings(e2eEnv('ECR_DEPLOY_E2E_MOTO'), clients.ecr));
    } finally {
      clients.destroy();
    }
  });
  after(async () => {
    await vscode.commands.executeCommand('ecrDeploy.clearScanFindings');
    await setSetting('scan.minimumSeverity', undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(service.fsPath, { recursive: true, force: true });
  });

  it('Show Scan Findings on an image node puts every finding on the line that brought its package in', async () => {
    const node = { kind: 'image', repository: { repositoryName: REPOSITORY }, image: { imageDigest: latest.imageDigest, imageTags: latest.imageTags } };
    const published = await vscode.commands.executeCommand<number>('ecrDeploy.showScanFindings', node);
    assert.equal(published, 9);

    const dockerfile = scanDiagnostics(file('Dockerfile'));
    const at = (diagnostics: vscode.Diagnostic[]) => diagnostics.map((d) => [codeOf(d), d.range.start.line, vscode.DiagnosticSeverity[d.severity]]).sort();
    const fromLine = lineOf('Dockerfile', /^FROM /);
    assert.deepEqual(at(dockerfile), [
      ['CVE-2005-2541', fromLine, 'Hint'],
      ['CVE-2023-45853', lineOf('Dockerfile', /^\s+zlib1g-dev/), 'Error'],
      ['CVE-2023-4911', fromLine, 'Error'],
      ['CVE-2024-2398', lineOf('Dockerfile', /^\s+libcurl4-openssl-dev/), 'Error'],
      ['CVE-2024-5535', fromLine, 'Information'],
    ]);
    assert.deepEqual(at(scanDiagnostics(file('pyproject.toml'))), [
      ['CVE-2024-34064', lineOf('pyproject.toml', /"jinja2==/), 'Warning'],
      ['CVE-2024-35195', lineOf('pyproject.toml', /"requests==/), 'Warning'],
    ]);
    assert.deepEqual(at(scanDiagnostics(file('uv.lock'))), [
      ['CVE-2024-37891', lineOf('uv.lock', /^name = "urllib3"/), 'Warning'],
      ['CVE-2025-43859', lineOf('uv.lock', /^name = "h11"/), 'Error'],
    ]);

    const curl = dockerfile.find((d) => codeOf(d) === 'CVE-2024-2398')!;
    const short = `[quilt-mcp-server:latest ${latest.imageDigest.slice(0, 'sha256:'.length + 8)}]`;
    assert.equal(curl.message, `CVE-2024-2398 libcurl4-openssl-dev 7.88.1-10+deb12u5 (fixed in 7.88.1-10+deb12u6): When an application tells libcurl it wants to allow HTTP/2 server push, and the amount of received headers for the push surpasses the maximum allowed limit… ${short}`);
    assert.equal(curl.range.start.character, 8, 'the range covers the package name');
    assert.equal(curl.range.end.character, 8 + 'libcurl4-openssl-dev'.length);
    assert.equal(String((curl.code as { target: vscode.Uri }).target), 'https://nvd.nist.gov/vuln/detail/CVE-2024-2398');
    // No child row under each Problems entry: the image is in the message, short.
    const all = [...dockerfile, ...scanDiagnostics(file('pyproject.toml')), ...scanDiagnostics(file('uv.lock'))];
    assert.deepEqual(all.filter((d) => d.relatedInformation?.length).map(codeOf), []);
    assert.ok(all.every((d) => d.message.endsWith(short)), 'every message names the image');
    // Base-image findings sit on the FROM keyword, apart from the image (where the hover shows the counts first).
    const glibc = dockerfile.find((d) => codeOf(d) === 'CVE-2023-4911')!;
    assert.deepEqual([glibc.range.start.character, glibc.range.end.character], [0, 4]);
    assert.equal(api.scanDiagnostics.summaryFor(REPOSITORY, latest.imageDigest), '2 critical · 2 high · 3 medium · 1 low · 1 informational');
  });

  it('the image row shows the scan that was read, also where DescribeImages leaves the summary out, and is redrawn when one is read', async () => {
    // An image row as the view draws it from a DescribeImages answer without scan fields (moto's, some endpoints').
    const node = { kind: 'image', repository: { repositoryName: REPOSITORY, repositoryArn: `arn:aws:ecr:us-east-1:123456789012:repository/${REPOSITORY}` }, image: { imageDigest: latest.imageDigest, imageTags: latest.imageTags, imagePushedAt: new Date(), imageSizeInBytes: 1000 } };
    const item = await api.repositoriesView.getTreeItem(node as never);
    assert.match(String(item.description), /2 critical · 2 high · 3 medium · 1 low$/);
    assert.match((item.tooltip as vscode.MarkdownString).value, /Findings: 2 critical, 2 high, 3 medium, 1 low, 1 informational/);
    assert.equal(((item.iconPath as vscode.ThemeIcon).color as unknown as { id: string } | undefined)?.id, 'problemsErrorIcon.foreground');
    const redrawn = new Promise<void>((resolve) => {
      const subscription = api.scanDiagnostics.onDidRead((name) => {
        if (name !== REPOSITORY) return;
        subscription.dispose();
        resolve();
      });
    });
    await vscode.commands.executeCommand<number>('ecrDeploy.showScanFindings', { repositoryName: REPOSITORY, imageDigest: latest.imageDigest, imageTag: 'latest' });
    await redrawn;
  });

  it('the FROM line\'s hover counts the findings by severity and says which came with the base image', async () => {
    const document = await vscode.workspace.openTextDocument(file('Dockerfile'));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(lineOf('Dockerfile', /^FROM /), 8));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /^\*\*9 findings \(2 critical · 2 high · 3 medium · 1 low · 1 informational\)\*\* · ECR scan of `quilt-mcp-server:latest`/, 'the counts come first');
    assert.match(text, /3 of them come with the base image `ghcr\.io\/astral-sh\/uv:python3\.12-bookworm-slim`:\n\n- high CVE-2023-4911 `glibc 2\.36-9\+deb12u1`\n- low CVE-2024-5535 /);
    // Nothing VS Code would list above this hover: no scan diagnostic covers the image where the hover is.
    const image = new vscode.Position(lineOf('Dockerfile', /^FROM /), 8);
    assert.deepEqual(scanDiagnostics(document.uri).filter((d) => d.range.contains(image)).map(codeOf), []);
  });

  it('a quick fix bumps the pinned version in pyproject.toml to the fixed one', async () => {
    const document = await vscode.workspace.openTextDocument(file('pyproject.toml'));
    const line = lineOf('pyproject.toml', /"requests==/);
    const diagnostic = scanDiagnostics(document.uri).find((d) => d.range.start.line === line)!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
    const bump = actions.find((a) => a.title === 'Bump requests to 2.32.0 (fixes CVE-2024-35195), then update uv.lock');
    assert.ok(bump?.edit, `offered: ${actions.map((a) => a.title).join(', ')}`);
    // After the edit it says which command updates the lock file (uv.lock holds hashes: it is never edited here).
    assert.equal(bump.command?.command, 'ecrDeploy.scan.lockFileAdvice');
    assert.deepEqual(bump.command?.arguments?.slice(0, 3), ['pyproject.toml', 'uv.lock', 'uv lock --upgrade-package requests']);
    assert.ok(await vscode.workspace.applyEdit(bump.edit));
    assert.equal(document.lineAt(line).text, '    "requests==2.32.0",');
    // The manifest no longer pins the vulnerable version: its diagnostic clears, the others stay.
    await waitFor(() => !scanDiagnostics(document.uri).some((d) => codeOf(d) === 'CVE-2024-35195'), 'the bumped finding to clear', 5000);
    assert.deepEqual(scanDiagnostics(document.uri).map(codeOf), ['CVE-2024-34064']);
    // uv.lock is regenerated, never edited: no bump is offered there.
    const lock = await vscode.workspace.openTextDocument(file('uv.lock'));
    const lockDiagnostic = scanDiagnostics(lock.uri).find((d) => codeOf(d) === 'CVE-2024-37891')!;
    const lockActions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', lock.uri, lockDiagnostic.range, vscode.CodeActionKind.QuickFix.value);
    assert.deepEqual(lockActions.filter((a) => a.title.startsWith('Bump')), []);
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitFor(() => scanDiagnostics(document.uri).some((d) => codeOf(d) === 'CVE-2024-35195'), 'the finding to come back with the old pin', 5000);
  });

  it('the minimum-severity setting hides what is below it, and brings it back', async () => {
    await setSetting('scan.minimumSeverity', 'HIGH');
    await waitFor(() => scanDiagnostics(file('pyproject.toml')).length === 0, 'the manifest\'s findings below HIGH to be hidden', 5000);
    assert.deepEqual(scanDiagnostics(file('Dockerfile')).map(codeOf).sort(), ['CVE-2023-45853', 'CVE-2023-4911', 'CVE-2024-2398']);
    await setSetting('scan.minimumSeverity', undefined);
    await waitFor(() => scanDiagnostics(file('pyproject.toml')).length === 2, 'the manifest findings to come back', 5000);
  });

  it('Scan Image on an image scanned today reads that scan (ECR allows one a day); its result replaces the repository\'s', async () => {
    const published = await vscode.commands.executeCommand<number>('ecrDeploy.scanImage', { repositoryName: REPOSITORY, imageTag: 'dev' });
    assert.equal(published, 3);
    assert.deepEqual(scanDiagnostics(file('pyproject.toml')), [], 'the basic scan of dev replaced the enhanced scan of latest');
    assert.deepEqual(scanDiagnostics(file('Dockerfile')).map((d) => [codeOf(d), d.range.start.line]).sort(), [
      ['CVE-2023-45853', lineOf('Dockerfile', /^FROM /)],
      ['CVE-2024-2398', lineOf('Dockerfile', /^FROM /)],
      ['CVE-2024-5535', lineOf('Dockerfile', /^FROM /)],
    ]);
  });

  it('after a push to a scan-on-push repository the findings show by themselves; Clear removes them', async () => {
    await vscode.commands.executeCommand('ecrDeploy.clearScanFindings', REPOSITORY);
    assert.deepEqual(scanDiagnostics(file('Dockerfile')), []);
    const published = await vscode.commands.executeCommand<number>('ecrDeploy.showScanFindingsAfterPush', { repositoryName: REPOSITORY, imageDigest: latest.imageDigest, imageTag: 'latest', dockerfile: file('Dockerfile').fsPath });
    assert.equal(published, 9);
    assert.equal(scanDiagnostics(file('Dockerfile')).length, 5);
    await vscode.commands.executeCommand('ecrDeploy.clearScanFindings', { kind: 'repository', repository: { repositoryName: REPOSITORY } });
    assert.deepEqual(api.scanDiagnostics.repositories(), []);
    assert.deepEqual(scanDiagnostics(file('uv.lock')), []);
  });
});
