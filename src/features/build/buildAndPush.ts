/**
 * "Build and Push" from the palette or a repository node: pick the Dockerfile (when there are
 * several), the repository (remembered per workspace folder) and the tags (suggested from the tag
 * convention, validated before anything runs), then run it as a task the user watches.
 */
import * as vscode from 'vscode';
import { BUILD_TASK_TYPE, defaultContext, type BuildTaskDefinition } from '../../core/build/buildTask';
import { parseTagList, suggestTags, type TagSuggestion } from '../../core/build/tagSuggestions';
import type { Services } from '../context';
import { showAwsError } from '../connection/nextSteps';
import { abortSignalOf } from '../progress';
import { settings } from '../settings';
import { BuildService, UNTRUSTED_EXPLANATION, type BuildOutcome } from './buildService';
import { executeBuildTask, findDockerfiles } from './buildTasks';
import { gatherTagFacts } from './tagFacts';

/** For keybindings and tests: whatever is given is not asked for. */
export interface BuildAndPushArgs {
  /** Path of the Dockerfile, absolute or relative to the (first) workspace folder, or its URI. */
  dockerfile?: string;
  repository?: string;
  tags?: string[];
}

/** A repository node of the Repositories view, or the arguments above. */
function argsFrom(arg: unknown): BuildAndPushArgs {
  if (!arg || typeof arg !== 'object') return {};
  const given = arg as { dockerfile?: unknown; repository?: unknown; tags?: unknown };
  const repository = typeof given.repository === 'object' && given.repository ? (given.repository as { repositoryName?: unknown }).repositoryName : given.repository;
  return {
    dockerfile: typeof given.dockerfile === 'string' ? given.dockerfile : undefined,
    repository: typeof repository === 'string' ? repository : undefined,
    tags: Array.isArray(given.tags) ? given.tags.map(String) : undefined,
  };
}

export async function explainUntrusted(): Promise<void> {
  const choice = await vscode.window.showWarningMessage(UNTRUSTED_EXPLANATION, 'Manage Workspace Trust');
  if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
}

interface DockerfileTarget {
  folder: vscode.WorkspaceFolder;
  relative: string;
}

async function pickDockerfile(given: string | undefined): Promise<DockerfileTarget | undefined> {
  if (given) {
    const uri = /^[a-z][a-z0-9+.-]+:\/\//i.test(given)
      ? vscode.Uri.parse(given)
      : given.startsWith('/')
        ? vscode.Uri.file(given)
        : vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file('/'), given);
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) throw new Error(`${given} is not inside a workspace folder.`);
    return { folder, relative: BuildService.relativePath(folder, uri) };
  }
  const files = await findDockerfiles();
  if (!files.length) {
    void vscode.window.showErrorMessage('No Dockerfile in this workspace. Add one (or a Containerfile), then run Build and Push again.');
    return undefined;
  }
  const targets = files.flatMap((uri) => {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return folder ? [{ folder, relative: BuildService.relativePath(folder, uri) }] : [];
  });
  if (targets.length === 1) return targets[0];
  const picked = await vscode.window.showQuickPick(
    targets.map((t) => ({ label: t.relative, description: (vscode.workspace.workspaceFolders?.length ?? 0) > 1 ? t.folder.name : undefined, target: t })),
    { title: 'Build and Push: Dockerfile', placeHolder: 'Which Dockerfile to build' },
  );
  return picked?.target;
}

async function pickRepository({ session }: Services, remembered: string | undefined): Promise<string | undefined> {
  const cancel = new vscode.CancellationTokenSource();
  const abort = abortSignalOf(cancel.token);
  const items = (async () => {
    const { edge, clients } = await session.access();
    const repositories = await edge.ecr.listRepositories(clients.ecr, { signal: abort.signal });
    return repositories
      .map((r) => ({ label: r.repositoryName ?? '', description: r.repositoryName === remembered ? 'last used' : undefined, detail: r.repositoryUri }))
      .sort((a, b) => Number(b.label === remembered) - Number(a.label === remembered) || a.label.localeCompare(b.label));
  })();
  items.catch(() => cancel.cancel());
  try {
    const picked = await vscode.window.showQuickPick(items, { title: 'Build and Push: Repository', placeHolder: 'The ECR repository to push to', matchOnDetail: true }, cancel.token);
    if (picked) return picked.label;
    await items.catch(async (error: unknown) => showAwsError('Could not list repositories', session.describe(error)));
    return undefined;
  } finally {
    abort.dispose();
    cancel.dispose();
  }
}

const OTHER_TAGS = '$(edit) Other tags…';

async function pickTags(folder: vscode.WorkspaceFolder): Promise<{ tags: string[]; warnings: string[] } | undefined> {
  const suggestions = suggestTags(await gatherTagFacts(folder.uri, settings.tagLatest(folder.uri)));
  type Item = vscode.QuickPickItem & { suggestion?: TagSuggestion };
  const items: Item[] = [
    ...suggestions.map((s) => ({ label: s.tag, description: s.description, detail: s.warning ? `$(warning) ${s.warning}` : undefined, picked: s.picked, suggestion: s })),
    { label: OTHER_TAGS, description: 'type tags', alwaysShow: true },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Build and Push: Tags', placeHolder: 'Tags for the image (one or more)', canPickMany: true });
  if (!picked?.length) return undefined;
  let tags = picked.flatMap((i) => (i.suggestion ? [i.suggestion.tag] : []));
  if (picked.some((i) => i.label === OTHER_TAGS)) {
    const typed = await vscode.window.showInputBox({
      title: 'Build and Push: Tags',
      prompt: 'Tags separated by spaces or commas: letters, digits, "_", "." and "-", not starting with "." or "-"',
      value: tags.join(' '),
      validateInput: (text) => parseTagList(text).problem,
    });
    if (typed === undefined) return undefined;
    tags = parseTagList(typed).tags;
  }
  const warnings = suggestions.filter((s) => s.warning && tags.includes(s.tag)).map((s) => s.warning!);
  return { tags, warnings };
}

export async function buildAndPush(services: Services, arg?: unknown): Promise<BuildOutcome | undefined> {
  if (!vscode.workspace.isTrusted) {
    await explainUntrusted();
    return undefined;
  }
  const { builds } = services;
  const args = argsFrom(arg);
  const target = await pickDockerfile(args.dockerfile);
  if (!target) return undefined;
  const repository = args.repository ?? (await pickRepository(services, builds.repositoryFor(target.folder)));
  if (!repository) return undefined;
  await builds.rememberRepository(target.folder, repository);
  let tags = args.tags;
  if (!tags) {
    const chosen = await pickTags(target.folder);
    if (!chosen) return undefined;
    if (chosen.warnings.length) {
      const go = await vscode.window.showWarningMessage(chosen.warnings.join('\n'), { modal: true }, 'Build Anyway');
      if (go !== 'Build Anyway') return undefined;
    }
    tags = chosen.tags;
  }
  // Checked again whatever their source: nothing runs with a tag Docker or ECR would refuse.
  const problem = parseTagList(tags.join(' ')).problem;
  if (problem) {
    void vscode.window.showErrorMessage(problem);
    return undefined;
  }
  const definition: BuildTaskDefinition = {
    type: BUILD_TASK_TYPE,
    action: 'buildAndPush',
    repository,
    tags,
    dockerfile: target.relative,
    context: defaultContext(target.relative),
    platform: settings.buildPlatform(target.folder.uri),
  };
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Build and Push ${repository}:${tags.join(', ')}`, cancellable: true },
    (_progress, token) => executeBuildTask(builds, definition, target.folder, token),
  );
}
