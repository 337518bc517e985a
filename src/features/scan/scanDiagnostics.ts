/**
 * The latest scan result of each repository, shown as diagnostics ("ECR scan") on the files that
 * brought each package in. A repository's diagnostics stay until its next result replaces them or the
 * user clears them; the minimum-severity setting filters what is shown, never what is kept.
 */
import * as vscode from 'vscode';
import type { FromLocation, PlacedFinding } from '../../core/scan/placeFindings';
import { shortImageLabel, type ImageIdentity } from '../../core/scan/scanFindings';
import { shortDigest } from '../../core/text/format';
import { atLeast, countBySeverity, formatSeverityCounts, normalizeSeverity, type DiagnosticLevel, type SeverityCounts } from '../../core/scan/severity';
import { SCAN_MINIMUM_SEVERITY, settings } from '../settings';

export const DIAGNOSTIC_SOURCE = 'ECR scan';

export interface RepositoryScan {
  image: ImageIdentity;
  status: string | undefined;
  completedAt: Date | undefined;
  /** The build context the findings' files are relative to. */
  contextRoot: vscode.Uri;
  dockerfile: vscode.Uri;
  from: FromLocation;
  placed: PlacedFinding[];
}

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
    ];
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
    for (const d of this.subscriptions) d.dispose();
  }
}
