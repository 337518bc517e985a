/** The shape of a diagnosis, shared by the CLI (text, JSON) and the extension's report. */

export const CHECK_IDS = ['image-exists', 'execution-role-can-pull', 'secrets-exist', 'log-group-exists', 'platform-matches', 'stopped-tasks', 'health-check'] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export type CheckStatus = 'ok' | 'problem' | 'unknown';

/** What the extension can offer as a button for a check's next step; the CLI prints the text only. */
export type FollowUp = 'tail-logs' | 'show-events' | 'validate-deployment' | 'show-metrics' | 'deploy';

export interface DoctorCheck {
  id: CheckId;
  status: CheckStatus;
  /** One sentence: what was found. */
  message: string;
  /** What was read that says so, one fact a line (statement ids, ARNs, reasons, log lines). */
  evidence: string[];
  /** What to do about it; absent when there is nothing to do. */
  next?: string;
  followUps?: FollowUp[];
}

export interface DoctorReport {
  cluster: string;
  service: string;
  taskDefinitionArn: string;
  checks: DoctorCheck[];
}

export const hasProblem = (report: Pick<DoctorReport, 'checks'>) => report.checks.some((c) => c.status === 'problem');

/** The worst of several statuses: a problem outweighs an unknown, an unknown an ok. */
export function worstStatus(statuses: readonly CheckStatus[]): CheckStatus {
  if (statuses.includes('problem')) return 'problem';
  if (statuses.includes('unknown')) return 'unknown';
  return 'ok';
}

const MARK: Record<CheckStatus, string> = { ok: 'ok     ', problem: 'PROBLEM', unknown: 'unknown' };

/** The report as plain text: the CLI's output and the extension's "Copy Report". */
export function reportText(report: DoctorReport): string {
  const lines = [`${report.service} in ${report.cluster}, ${report.taskDefinitionArn.split('/').pop()}`];
  for (const check of report.checks) {
    lines.push(`${MARK[check.status]}  ${check.id}: ${check.message}`);
    for (const e of check.evidence) lines.push(`           ${e}`);
    if (check.next) lines.push(`           next: ${check.next}`);
  }
  const problems = report.checks.filter((c) => c.status === 'problem').length;
  lines.push(problems ? `${problems} problem(s) found.` : 'No problem found.');
  return `${lines.join('\n')}\n`;
}
