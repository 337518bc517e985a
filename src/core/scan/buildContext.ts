/**
 * What of a build context the mapping needs: the Dockerfile, the list of files (to recognise an enhanced
 * finding's `filePath`) and the text of each dependency manifest. The walk is pure logic over an
 * injected reader, so the extension reads through `vscode.workspace.fs` and the CLI through `node:fs`.
 */
import { manifestKind, type ManifestKind } from './manifests';

export interface DirectoryEntry {
  name: string;
  directory: boolean;
}

/** Paths are relative to the context's root, `/`-separated; the Dockerfile may be outside it (`../Dockerfile`). */
export interface ContextReader {
  listDirectory(relativeDirectory: string): Promise<DirectoryEntry[]>;
  readText(relativePath: string): Promise<string>;
}

export interface ManifestFile {
  path: string;
  kind: ManifestKind;
  text: string;
}

export interface BuildContext {
  dockerfilePath: string;
  dockerfileText: string;
  /** Every file found in the context, up to the limit. */
  files: string[];
  manifests: ManifestFile[];
  /** The walk stopped at the file limit: some manifests may be missing. */
  truncated: boolean;
}

export interface ContextLimits {
  maxFiles: number;
  maxDepth: number;
}

/** Never sent to a build in practice, or not the user's own declarations: installed copies, caches, VCS. */
const SKIPPED_DIRECTORIES = new Set(['.git', '.hg', '.svn', 'node_modules', '.venv', 'venv', '__pycache__', '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.ruff_cache', 'site-packages', '.terraform']);

const DEFAULT_LIMITS: ContextLimits = { maxFiles: 20_000, maxDepth: 10 };

export async function readBuildContext(reader: ContextReader, dockerfilePath: string, limits: ContextLimits = DEFAULT_LIMITS): Promise<BuildContext> {
  const dockerfileText = await reader.readText(dockerfilePath);
  const files: string[] = [];
  const manifestPaths: string[] = [];
  let truncated = false;
  // Breadth first: when the limit cuts the walk, the manifests nearest the root are the ones kept.
  let level = [''];
  for (let depth = 0; depth <= limits.maxDepth && level.length && !truncated; depth++) {
    const next: string[] = [];
    for (const directory of level) {
      let entries: DirectoryEntry[];
      try {
        entries = await reader.listDirectory(directory);
      } catch {
        continue; // unreadable folder: what it holds cannot be in the build either
      }
      for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        const path = directory ? `${directory}/${entry.name}` : entry.name;
        if (entry.directory) {
          if (!SKIPPED_DIRECTORIES.has(entry.name)) next.push(path);
          continue;
        }
        if (files.length >= limits.maxFiles) {
          truncated = true;
          break;
        }
        files.push(path);
        if (manifestKind(path)) manifestPaths.push(path);
      }
      if (truncated) break;
    }
    level = next;
  }
  const manifests: ManifestFile[] = [];
  for (const path of manifestPaths) {
    try {
      manifests.push({ path, kind: manifestKind(path)!, text: await reader.readText(path) });
    } catch {
      // A manifest that vanished or cannot be read declares nothing.
    }
  }
  return { dockerfilePath, dockerfileText, files, manifests, truncated };
}
