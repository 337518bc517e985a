/**
 * Which Dockerfile and build context of the workspace a repository's image is built from: given (after
 * a push), configured (`ecrDeploy.scan.dockerfiles`), or discovered, asking only when it is a tie.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ContextReader } from '../../core/scan/buildContext';
import { chooseDockerfile, isDockerfileName } from '../../core/scan/dockerfileChoice';
import type { Memory } from '../memory';
import { settings } from '../settings';

export interface BuildLocation {
  dockerfile: vscode.Uri;
  context: vscode.Uri;
}

/** A path from a setting or another feature: absolute, or relative to a workspace folder where it exists. */
async function resolvePath(file: string): Promise<vscode.Uri | undefined> {
  if (path.isAbsolute(file)) return vscode.Uri.file(file);
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const uri = vscode.Uri.joinPath(folder.uri, ...file.split(/[\\/]/));
    try {
      await vscode.workspace.fs.stat(uri);
      return uri;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

function parentOf(uri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(uri, '..');
}

async function fromPaths(dockerfile: string, context: string | undefined): Promise<BuildLocation | undefined> {
  const dockerfileUri = await resolvePath(dockerfile);
  if (!dockerfileUri) return undefined;
  const contextUri = context ? await resolvePath(context) : parentOf(dockerfileUri);
  return contextUri ? { dockerfile: dockerfileUri, context: contextUri } : undefined;
}

export type LocateResult = { found: BuildLocation } | { missing: 'setting'; path: string } | { missing: 'none' } | { missing: 'dismissed' };

/** Given, else the setting (the person's word wins), else the Dockerfile remembered for the repository, else discovered. */
export async function locateBuild(memory: Memory, repositoryName: string, given?: { dockerfile?: string; context?: string }): Promise<LocateResult> {
  if (given?.dockerfile) {
    const found = await fromPaths(given.dockerfile, given.context);
    if (found) return { found };
  }
  const configured = settings.scanDockerfiles()[repositoryName];
  if (configured) {
    const { dockerfile, context } = typeof configured === 'string' ? { dockerfile: configured, context: undefined } : configured;
    const found = await fromPaths(dockerfile, context);
    return found ? { found } : { missing: 'setting', path: dockerfile };
  }
  const remembered = memory.scanDockerfile(repositoryName);
  if (remembered) {
    // A remembered Dockerfile that has gone (moved, renamed) is looked for again.
    const found = await fromPaths(remembered, undefined);
    if (found) return { found };
  }
  const candidates = (await vscode.workspace.findFiles('**/*{Dockerfile,Containerfile}*', '**/{node_modules,.git,.venv,venv}/**', 500)).filter((uri) => isDockerfileName(path.posix.basename(uri.path)));
  if (!candidates.length) return { missing: 'none' };
  // Shown with the folder's name in a multi-root workspace; remembered relative to its own folder.
  const byPath = new Map(candidates.map((uri) => [vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1), uri]));
  const choice = chooseDockerfile(repositoryName, [...byPath.keys()]);
  let picked = choice.chosen;
  if (!picked) {
    picked = await vscode.window.showQuickPick(choice.ranked, { title: `Which Dockerfile builds ${repositoryName}?`, placeHolder: 'Scan findings are shown on its lines and on the manifests of its folder' });
    if (!picked) return { missing: 'dismissed' };
    const relative = vscode.workspace.asRelativePath(byPath.get(picked)!, false);
    void vscode.window.showInformationMessage(`Use ${picked} for ${repositoryName} from now on?`, 'Remember').then((answer) => (answer ? memory.rememberScanDockerfile(repositoryName, relative) : undefined));
  }
  const dockerfile = byPath.get(picked)!;
  return { found: { dockerfile, context: parentOf(dockerfile) } };
}

/** Reads the context through the workspace file system; an open editor's unsaved text wins over the disk. */
export function workspaceContextReader(context: vscode.Uri): ContextReader {
  const uriOf = (relative: string) => (relative ? vscode.Uri.joinPath(context, ...relative.split('/')) : context);
  return {
    async listDirectory(relative) {
      const entries = await vscode.workspace.fs.readDirectory(uriOf(relative));
      return entries.map(([name, type]) => ({ name, directory: (type & vscode.FileType.Directory) !== 0 }));
    },
    async readText(relative) {
      const uri = uriOf(relative);
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      return open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    },
  };
}

/** The Dockerfile's path relative to the context, `/`-separated (`../docker/Dockerfile` when outside). */
export function dockerfileRelativePath(location: BuildLocation): string {
  return path.posix.relative(location.context.path, location.dockerfile.path);
}
