/**
 * The quick fix "bump a pinned version": on a manifest line that pins the vulnerable package
 * (`requests==2.31.0`, `"jinja2": "3.1.3"`, `golang.org/x/net v0.17.0`), rewrite the version to the
 * first fixed one. Computed on the text as it is now, so an edited file never gets a stale edit.
 */
import { manifestEcosystem, readDeclarations, type ManifestKind } from './manifests';
import { canonicalName } from './packageNames';

export interface BumpEdit {
  line: number;
  start: number;
  end: number;
  from: string;
  to: string;
}

/** Compares dotted versions by numeric parts (`1.10.0` > `1.9.2`), text parts after them. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.replace(/^v/i, '').split(/[.\-+_]/);
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    if (x === y) continue;
    if (x === '') return -1;
    if (y === '') return 1;
    const nx = /^\d+$/.test(x) ? Number(x) : NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : NaN;
    if (!Number.isNaN(nx) && !Number.isNaN(ny)) return nx - ny;
    return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * Inspector may list several fixed versions (`2.2.2, 1.26.19`, one per release line): the lowest one
 * above the pinned version, which is the smallest step that removes the finding.
 */
export function chooseFixedVersion(fixedVersions: string, pinned: string): string | undefined {
  const candidates = fixedVersions
    .split(/[,\s]+/)
    .map((v) => v.trim())
    .filter((v) => v && compareVersions(v, pinned) > 0)
    .sort(compareVersions);
  return candidates[0];
}

export function bumpEdit(kind: ManifestKind, text: string, line: number, packageName: string, fixedVersions: string): BumpEdit | undefined {
  const ecosystem = manifestEcosystem(kind);
  const wanted = canonicalName(packageName, ecosystem);
  const declaration = readDeclarations(kind, text).find((d) => d.line === line && d.pin && canonicalName(d.name, ecosystem) === wanted);
  const pin = declaration?.pin;
  if (!pin) return undefined;
  const chosen = chooseFixedVersion(fixedVersions, pin.version);
  if (!chosen) return undefined;
  // Go module versions are written with their `v`; Inspector reports them without.
  const to = kind === 'goMod' && !chosen.startsWith('v') ? `v${chosen}` : chosen;
  return { line, start: pin.start, end: pin.end, from: pin.version, to };
}

/** The lock file beside a manifest that a bump leaves behind, and the command that brings it in line. */
export interface LockFileAdvice {
  lockFile: string;
  command: string;
}

/**
 * Lock files hold hashes of what they lock, so the extension never edits one: it says which lock file still
 * holds the old version and the command that updates it. `siblings` are the file names beside the manifest.
 */
export function lockFileAdvice(kind: ManifestKind, packageName: string, siblings: readonly string[]): LockFileAdvice | undefined {
  const has = (name: string) => siblings.includes(name);
  const name = packageName.replace(/[^A-Za-z0-9._@/-]/g, '');
  switch (kind) {
    case 'pyproject':
    case 'requirements':
      if (has('uv.lock')) return { lockFile: 'uv.lock', command: `uv lock --upgrade-package ${name}` };
      if (has('poetry.lock')) return { lockFile: 'poetry.lock', command: `poetry update --lock ${name}` };
      return undefined;
    case 'packageJson':
      if (has('package-lock.json')) return { lockFile: 'package-lock.json', command: `npm install --package-lock-only` };
      if (has('yarn.lock')) return { lockFile: 'yarn.lock', command: 'yarn install' };
      if (has('pnpm-lock.yaml')) return { lockFile: 'pnpm-lock.yaml', command: 'pnpm install --lockfile-only' };
      return undefined;
    case 'goMod':
      return has('go.sum') ? { lockFile: 'go.sum', command: 'go mod tidy' } : undefined;
    default:
      return undefined;
  }
}

/**
 * The manifest now pins a version past the one the scan found installed (after a bump, or an edit by hand):
 * the finding is fixed in the source, and the next image will not have it.
 */
export function pinnedPastInstalled(pinned: string | undefined, installed: string | undefined): boolean {
  return pinned !== undefined && installed !== undefined && compareVersions(pinned, installed) > 0;
}
