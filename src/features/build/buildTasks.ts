/**
 * The `ecr-deploy` task type: a provider that offers Build and Push for every Dockerfile of a folder
 * whose repository is known, the resolver for tasks written in tasks.json, and the terminal they run
 * in. A CustomExecution, not a shell: the login needs the token from the AWS SDK, which must not pass
 * through a shell or a terminal, and the command lines are argument arrays run without a shell.
 */
import * as vscode from 'vscode';
import { BUILD_TASK_TYPE, buildTaskName, defaultContext, type BuildTaskDefinition } from '../../core/build/buildTask';
import { suggestTags } from '../../core/build/tagSuggestions';
import { settings } from '../settings';
import { BuildService, type BuildOutcome } from './buildService';
import { gatherTagFacts } from './tagFacts';

export const DOCKERFILE_GLOB = '**/{Dockerfile,Dockerfile.*,*.Dockerfile,*.dockerfile,Containerfile}';
const EXCLUDE_GLOB = '**/{node_modules,.git,.venv,venv,dist,out,build,target}/**';

/** Pseudoterminal of one run: output with CRLF line ends, exit code 0/1, closing it cancels the run. */
class BuildTerminal implements vscode.Pseudoterminal {
  private readonly writes = new vscode.EventEmitter<string>();
  private readonly closes = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.writes.event;
  readonly onDidClose = this.closes.event;
  private readonly abort = new AbortController();

  constructor(private readonly run: (write: (text: string) => void, signal: AbortSignal) => Promise<BuildOutcome>) {}

  open(): void {
    void this.run((text) => this.writes.fire(text.replace(/\r?\n/g, '\r\n')), this.abort.signal).then((outcome) => {
      this.closes.fire(outcome.ok ? 0 : 1);
      this.writes.dispose();
      this.closes.dispose();
    });
  }

  close(): void {
    this.abort.abort();
  }
}

function buildExecution(builds: BuildService, folder: vscode.WorkspaceFolder, onOutcome?: (outcome: BuildOutcome) => void): vscode.CustomExecution {
  return new vscode.CustomExecution(async (resolved) =>
    new BuildTerminal(async (write, signal) => {
      const outcome = await builds.run(resolved, folder, write, signal);
      onOutcome?.(outcome);
      return outcome;
    }),
  );
}

export function createBuildTask(builds: BuildService, definition: BuildTaskDefinition, folder: vscode.WorkspaceFolder, onOutcome?: (outcome: BuildOutcome) => void): vscode.Task {
  const task = new vscode.Task(definition, folder, buildTaskName(definition), BUILD_TASK_TYPE, buildExecution(builds, folder, onOutcome), []);
  task.group = vscode.TaskGroup.Build;
  task.detail = definition.action === 'build' ? 'docker build' : 'log in to ECR, docker build and push';
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.Dedicated, clear: true, echo: true };
  return task;
}

/** Runs a definition as a task the user sees, and resolves with its outcome when it ends. */
export function executeBuildTask(builds: BuildService, definition: BuildTaskDefinition, folder: vscode.WorkspaceFolder, token?: vscode.CancellationToken): Promise<BuildOutcome> {
  return new Promise<BuildOutcome>((resolve, reject) => {
    let settled = false;
    let execution: vscode.TaskExecution | undefined;
    const cancelled = token?.onCancellationRequested(() => execution?.terminate());
    const settle = (outcome: BuildOutcome) => {
      if (settled) return;
      settled = true;
      ended.dispose();
      cancelled?.dispose();
      resolve(outcome);
    };
    const task = createBuildTask(builds, definition, folder, settle);
    // A task terminated before its terminal opened never reports an outcome of its own.
    const ended = vscode.tasks.onDidEndTask((event) => {
      if (event.execution === execution || event.execution.task === task) {
        setTimeout(() => settle({ ok: false, cancelled: true, error: 'The task ended before it ran.' }), 1000);
      }
    });
    vscode.tasks.executeTask(task).then(
      (started) => {
        execution = started;
        if (token?.isCancellationRequested) started.terminate();
      },
      (error: unknown) => {
        ended.dispose();
        cancelled?.dispose();
        reject(error);
      },
    );
  });
}

export async function findDockerfiles(folder?: vscode.WorkspaceFolder, limit = 50): Promise<vscode.Uri[]> {
  const include = folder ? new vscode.RelativePattern(folder, DOCKERFILE_GLOB) : DOCKERFILE_GLOB;
  const files = await vscode.workspace.findFiles(include, EXCLUDE_GLOB, limit);
  return files.sort((a, b) => a.path.split('/').length - b.path.split('/').length || a.path.localeCompare(b.path));
}

/** The Dockerfile or Containerfile at the root of a folder, found without a search. */
async function rootDockerfiles(folder: vscode.WorkspaceFolder): Promise<vscode.Uri[]> {
  const candidates = ['Dockerfile', 'Containerfile'].map((name) => vscode.Uri.joinPath(folder.uri, name));
  const found = await Promise.all(candidates.map((uri) => vscode.workspace.fs.stat(uri).then(() => uri, () => undefined)));
  return found.filter((uri): uri is vscode.Uri => uri !== undefined);
}

function within<T>(work: Promise<T>, ms: number, fallback: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
  return Promise.race([work, late]).then((result) => (result === 'late' ? fallback() : (clearTimeout(timer), result as T)));
}

/**
 * VS Code drops a provider's tasks when it answers after 5 s, and a workspace search on a busy machine
 * can take that long: the search gets 3 s, then the root Dockerfile is offered alone.
 */
const SEARCH_BUDGET_MS = 3000;
const GIT_BUDGET_MS = 2000;

export class BuildTaskProvider implements vscode.TaskProvider {
  constructor(private readonly builds: BuildService) {}

  async provideTasks(token: vscode.CancellationToken): Promise<vscode.Task[]> {
    const tasks: vscode.Task[] = [];
    const perFolder = (vscode.workspace.workspaceFolders ?? []).map(async (folder) => {
      const repository = this.builds.repositoryFor(folder);
      if (!repository) return;
      const [dockerfiles, facts] = await Promise.all([
        within(findDockerfiles(folder), SEARCH_BUDGET_MS, () => rootDockerfiles(folder)),
        gatherTagFacts(folder.uri, settings.tagLatest(folder.uri), GIT_BUDGET_MS),
      ]);
      if (token.isCancellationRequested) return;
      const tags = suggestTags(facts)
        .filter((s) => s.picked)
        .map((s) => s.tag);
      for (const file of dockerfiles) {
        const dockerfile = BuildService.relativePath(folder, file);
        const definition: BuildTaskDefinition = { type: BUILD_TASK_TYPE, action: 'buildAndPush', repository, tags, dockerfile, context: defaultContext(dockerfile) };
        tasks.push(createBuildTask(this.builds, definition, folder));
      }
    });
    await Promise.all(perFolder);
    return tasks;
  }

  resolveTask(task: vscode.Task): vscode.Task | undefined {
    const folder = typeof task.scope === 'object' ? task.scope : vscode.workspace.workspaceFolders?.[0];
    if (!folder) return undefined;
    // The definition is checked when the task runs, where a problem can be shown in its terminal.
    return new vscode.Task(task.definition, folder, task.name, BUILD_TASK_TYPE, buildExecution(this.builds, folder), []);
  }
}
