/**
 * The latest scan result of each repository, shown as diagnostics ("ECR scan") on the files that
 * brought each package in. A repository's diagnostics stay until its next result replaces them or the
 * user clears them; the minimum-severity setting filters what is shown, never what is kept.
 */
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE } from './diagnosticSource';
import { pinnedPastInstalled } from '../../core/scan/bump';
import type { FromLocation, PlacedFinding } from '../../core/scan/placeFindings';
import { shortImageLabel, type ImageIdentity } from '../../core/scan/scanFindings';
import { shortDigest } from '../../core/text/format';
import { atLeast, countBySeverity, formatSeverityCounts, normalizeSeverity, type DiagnosticLevel, type SeverityCounts } from '../../core/scan/severity';
import { SCAN_MINIMUM_SEVERITY, settings } from '../settings';


export interface RepositoryScan {
  image: ImageIdentity;
  status: string | undefined;
  completedAt: Date | undefined;
  /** The build context the findings' files are relative to. */
  contextRoot: vscode.Uri;
  dockerfile: vscode.Uri;
  from: FromLocation;
  placed: PlacedFinding[];
  /** Places the same findings again on the files as they are now (open editors' text first). */
  replace?: () => Promise<{ placed: PlacedFinding[]; from: FromLocation }>;
}

/** Shown after a bump whose manifest has a lock file beside it (see bumpActions.ts). */
export const LOCK_FILE_ADVICE_COMMAND = 'ecrDeploy.scan.lockFileAdvice';

/** How long edits must pause before the findings are placed again. */
const REPLACE_DELAY_MS = 300;

/** What the extension read of an image's scan, for its row in the Repositories view. */
export interface ReadScan {
  status: string | undefined;
  counts: SeverityCounts;
  completedAt: Date | undefined;
}

/** One shown diagnostic and what it was made from (for hovers and quick fixes). */
export interface ShownFinding {
  repositoryName: string;
  diagnostic: vscode.Diagnostic;
  placed: PlacedFinding;
}

const LEVELS: Record<DiagnosticLevel, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export function fileUri(scan: RepositoryScan, relativeFile: string): vscode.Uri {
  return vscode.Uri.joinPath(scan.contextRoot, ...relativeFile.split('/'));
}

function rangeOf(p: { line: number; start: number; end: number }): vscode.Range {
  // start === end (a file whose text was not read): an empty range, which the editor marks at the line's start.
  return new vscode.Range(p.line, p.start, p.line, p.end);
}

