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

/**
 * The role the pull-only template is for: picked from the roles the listed services' task definitions use, or
 * typed (checked as an IAM role ARN while typing); undefined if dismissed.
 */
async function askRole(services: Services, target: RepositoryTarget): Promise<string | undefined> {
  type RoleItem = vscode.QuickPickItem & { arn?: string };
  const prefix = `arn:aws:iam::${accountOf(target)}:role/`;
  const known: RoleItem[] = services.servicesView.knownRoles().map((role) => ({ label: role.arn.split('/').pop() ?? role.arn, description: role.arn, detail: `used by ${role.usedBy.join(', ')}`, arn: role.arn }));
  const pick = vscode.window.createQuickPick<RoleItem>();
  pick.title = `${target.repository.repositoryName} has no repository policy: which IAM role may pull its images?`;
  pick.placeholder = known.length ? `Pick a role your services use, or type a role ARN (${prefix}name)` : `Type a role ARN: ${prefix}name`;
  pick.matchOnDescription = true;
  pick.ignoreFocusOut = true;
  const update = () => {
    const typed = pick.value.trim();
    const problem = typed && !known.some((k) => k.arn === typed) ? roleArnProblem(typed) : undefined;
    const typedItem: RoleItem[] = typed && !known.some((k) => k.arn === typed) ? [{ label: problem ? `$(error) ${problem}` : `$(add) Use ${typed}`, arn: problem ? undefined : typed, alwaysShow: true }] : [];
    pick.items = [...typedItem, ...known];
  };
  update();
  return new Promise<string | undefined>((resolve) => {
    pick.onDidChangeValue(update);
    pick.onDidAccept(() => {
      // Enter on a valid typed ARN takes it, whichever row the list has highlighted (or none).
      const typed = pick.value.trim();
      const arn = pick.selectedItems[0]?.arn ?? (typed && !roleArnProblem(typed) ? typed : undefined);
      if (!arn) return; // an invalid ARN stays in the box, with the reason above it
      resolve(arn);
      pick.hide();
    });
    pick.onDidHide(() => {
      resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
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
  const uri = documentUri(services, resolved);
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  // Opened before: what ECR holds now, unless the person has edits of their own in it.
  if (open && !open.isDirty) services.repositoryPolicyDocuments.readAgain(uri);
  const document = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  if (document.getText().trim()) return editor;
  if (options.roleArn !== undefined && roleArnProblem(options.roleArn)) throw new Error(roleArnProblem(options.roleArn));
  const role = options.roleArn ?? (await askRole(services, resolved));
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
  services.repositoryPolicyDocuments.readAgain(documentUri(services, resolved));
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
