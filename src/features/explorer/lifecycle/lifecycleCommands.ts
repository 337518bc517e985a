/** Edit, preview and delete a repository's lifecycle policy. */
import * as vscode from 'vscode';
import { previewLifecyclePolicy as previewWithFallback, type LifecyclePreview } from '../../../app/lifecycle/preview';
import { lifecyclePreviewPath, lifecyclePreviewReport } from '../../../core/lifecycle/report';
import { describeProblems, formatLifecyclePolicy, parseLifecyclePolicy, REFERENCE_LIFECYCLE_POLICY, type LifecyclePolicy } from '../../../core/lifecycle/policy';
import type { Services } from '../../context';
import type { CommandTable } from '../../commands';
import { withCancellableProgress } from '../../progress';
import { repositoryTarget, type RepositoryTarget } from '../targets';
import { LIFECYCLE_SCHEME, lifecyclePolicyUri, policyLocation } from './lifecycleDocuments';

export type TemplateName = 'reference' | 'keepNewest' | 'empty';

const TEMPLATES: Record<TemplateName, { label: string; detail: string; policy: LifecyclePolicy | undefined }> = {
  reference: {
    label: 'Reference rules',
    detail: 'Expire untagged images after 7 days, dev- images after 14 days, pr- images after 3 days',
    policy: REFERENCE_LIFECYCLE_POLICY,
  },
  keepNewest: {
    label: 'Keep the newest 100 images',
    detail: 'One rule for every image: expire all but the 100 most recently pushed',
    policy: { rules: [{ rulePriority: 1, description: 'Keep the newest 100 images', selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 100 }, action: { type: 'expire' } }] },
  },
  empty: { label: 'Start empty', detail: 'A rules list to fill in (completion offers rule snippets)', policy: undefined },
};

function templateText(name: TemplateName): string {
  return TEMPLATES[name].policy ? formatLifecyclePolicy(TEMPLATES[name].policy) : '{\n  "rules": [\n    \n  ]\n}\n';
}

function documentUri(services: Services, target: RepositoryTarget): vscode.Uri {
  const region = services.session.connection.region ?? '';
  const registryId = target.repository.registryId ?? /^arn:[^:]+:ecr:[^:]*:(\d+):/.exec(target.repository.repositoryArn ?? '')?.[1] ?? 'registry';
  return lifecyclePolicyUri({ region, registryId, repositoryName: target.repository.repositoryName ?? '' });
}

/** Opens the policy in an editor; a repository without one gets a template to save (the document is then unsaved). */
export async function editLifecyclePolicy(services: Services, target: unknown, options: { template?: TemplateName } = {}): Promise<vscode.TextEditor | undefined> {
  const resolved = await repositoryTarget(services, target, 'Edit Lifecycle Policy');
  if (!resolved) return undefined;
  const document = await vscode.workspace.openTextDocument(documentUri(services, resolved));
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  if (document.getText().trim()) return editor;
  let template = options.template;
  if (!template) {
    const picked = await vscode.window.showQuickPick(
      (Object.entries(TEMPLATES) as Array<[TemplateName, (typeof TEMPLATES)[TemplateName]]>).map(([name, t]) => ({ label: t.label, detail: t.detail, name })),
      { title: `${resolved.repository.repositoryName} has no lifecycle policy: start from`, ignoreFocusOut: true },
    );
    template = picked?.name;
  }
  if (!template) return editor;
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), templateText(template));
  await vscode.workspace.applyEdit(edit);
  void vscode.window.showInformationMessage(`Save the document to apply this lifecycle policy to ${resolved.repository.repositoryName}.`);
  return editor;
}

