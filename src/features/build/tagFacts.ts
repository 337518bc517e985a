/**
 * What the tag suggestions are made from: the commit and whether the working tree is clean (git), and
 * the project's version (package.json, else pyproject.toml). Anything missing is simply not suggested.
 */
import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import { versionFromPackageJson, versionFromPyproject, type TagFacts } from '../../core/build/tagSuggestions';

function git(args: string[], cwd: string, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: timeoutMs, windowsHide: true }, (error, stdout) => resolve(error ? undefined : stdout));
  });
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

/** `timeoutMs` bounds each git call: a slow repository means no commit suggestion, not a stalled picker. */
export async function gatherTagFacts(folder: vscode.Uri, tagLatest: boolean, timeoutMs = 5000): Promise<TagFacts> {
  const cwd = folder.fsPath;
  const [commit, status, packageJson, pyproject] = await Promise.all([
    git(['rev-parse', 'HEAD'], cwd, timeoutMs),
    git(['status', '--porcelain'], cwd, timeoutMs),
    readText(vscode.Uri.joinPath(folder, 'package.json')),
    readText(vscode.Uri.joinPath(folder, 'pyproject.toml')),
  ]);
  const fromPackage = packageJson ? versionFromPackageJson(packageJson) : undefined;
  const fromPyproject = !fromPackage && pyproject ? versionFromPyproject(pyproject) : undefined;
  return {
    commit: commit?.trim() || undefined,
    dirty: status !== undefined && status.trim() !== '',
    version: fromPackage ?? fromPyproject,
    versionSource: fromPackage ? 'package.json' : fromPyproject ? 'pyproject.toml' : undefined,
    tagLatest,
  };
}
