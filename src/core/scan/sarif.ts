/**
 * Placed scan findings as SARIF 2.1.0, the format GitHub code scanning reads: one rule per vulnerability
 * id (help text and the advisory link), one result per finding on the Dockerfile or manifest line it
 * was placed on, the level from the severity (critical/high error, medium warning, the rest note).
 * Deterministic: no timestamps, same findings same bytes.
 */
import type { PlacedFinding } from './placeFindings';
import type { Severity } from './severity';

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

export type SarifLevel = 'error' | 'warning' | 'note';

export function sarifLevel(severity: Severity): SarifLevel {
  if (severity === 'CRITICAL' || severity === 'HIGH') return 'error';
  if (severity === 'MEDIUM') return 'warning';
  return 'note';
}

/** GitHub ranks security alerts by `security-severity` (a CVSS-like score as a string). */
const SECURITY_SEVERITY: Record<Severity, string> = { CRITICAL: '9.5', HIGH: '8.0', MEDIUM: '5.5', LOW: '2.0', INFORMATIONAL: '0.0', UNDEFINED: '0.0' };

export interface SarifOptions {
  toolVersion: string;
  /** Where the build context sits in the repository (`services/api`), so URIs are relative to the repository root. */
  contextPrefix?: string;
}

function advisoryUrl(id: string, url: string | undefined): string | undefined {
  if (url) return url;
  return /^CVE-\d{4}-\d+$/i.test(id) ? `https://nvd.nist.gov/vuln/detail/${id.toUpperCase()}` : undefined;
}

/** A relative URI reference: each segment percent-encoded, `/` kept. */
export function sarifUri(file: string, prefix = ''): string {
  const joined = prefix && prefix !== '.' ? `${prefix.replace(/\/+$/, '')}/${file}` : file;
  return joined.split('/').map(encodeURIComponent).join('/');
}

export function findingsToSarif(placed: readonly PlacedFinding[], options: SarifOptions): Record<string, unknown> {
  const rules = new Map<string, Record<string, unknown>>();
  const ruleIndex = new Map<string, number>();
  for (const p of placed) {
    const { id, title, url, severity } = p.finding;
    if (rules.has(id)) continue;
    const link = advisoryUrl(id, url);
    const helpText = `${id} (${severity.toLowerCase()}) in ${p.finding.packageName}: ${title}${link ? ` See ${link}.` : ''} Upgrade the package, or the base image that brings it.`;
    ruleIndex.set(id, rules.size);
    rules.set(id, {
      id,
      name: id.replace(/[^A-Za-z0-9]/g, ''),
      shortDescription: { text: `${id} in ${p.finding.packageName}` },
      fullDescription: { text: title || id },
      ...(link ? { helpUri: link } : {}),
      help: { text: helpText, markdown: `**${id}** (${severity.toLowerCase()}) in \`${p.finding.packageName}\`: ${title}${link ? `\n\n[${id}](${link})` : ''}` },
      defaultConfiguration: { level: sarifLevel(severity) },
      properties: { tags: ['security', 'container', 'vulnerability'], 'security-severity': SECURITY_SEVERITY[severity], severity },
    });
  }
  const results = placed.map((p) => ({
    ruleId: p.finding.id,
    ruleIndex: ruleIndex.get(p.finding.id)!,
    level: sarifLevel(p.finding.severity),
    message: { text: p.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: sarifUri(p.file, options.contextPrefix), uriBaseId: '%SRCROOT%' },
          region: { startLine: p.line + 1, ...(p.end > p.start ? { startColumn: p.start + 1, endColumn: p.end + 1 } : {}) },
        },
      },
    ],
    partialFingerprints: { 'ecrDeployFinding/v1': `${p.finding.id}:${p.finding.packageName}:${p.file}` },
  }));
  return sarifDocument({ toolVersion: options.toolVersion, informationUri: 'https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html', rules: [...rules.values()], results });
}

/** The SARIF log of one ecr-deploy run: the one writer for scan findings and readiness findings. */
export function sarifDocument(run: { toolVersion: string; informationUri: string; rules: readonly unknown[]; results: readonly unknown[] }): Record<string, unknown> {
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'ecr-deploy', version: run.toolVersion, informationUri: run.informationUri, rules: run.rules } }, results: run.results }],
  };
}
