/**
 * Edit and delete a repository's permissions policy (the reference workflow's "repository permissions"). Both
 * change AWS resources, so neither runs in an untrusted workspace; reading the policy does.
 */
import * as vscode from 'vscode';
import { formatRepositoryPolicy, pullOnlyPolicy, roleArnProblem } from '../../../core/repositoryPolicy/template';
import type { Services } from '../../context';
import type { CommandTable } from '../../commands';
import { repositoryTarget, type RepositoryTarget } from '../targets';
import { REPOSITORY_POLICY_SCHEME, repositoryPolicyUri, UNTRUSTED_POLICY_TEXT } from './repositoryPolicyDocuments';

function accountOf(target: RepositoryTarget): string {
  return target.repository.registryId ?? /^arn:[^:]+:ecr:[^:]*:(\d+):/.exec(target.repository.repositoryArn ?? '')?.[1] ?? 'registry';
}

function documentUri(services: Services, target: RepositoryTarget): vscode.Uri {
  return repositoryPolicyUri({ region: services.session.connection.region ?? '', registryId: accountOf(target), repositoryName: target.repository.repositoryName ?? '' });
}

/** The role the pull-only template is for: typed, checked as an IAM role ARN while typing; undefined if dismissed. */
async function askRole(target: RepositoryTarget): Promise<string | undefined> {
  const prefix = `arn:aws:iam::${accountOf(target)}:role/`;
  const role = await vscode.window.showInputBox({
    title: `${target.repository.repositoryName} has no repository policy: which IAM role may pull its images?`,
    prompt: 'The new policy lets this role pull (BatchGetImage, GetDownloadUrlForLayer, BatchCheckLayerAvailability) and nothing else. Edit it before saving to add more.',
    value: prefix,
    valueSelection: [prefix.length, prefix.length],
    placeHolder: `${prefix}ecsTaskExecutionRole`,
    ignoreFocusOut: true,
    validateInput: (value) => roleArnProblem(value),
  });
  return role?.trim() || undefined;
}

function explainUntrusted(): undefined {
  void vscode.window.showWarningMessage(UNTRUSTED_POLICY_TEXT, 'Manage Workspace Trust').then((choice) => {
    if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return undefined;
}

/**
 * Opens the policy in an editor (save = SetRepositoryPolicy). A repository without one starts from the
 * pull-only template for a role the person types (`options.roleArn` skips the question); the document is
 * then unsaved until they save it.
 */
export async function editRepositoryPolicy(services: Services, target: unknown, options: { roleArn?: string } = {}): Promise<vscode.TextEditor | undefined> {
  if (!vscode.workspace.isTrusted) return explainUntrusted();
  const resolved = await repositoryTarget(services, target, 'Edit Repository Policy');
  if (!resolved) return undefined;
  const document = await vscode.workspace.openTextDocument(documentUri(services, resolved));
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  if (document.getText().trim()) return editor;
  if (options.roleArn !== undefined && roleArnProblem(options.roleArn)) throw new Error(roleArnProblem(options.roleArn));
  const role = options.roleArn ?? (await askRole(resolved));
  if (!role) return editor;
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), formatRepositoryPolicy(pullOnlyPolicy(role)));
  await vscode.workspace.applyEdit(edit);
  void vscode.window.showInformationMessage(`Save the document to apply this policy to ${resolved.repository.repositoryName}: ${role.split('/').pop()} may pull its images.`);
  return editor;
}

/** Deletes the policy after a modal confirmation; true when it was deleted (or there was none to delete). */
export async function deleteRepositoryPolicy(services: Services, target: unknown, options: { confirmed?: boolean } = {}): Promise<boolean> {
  if (!vscode.workspace.isTrusted) return Boolean(explainUntrusted());
  const resolved = await repositoryTarget(services, target, 'Delete Repository Policy');
  if (!resolved) return false;
  const name = resolved.repository.repositoryName ?? '';
  const confirmed =
    options.confirmed ||
    (await vscode.window.showWarningMessage(
      `Delete the repository policy of ${name}?`,
      { modal: true, detail: 'Roles and accounts that the policy let in lose that access; IAM policies of this account still apply.' },
      'Delete Policy',
    )) === 'Delete Policy';
  if (!confirmed) return false;
  const { edge, clients } = await services.session.access();
  const existed = await edge.ecr.deleteRepositoryPolicy(clients.ecr, name);
  void vscode.window.showInformationMessage(existed ? `Deleted the repository policy of ${name}.` : `${name} has no repository policy: nothing to delete.`);
  return true;
}

/** From the command palette with a policy open, the command means that policy's repository. */
function orActiveDocument(target: unknown): unknown {
  const active = vscode.window.activeTextEditor?.document.uri;
  return target ?? (active?.scheme === REPOSITORY_POLICY_SCHEME ? active : undefined);
}

export function repositoryPolicyCommands(services: Services): CommandTable {
  return {
    'ecrDeploy.editRepositoryPolicy': (target?: unknown, options?: { roleArn?: string }) => editRepositoryPolicy(services, orActiveDocument(target), options),
    'ecrDeploy.deleteRepositoryPolicy': (target?: unknown, options?: { confirmed?: boolean }) => deleteRepositoryPolicy(services, orActiveDocument(target), options),
  };
}
