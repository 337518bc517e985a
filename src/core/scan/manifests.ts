/**
 * Dependency manifests in a build context: which files they are, and where each declares a package.
 * A declaration is the line a user edits to change that package; a pin is the exact version text on it
 * that a quick fix may rewrite (lock files have none: they are regenerated, not edited).
 */
import type { Declaration } from './declarations';
import { gemfileLockDeclarations } from './gemfileLock';
import { goModDeclarations } from './goMod';
import { packageJsonDeclarations, packageLockDeclarations } from './nodeManifests';
import type { Ecosystem } from './packageNames';
import { pyprojectDeclarations, requirementsDeclarations, uvLockDeclarations } from './pythonManifests';

export type { Declaration } from './declarations';

export type ManifestKind = 'requirements' | 'pyproject' | 'uvLock' | 'packageJson' | 'packageLock' | 'goMod' | 'gemfileLock';

interface KindInfo {
  ecosystem: Ecosystem;
  /** Lock files only record what a direct manifest asked for: they come second. */
  lock: boolean;
  read(text: string): Declaration[];
}

const KINDS: Record<ManifestKind, KindInfo> = {
  requirements: { ecosystem: 'python', lock: false, read: requirementsDeclarations },
  pyproject: { ecosystem: 'python', lock: false, read: pyprojectDeclarations },
  uvLock: { ecosystem: 'python', lock: true, read: uvLockDeclarations },
  packageJson: { ecosystem: 'node', lock: false, read: packageJsonDeclarations },
  packageLock: { ecosystem: 'node', lock: true, read: packageLockDeclarations },
  goMod: { ecosystem: 'go', lock: false, read: goModDeclarations },
  gemfileLock: { ecosystem: 'ruby', lock: true, read: gemfileLockDeclarations },
};

const BY_FILE_NAME = new Map<string, ManifestKind>(Object.entries({
  'pyproject.toml': 'pyproject',
  'uv.lock': 'uvLock',
  'package.json': 'packageJson',
  'package-lock.json': 'packageLock',
  'go.mod': 'goMod',
  'Gemfile.lock': 'gemfileLock',
}) as Array<[string, ManifestKind]>);

/** The manifest kind of a path relative to the context (`/` separated), or undefined. */
export function manifestKind(relativePath: string): ManifestKind | undefined {
  const segments = relativePath.split('/');
  const base = segments[segments.length - 1];
  const exact = BY_FILE_NAME.get(base);
  if (exact) return exact;
  if (/^requirements.*\.txt$/i.test(base)) return 'requirements';
  // The `requirements/base.txt`, `requirements/dev.txt` layout.
  if (segments.length > 1 && segments[segments.length - 2].toLowerCase() === 'requirements' && /\.txt$/i.test(base)) return 'requirements';
  return undefined;
}

export function manifestEcosystem(kind: ManifestKind): Ecosystem {
  return KINDS[kind].ecosystem;
}

export function isLockFile(kind: ManifestKind): boolean {
  return KINDS[kind].lock;
}

export function readDeclarations(kind: ManifestKind, text: string): Declaration[] {
  return KINDS[kind].read(text);
}

