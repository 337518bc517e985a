/**
 * The readiness findings as the CLI writes them: JSON rows (exactly the issue's keys), text lines
 * (`file:line:column: severity rule: message`) and SARIF (through the scan findings' SARIF writer, so
 * both are one format). Findings on AWS resources (`repository web`) have no file: SARIF gives them a
 * logical location instead of a physical one.
 */
import { sarifDocument, sarifUri } from '../scan/sarif';
import { atOrAbove, type ReadinessFinding, type ReadinessSeverity } from './finding';
import { READINESS_RULES, ruleById } from './rules';

/** A JSON row holds a finding's own keys and nothing else (toRow drops whatever a finding carries beyond them). */
export type ReadinessRow = ReadinessFinding;

export const toRow = ({ file, line, column, rule, severity, message }: ReadinessFinding): ReadinessRow => ({ file, line, column, rule, severity, message });

export const textLine = (f: ReadinessFinding) => `${f.file}:${f.line}:${f.column}: ${f.severity} ${f.rule}: ${f.message}`;

export function countAtOrAbove(findings: readonly ReadinessFinding[], threshold: ReadinessSeverity): number {
  return findings.filter((f) => atOrAbove(f.severity, threshold)).length;
}

const SARIF_LEVEL: Record<ReadinessSeverity, string> = { error: 'error', warning: 'warning', info: 'note' };

export interface ReadinessSarifOptions {
  toolVersion: string;
  /** Files that are real files (relative to the repository root); anything else is an AWS resource. */
  isFile: (file: string) => boolean;
}

export function readinessToSarif(findings: readonly ReadinessFinding[], options: ReadinessSarifOptions): Record<string, unknown> {
  const used = READINESS_RULES.filter((rule) => findings.some((f) => f.rule === rule.id));
  const rules = used.map((rule) => ({
    id: rule.id,
    name: rule.id.replace(/[^A-Za-z0-9]/g, ''),
    shortDescription: { text: rule.id },
    help: { text: `${rule.fix} (Placed on ${rule.where.replace(/`/g, '')}.)`, markdown: `${rule.fix}\n\nPlaced on ${rule.where}.` },
    defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
    properties: { tags: ['deploy-readiness', rule.id.split('/')[0]] },
  }));
  const results = findings.map((f) => ({
    ruleId: f.rule,
    ruleIndex: used.indexOf(ruleById(f.rule)!),
    level: SARIF_LEVEL[f.severity],
    message: { text: f.message },
    locations: [
      options.isFile(f.file)
        ? { physicalLocation: { artifactLocation: { uri: sarifUri(f.file), uriBaseId: '%SRCROOT%' }, region: { startLine: f.line, startColumn: f.column } } }
        : { logicalLocations: [{ fullyQualifiedName: f.file, kind: 'resource' }] },
    ],
    partialFingerprints: { 'ecrDeployReadiness/v1': `${f.rule}:${f.file}:${f.line}` },
  }));
  return sarifDocument({ toolVersion: options.toolVersion, informationUri: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/security-tasks-containers.html', rules, results });
}

export interface ReadinessReportSubject {
  /** `sales-prod/web`. */
  service: string;
  /** `web:12`. */
  revision?: string;
  repositories: readonly string[];
  notes: readonly string[];
}

/**
 * Check Deploy Readiness's report as Markdown: worst first, each finding with where it is and the next step
 * (the rule's fix), then what could not be checked. Plain text that reads well unrendered too.
 */
export function readinessMarkdown(findings: readonly ReadinessFinding[], subject: ReadinessReportSubject): string {
  const rank: Record<ReadinessSeverity, number> = { error: 0, warning: 1, info: 2 };
  const sorted = [...findings].sort((a, b) => rank[a.severity] - rank[b.severity] || a.file.localeCompare(b.file) || a.line - b.line);
  const checked = [subject.revision ? `task definition ${subject.revision} (deployed)` : undefined, ...subject.repositories.map((r) => `repository ${r}`)].filter(Boolean).join(', ');
  const count = (s: ReadinessSeverity) => findings.filter((f) => f.severity === s).length;
  const lines = [
    `# Deploy readiness of ${subject.service}`,
    '',
    `Checked: ${checked || 'nothing'}. ${count('error')} error(s), ${count('warning')} warning(s), ${count('info')} information.`,
    '',
  ];
  if (!sorted.length) lines.push('Nothing to fix: no finding.', '');
  sorted.forEach((f, i) => {
    const rule = ruleById(f.rule);
    const where = f.file.startsWith('task definition ') ? `${f.file}, line ${f.line}` : f.file;
    lines.push(`${i + 1}. **${f.severity}** \`${f.rule}\` in ${where}`, `   ${f.message}`, ...(rule ? [`   Next step: ${rule.fix}`] : []), '');
  });
  if (subject.notes.length) lines.push('## Not checked', '', ...subject.notes.map((n) => `- ${n}`), '');
  lines.push('Task-definition findings are also in the Problems panel, on the deployed revision. Leave a rule out with the `ecrDeploy.readiness.ignore` setting.', '');
  return lines.join('\n');
}

