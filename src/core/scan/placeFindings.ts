/**
 * Where in the build context each finding belongs, the line a user edits to fix it:
 *   0. an enhanced finding's `filePath` that names a file of the context, there;
 *   1. the package named as a whole word in a `RUN` of the final stage (or a stage it is built `FROM`),
 *      on the physical line holding the name;
 *   2. a dependency manifest declaring it (direct manifests before lock files, nearest the root first);
 *   3. the final stage's `FROM` line: the base image brought it, and the message says so.
 */
import type { BuildContext, ManifestFile } from './buildContext';
import { baseImageOf, finalStageChain, parseDockerfile, type Stage } from './dockerfile';
import { isLockFile, manifestEcosystem, readDeclarations, type Declaration } from './manifests';
import { canonicalName, ecosystemsFor, wholeWordPattern, type Ecosystem } from './packageNames';
import { findingMessage, type Finding } from './scanFindings';
import { diagnosticLevel, type DiagnosticLevel } from './severity';

export type Placement = 'filePath' | 'run' | 'manifest' | 'baseImage';

export interface PlacedFinding {
  finding: Finding;
  /** Relative to the build context, `/`-separated. */
  file: string;
  /** 0-based line and columns; `start === end` means "the whole line" (a file whose text was not read). */
  line: number;
  start: number;
  end: number;
  placement: Placement;
  /** The version the manifest line pins, where the finding sits on a pinned declaration. */
  pinned?: string;
  level: DiagnosticLevel;
  message: string;
}

/** The final stage's `FROM`: where base-image findings go, and what the hover and related information point at. */
export interface FromLocation {
  file: string;
  line: number;
  start: number;
  end: number;
  /** The external image the final stage starts from (after `ARG` substitution and `FROM <stage>`). */
  baseImage?: string;
  /**
   * The `FROM` keyword itself, apart from the image: the editor marks base-image findings there, so that a
   * hover on the image shows the scan's counts first (VS Code lists a position's diagnostics before any hover).
   */
  keyword?: { line: number; start: number; end: number };
}

export interface PlacementResult {
  placed: PlacedFinding[];
  from: FromLocation;
}

export interface PlaceOptions {
  buildArgs?: Record<string, string>;
  /** `--target`: the stage that makes the image, when not the last. */
  target?: string;
}

/** Same order on every machine, whatever its locale. */
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface IndexedManifest {
  file: ManifestFile;
  ecosystem: Ecosystem;
  declarations: Map<string, Declaration>;
}

function indexManifests(manifests: readonly ManifestFile[]): IndexedManifest[] {
  const depth = (path: string) => path.split('/').length;
  return manifests
    .map((file) => {
      const ecosystem = manifestEcosystem(file.kind);
      const declarations = new Map<string, Declaration>();
      for (const d of readDeclarations(file.kind, file.text)) {
        const key = canonicalName(d.name, ecosystem);
        if (!declarations.has(key)) declarations.set(key, d);
      }
      return { file, ecosystem, declarations };
    })
    .sort((a, b) => Number(isLockFile(a.file.kind)) - Number(isLockFile(b.file.kind)) || depth(a.file.path) - depth(b.file.path) || byCodePoint(a.file.path, b.file.path));
}

/** The longest tail of an image path that is a file of the context: `/app/uv.lock` -> `uv.lock`. */
export function contextFileFor(filePath: string, files: ReadonlySet<string>): string | undefined {
  const segments = filePath.replace(/\\/g, '/').split('/').filter((s) => s && s !== '.');
  for (let i = 0; i < segments.length; i++) {
    const candidate = segments.slice(i).join('/');
    if (files.has(candidate)) return candidate;
  }
  return undefined;
}

function inRunInstructions(chain: readonly Stage[], packageName: string): { line: number; start: number; end: number } | undefined {
  const pattern = wholeWordPattern(packageName);
  for (const stage of chain) {
    for (const instruction of stage.instructions) {
      if (instruction.keyword !== 'RUN') continue;
      for (const part of instruction.lines) {
        const found = pattern.exec(part.text);
        if (found) return { line: part.line, start: part.column + found.index, end: part.column + found.index + found[0].length };
      }
    }
  }
  return undefined;
}

function fromLocation(context: BuildContext, chain: readonly Stage[]): FromLocation {
  const final = chain[0];
  if (!final) return { file: context.dockerfilePath, line: 0, start: 0, end: 0 };
  const keyword = { line: final.from.startLine, start: final.from.keywordColumn, end: final.from.keywordColumn + final.from.keyword.length };
  return { file: context.dockerfilePath, line: final.imageLine, start: final.imageStart, end: final.imageEnd, baseImage: baseImageOf(chain), keyword };
}

export function placeFindings(findings: readonly Finding[], context: BuildContext, options: PlaceOptions = {}): PlacementResult {
  const chain = finalStageChain(parseDockerfile(context.dockerfileText, options.buildArgs), options.target);
  const from = fromLocation(context, chain);
  const manifests = indexManifests(context.manifests);
  const files = new Set(context.files);

  const place = (finding: Finding): Omit<PlacedFinding, 'finding' | 'level' | 'message'> => {
    const name = finding.packageName;
    const ecosystems = ecosystemsFor(finding.packageManager);
    const named = finding.filePath ? contextFileFor(finding.filePath, files) : undefined;
    if (named) {
      const manifest = manifests.find((m) => m.file.path === named);
      const declaration = manifest?.declarations.get(canonicalName(name, manifest.ecosystem));
      return declaration ? { file: named, line: declaration.line, start: declaration.start, end: declaration.end, placement: 'filePath', pinned: declaration.pin?.version } : { file: named, line: 0, start: 0, end: 0, placement: 'filePath' };
    }
    if (name) {
      const run = inRunInstructions(chain, name);
      if (run) return { file: context.dockerfilePath, ...run, placement: 'run' };
      for (const manifest of manifests) {
        if (!ecosystems.includes(manifest.ecosystem)) continue;
        const declaration = manifest.declarations.get(canonicalName(name, manifest.ecosystem));
        if (declaration) return { file: manifest.file.path, line: declaration.line, start: declaration.start, end: declaration.end, placement: 'manifest', pinned: declaration.pin?.version };
      }
    }
    return { file: from.file, line: from.line, start: from.start, end: from.end, placement: 'baseImage' };
  };

  const placed = findings.map((finding): PlacedFinding => {
    const where = place(finding);
    const message = where.placement === 'baseImage' ? `${findingMessage(finding)} — ${from.baseImage ? `comes with the base image ${from.baseImage}` : 'not installed by this Dockerfile or its manifests'}` : findingMessage(finding);
    return { finding, ...where, level: diagnosticLevel(finding.severity), message };
  });
  placed.sort((a, b) => byCodePoint(a.file, b.file) || a.line - b.line || a.start - b.start);
  return { placed, from };
}