export class ScanDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  private readonly scans = new Map<string, RepositoryScan>();
  /** Every image scan read this session, by `repository@digest`: kept when diagnostics are cleared (the scan still says it). */
  private readonly reads = new Map<string, ReadScan>();
  private shown = new Map<string, ShownFinding[]>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a result is published or cleared, or the filter changes. */
  readonly onDidChange = this.changed.event;
  private readonly read = new vscode.EventEmitter<string>();
  /** Fires with the repository's name when a scan of one of its images was read. */
  readonly onDidRead = this.read.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      this.collection,
      this.changed,
      this.read,
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(SCAN_MINIMUM_SEVERITY)) this.render();
      }),
      // An edit of the Dockerfile or a manifest (a bump, by hand) moves or fixes findings: place them again.
      vscode.workspace.onDidChangeTextDocument((event) => this.documentChanged(event.document.uri)),
      vscode.commands.registerCommand(LOCK_FILE_ADVICE_COMMAND, async (manifest: string, lockFile: string, command: string, cwd: vscode.Uri) => {
        const run = 'Run in Terminal';
        const answer = await vscode.window.showInformationMessage(`${manifest} is bumped, but ${lockFile} still locks the old version: run \`${command}\` to update it.`, run);
        if (answer !== run) return;
        const terminal = vscode.window.createTerminal({ name: lockFile, cwd });
        terminal.show();
        terminal.sendText(command);
      }),
    ];
  }

  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();

  private documentChanged(uri: vscode.Uri): void {
    for (const [repositoryName, scan] of this.scans) {
      if (!scan.replace || !uri.path.startsWith(`${scan.contextRoot.path}/`)) continue;
      clearTimeout(this.pending.get(repositoryName));
      this.pending.set(
        repositoryName,
        setTimeout(() => {
          this.pending.delete(repositoryName);
          void scan.replace!().then(
            ({ placed, from }) => {
              // Only if this result is still the repository's: a newer scan may have replaced it meanwhile.
              if (this.scans.get(repositoryName) !== scan) return;
              this.scans.set(repositoryName, { ...scan, placed, from });
              this.render();
            },
            () => undefined,
          );
        }, REPLACE_DELAY_MS),
      );
    }
  }

  /** An image's scan as read (placed or not): the Repositories view shows it on the image's row. */
  recordRead(image: ImageIdentity, read: ReadScan): void {
    if (!image.imageDigest) return;
    this.reads.set(`${image.repositoryName}@${image.imageDigest}`, read);
    this.read.fire(image.repositoryName);
  }

  readScanOf(repositoryName: string, imageDigest: string | undefined): ReadScan | undefined {
    return imageDigest ? this.reads.get(`${repositoryName}@${imageDigest}`) : undefined;
  }

  /** Replaces the repository's previous result. */
  publish(repositoryName: string, scan: RepositoryScan): void {
    this.scans.set(repositoryName, scan);
    this.render();
  }

  /** One repository's diagnostics, or all of them. */
  clear(repositoryName?: string): void {
    if (repositoryName === undefined) this.scans.clear();
    else this.scans.delete(repositoryName);
    this.render();
  }

  scanOf(repositoryName: string): RepositoryScan | undefined {
    return this.scans.get(repositoryName);
  }

  repositories(): string[] {
    return [...this.scans.keys()];
  }

  /** `2 critical · 5 high` for the image's latest result here, when this session has one (for image nodes). */
  summaryFor(repositoryName: string, imageDigest?: string): string | undefined {
    const scan = this.scans.get(repositoryName);
    if (!scan || (imageDigest && scan.image.imageDigest !== imageDigest)) return undefined;
    return formatSeverityCounts(this.countsOf(scan));
  }

  countsOf(scan: RepositoryScan): SeverityCounts {
    return countBySeverity(scan.placed.map((p) => p.finding.severity));
  }

  /** The diagnostics shown on a file, with their findings. */
  shownOn(uri: vscode.Uri): readonly ShownFinding[] {
    return this.shown.get(uri.toString()) ?? [];
  }

  /** Results whose Dockerfile is this file. */
  scansWithDockerfile(uri: vscode.Uri): Array<[string, RepositoryScan]> {
    return [...this.scans].filter(([, scan]) => scan.dockerfile.toString() === uri.toString());
  }

  private render(): void {
    const minimum = normalizeSeverity(settings.scanMinimumSeverity());
    const shown = new Map<string, ShownFinding[]>();
    const uris = new Map<string, vscode.Uri>();
    for (const [repositoryName, scan] of this.scans) {
      // The image in the message, short: a related-information row pointing at the FROM line would be a second
      // Problems row per finding that says nothing the message cannot.
      const image = ` [${shortImageLabel(scan.image)}${scan.image.imageTag && scan.image.imageDigest ? ` ${shortDigest(scan.image.imageDigest, 8)}` : ''}]`;
      for (const placed of scan.placed) {
        if (!atLeast(placed.finding.severity, minimum)) continue;
        // The manifest no longer pins the vulnerable version: fixed in the source, the next image will not have it.
        if (pinnedPastInstalled(placed.pinned, placed.finding.installedVersion)) continue;
        const uri = fileUri(scan, placed.file);
        // Base-image findings sit on the FROM keyword, the image itself keeps the hover with the counts (see FromLocation.keyword).
        const where = placed.placement === 'baseImage' && scan.from.keyword ? scan.from.keyword : placed;
        const diagnostic = new vscode.Diagnostic(rangeOf(where), `${placed.message}${image}`, LEVELS[placed.level]);
        diagnostic.source = DIAGNOSTIC_SOURCE;
        diagnostic.code = placed.finding.url ? { value: placed.finding.id, target: vscode.Uri.parse(placed.finding.url) } : placed.finding.id;
        const key = uri.toString();
        uris.set(key, uri);
        shown.set(key, [...(shown.get(key) ?? []), { repositoryName, diagnostic, placed }]);
      }
    }
    this.collection.clear();
    for (const [key, entries] of shown) this.collection.set(uris.get(key)!, entries.map((e) => e.diagnostic));
    this.shown = shown;
    this.changed.fire();
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    for (const d of this.subscriptions) d.dispose();
  }
}