/** The policy text to preview: the open editor's (saved or not) when the command came from it, else the saved policy. */
async function policyToPreview(services: Services, target: unknown, resolved: RepositoryTarget): Promise<{ text: string; draft: boolean } | undefined> {
  const fromEditor =
    target instanceof vscode.Uri
      ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString())
      : vscode.window.activeTextEditor?.document.uri.scheme === LIFECYCLE_SCHEME &&
          policyLocation(vscode.window.activeTextEditor.document.uri).repositoryName === resolved.repository.repositoryName
        ? vscode.window.activeTextEditor.document
        : undefined;
  if (fromEditor?.getText().trim()) return { text: fromEditor.getText(), draft: fromEditor.isDirty };
  const { edge, clients } = await services.session.access();
  const saved = await edge.ecr.getLifecyclePolicy(clients.ecr, resolved.repository.repositoryName ?? '');
  services.repositoriesView.setLifecyclePolicy(resolved.repository, saved ?? null);
  if (saved) return { text: saved, draft: false };
  const choice = await vscode.window.showInformationMessage(
    `${resolved.repository.repositoryName} has no lifecycle policy. Preview the reference rules (untagged > 7 days, dev- > 14 days, pr- > 3 days)?`,
    'Preview Reference Rules',
  );
  return choice ? { text: formatLifecyclePolicy(REFERENCE_LIFECYCLE_POLICY), draft: true } : undefined;
}

/** Lists the images the policy would expire; returns the preview (for tests and other features). */
export async function previewLifecyclePolicy(services: Services, target: unknown): Promise<LifecyclePreview | undefined> {
  const resolved = await repositoryTarget(services, target, 'Preview Lifecycle Policy');
  if (!resolved) return undefined;
  const policy = await policyToPreview(services, target, resolved);
  if (!policy) return undefined;
  const parsed = parseLifecyclePolicy(policy.text);
  if (!parsed.policy) {
    void vscode.window.showErrorMessage(`The lifecycle policy is not valid, so it cannot be previewed: ${describeProblems(parsed.problems)}`, { modal: false });
    return undefined;
  }
  const repositoryName = resolved.repository.repositoryName ?? '';
  const region = services.session.connection.region ?? '';
  const preview = await withCancellableProgress(`Previewing the lifecycle policy of ${repositoryName}`, async (signal) =>
    previewWithFallback(await services.session.access(), repositoryName, policy.text, { signal }),
  );
  if (preview.source === 'local') services.log.info(`Lifecycle preview of ${repositoryName} evaluated locally: ${preview.fallbackReason}`);
  const report = lifecyclePreviewReport({ repositoryName, region, ...preview, policy: parsed.policy, draft: policy.draft, now: new Date() });
  // Beside the policy it previews, rendered: the draft stays in view.
  await services.reports.show(lifecyclePreviewPath(repositoryName, region), report, { beside: true });
  return preview;
}

export async function deleteLifecyclePolicy(services: Services, target: unknown): Promise<boolean> {
  const resolved = await repositoryTarget(services, target, 'Delete Lifecycle Policy');
  if (!resolved) return false;
  const name = resolved.repository.repositoryName ?? '';
  const confirmed = await vscode.window.showWarningMessage(
    `Delete the lifecycle policy of ${name}?`,
    { modal: true, detail: 'ECR stops expiring images in this repository. The images themselves stay.' },
    'Delete Policy',
  );
  if (confirmed !== 'Delete Policy') return false;
  const { edge, clients } = await services.session.access();
  await edge.ecr.deleteLifecyclePolicy(clients.ecr, name);
  services.repositoriesView.setLifecyclePolicy(resolved.repository, null);
  void vscode.window.showInformationMessage(`Deleted the lifecycle policy of ${name}.`);
  return true;
}

/** From the command palette with a policy open, the command means that policy's repository. */
function orActiveDocument(target: unknown): unknown {
  const active = vscode.window.activeTextEditor?.document.uri;
  return target ?? (active?.scheme === LIFECYCLE_SCHEME ? active : undefined);
}

export function lifecycleCommands(services: Services): CommandTable {
  return {
    'ecrDeploy.editLifecyclePolicy': (target?: unknown, options?: { template?: TemplateName }) => editLifecyclePolicy(services, orActiveDocument(target), options),
    'ecrDeploy.previewLifecyclePolicy': (target?: unknown) => previewLifecyclePolicy(services, orActiveDocument(target)),
    'ecrDeploy.deleteLifecyclePolicy': (target?: unknown) => deleteLifecyclePolicy(services, orActiveDocument(target)),
  };
}
