/** A hover on the final stage's `FROM` line: the latest scan of each repository built from this Dockerfile. */
import * as vscode from 'vscode';
import { imageLabel } from '../../core/scan/scanFindings';
import { atLeast, formatSeverityCounts, normalizeSeverity } from '../../core/scan/severity';
import { settings } from '../settings';
import type { ScanDiagnostics } from './scanDiagnostics';

export class ScanHoverProvider implements vscode.HoverProvider {
  constructor(private readonly diagnostics: ScanDiagnostics) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const scans = this.diagnostics.scansWithDockerfile(document.uri).filter(([, scan]) => scan.from.line === position.line);
    if (!scans.length) return undefined;
    const minimum = normalizeSeverity(settings.scanMinimumSeverity());
    const markdown = new vscode.MarkdownString();
    for (const [, scan] of scans) {
      const fromBase = scan.placed.filter((p) => p.placement === 'baseImage').length;
      const hidden = scan.placed.filter((p) => !atLeast(p.finding.severity, minimum)).length;
      markdown.appendMarkdown(`**ECR scan** of \`${imageLabel(scan.image)}\``);
      markdown.appendMarkdown(` (${scan.status ?? 'unknown status'}${scan.completedAt ? `, ${scan.completedAt.toLocaleString()}` : ''})\n\n`);
      markdown.appendMarkdown(`${scan.placed.length} findings: ${formatSeverityCounts(this.diagnostics.countsOf(scan))}\n\n`);
      if (fromBase) markdown.appendMarkdown(`${fromBase} of them come with the base image${scan.from.baseImage ? ` \`${scan.from.baseImage}\`` : ''} (on this line).\n\n`);
      if (hidden) markdown.appendMarkdown(`${hidden} below the minimum severity (\`ecrDeploy.scan.minimumSeverity\`) are not shown.\n\n`);
    }
    const from = scans[0][1].from;
    return new vscode.Hover(markdown, new vscode.Range(from.line, from.start, from.line, from.end));
  }
}
