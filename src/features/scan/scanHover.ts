/**
 * A hover on the final stage's `FROM` image: the latest scan of each repository built from this Dockerfile,
 * counts first, then the findings that came with the base image. The base-image diagnostics sit on the
 * `FROM` keyword, not on the image, so VS Code (which lists a position's diagnostics before any hover) shows
 * this hover on the image with nothing above it.
 */
import * as vscode from 'vscode';
import { shortImageLabel } from '../../core/scan/scanFindings';
import { atLeast, findingsSummary, normalizeSeverity, severityRank } from '../../core/scan/severity';
import { settings } from '../settings';
import type { ScanDiagnostics } from './scanDiagnostics';

/** Base-image findings listed in the hover; the rest are in the Problems panel. */
const LISTED = 10;

export class ScanHoverProvider implements vscode.HoverProvider {
  constructor(private readonly diagnostics: ScanDiagnostics) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const onImage = ([, scan]: [string, { from: { line: number; start: number; end: number } }]) =>
      scan.from.line === position.line && (scan.from.start === scan.from.end || (position.character >= scan.from.start && position.character <= scan.from.end));
    const scans = this.diagnostics.scansWithDockerfile(document.uri).filter(onImage);
    if (!scans.length) return undefined;
    const minimum = normalizeSeverity(settings.scanMinimumSeverity());
    const markdown = new vscode.MarkdownString();
    for (const [, scan] of scans) {
      const fromBase = scan.placed.filter((p) => p.placement === 'baseImage').sort((a, b) => severityRank(b.finding.severity) - severityRank(a.finding.severity));
      const hidden = scan.placed.filter((p) => !atLeast(p.finding.severity, minimum)).length;
      markdown.appendMarkdown(`**${findingsSummary(this.diagnostics.countsOf(scan))}** · ECR scan of \`${shortImageLabel(scan.image)}\``);
      markdown.appendMarkdown(` (${scan.status ?? 'unknown status'}${scan.completedAt ? `, ${scan.completedAt.toLocaleString()}` : ''})\n\n`);
      if (fromBase.length) {
        markdown.appendMarkdown(`${fromBase.length} of them come with the base image${scan.from.baseImage ? ` \`${scan.from.baseImage}\`` : ''}:\n\n`);
        // Package text in code spans: versions like `3.0.13-1~deb12u1` are not Markdown.
        for (const p of fromBase.slice(0, LISTED)) markdown.appendMarkdown(`- ${p.finding.severity.toLowerCase()} ${p.finding.id} \`${`${p.finding.packageName || '(unknown package)'} ${p.finding.installedVersion ?? ''}`.trim()}\`\n`);
        if (fromBase.length > LISTED) markdown.appendMarkdown(`- …and ${fromBase.length - LISTED} more in the Problems panel\n`);
        markdown.appendMarkdown('\n');
      }
      if (hidden) markdown.appendMarkdown(`${hidden} below the minimum severity (\`ecrDeploy.scan.minimumSeverity\`) are not shown.\n\n`);
    }
    const from = scans[0][1].from;
    return new vscode.Hover(markdown, new vscode.Range(from.line, from.start, from.line, from.end));
  }
}
