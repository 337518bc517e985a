/** ECR's finding severities: their order, what editor severity each becomes, and how counts read. */
import { plural } from '../text/format';

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNDEFINED'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type DiagnosticLevel = 'error' | 'warning' | 'information' | 'hint';

/**
 * ECR's severity, upper-cased; anything else (Inspector's UNTRIAGED, a value this version does not
 * know) counts as UNDEFINED: shown, never hidden, never ranked above what AWS rated.
 */
export function normalizeSeverity(value: string | undefined): Severity {
  const upper = (value ?? '').toUpperCase();
  return (SEVERITIES as readonly string[]).includes(upper) ? (upper as Severity) : 'UNDEFINED';
}

/** Higher is worse. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(severity);
}

export function atLeast(severity: Severity, minimum: Severity): boolean {
  return severityRank(severity) >= severityRank(minimum);
}

export function diagnosticLevel(severity: Severity): DiagnosticLevel {
  switch (severity) {
    case 'CRITICAL':
    case 'HIGH':
      return 'error';
    case 'MEDIUM':
      return 'warning';
    case 'LOW':
      return 'information';
    default:
      return 'hint';
  }
}

/** A user's spelling of a severity (`high`, `High`), or undefined when it names none. */
export function parseSeverity(text: string): Severity | undefined {
  const upper = text.trim().toUpperCase();
  return (SEVERITIES as readonly string[]).includes(upper) ? (upper as Severity) : undefined;
}

export type SeverityCounts = Partial<Record<Severity, number>>;

export function countBySeverity(severities: Iterable<Severity>): SeverityCounts {
  const counts: SeverityCounts = {};
  for (const s of severities) counts[s] = (counts[s] ?? 0) + 1;
  return counts;
}

/** `2 critical · 5 high · 1 medium`, worst first; `no findings` when empty. */
export function formatSeverityCounts(counts: SeverityCounts): string {
  const parts = SEVERITIES.filter((s) => (counts[s] ?? 0) > 0).map((s) => `${counts[s]} ${s.toLowerCase()}`);
  return parts.length ? parts.join(' · ') : 'no findings';
}

/** `1 finding`, `9 findings`: every count of findings a person reads goes through here (never "1 findings"). */
export function findingCount(count: number): string {
  return plural(count, 'finding');
}

/** `9 findings (2 critical · 2 high · …)`, `1 finding (1 high)`, `no findings`. */
export function findingsSummary(counts: SeverityCounts): string {
  const total = SEVERITIES.reduce((sum, s) => sum + (counts[s] ?? 0), 0);
  return total ? `${findingCount(total)} (${formatSeverityCounts(counts)})` : 'no findings';
}
