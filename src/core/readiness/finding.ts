/**
 * One finding of the deploy readiness checks and the shape every rule returns: the CLI prints it (text,
 * JSON, SARIF), the extension turns it into a diagnostic. Lines and columns are 1-based, as the CLI's JSON
 * writes them; the editor side subtracts one.
 */
export type ReadinessSeverity = 'error' | 'warning' | 'info';

export interface ReadinessFinding {
  /** The file the finding is in, as the user named it; for AWS resources, a description such as `repository web`. */
  file: string;
  line: number;
  column: number;
  /** Stable id, `<area>/<name>`: `dockerfile/root-user`, `taskdef/writable-root-fs`, `repository/public-policy`. */
  rule: string;
  severity: ReadinessSeverity;
  /** Why it matters and how to fix it, in one or two sentences. */
  message: string;
  /** Where the marked text ends on `line` (1-based, exclusive), for the editor's squiggle; not in the CLI's JSON. */
  endColumn?: number;
}

const RANK: Record<ReadinessSeverity, number> = { info: 0, warning: 1, error: 2 };

/** Whether a finding is at or above the threshold (`--fail-on`). */
export function atOrAbove(severity: ReadinessSeverity, threshold: ReadinessSeverity): boolean {
  return RANK[severity] >= RANK[threshold];
}
