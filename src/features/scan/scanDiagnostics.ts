/**
 * The latest scan result of each repository, shown as diagnostics ("ECR scan") on the files that
 * brought each package in. A repository's diagnostics stay until its next result replaces them or the
 * user clears them; the minimum-severity setting filters what is shown, never what is kept.
 */
import * as vscode from 'vscode';
import type { FromLocation, PlacedFinding } from '../../core/scan/placeFindings';
import { imageLabel, type ImageIdentity } from '../../core/scan/scanFindings';
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
  private shown = new Map<string, ShownFinding[]>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a result is published or cleared, or the filter changes. */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      this.collection,
      this.changed,
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(SCAN_MINIMUM_SEVERITY)) this.render();
      }),
    ];
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
      const related = new vscode.DiagnosticRelatedInformation(new vscode.Location(scan.dockerfile, rangeOf(scan.from)), `Image ${imageLabel(scan.image)}`);
      for (const placed of scan.placed) {
        if (!atLeast(placed.finding.severity, minimum)) continue;
        const uri = fileUri(scan, placed.file);
        const diagnostic = new vscode.Diagnostic(rangeOf(placed), placed.message, LEVELS[placed.level]);
        diagnostic.source = DIAGNOSTIC_SOURCE;
        diagnostic.code = placed.finding.url ? { value: placed.finding.id, target: vscode.Uri.parse(placed.finding.url) } : placed.finding.id;
        diagnostic.relatedInformation = [related];
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
