/**
 * Suppression: `# ecr-deploy-ignore <rule> [<rule>...]` in a Dockerfile on the comment lines just above an
 * instruction silences those rules for that instruction, all of its continuation lines included (Docker has no
 * comment at the end of an instruction's line: `#` there is part of the instruction); a list of rule ids
 * (the `ecrDeploy.readiness.ignore` setting, the CLI's `--ignore`) silences them everywhere.
 */
import type { ReadinessFinding } from './finding';

const MARKER = /#\s*ecr-deploy-ignore\b([^\n]*)/;

function rulesIn(line: string): string[] {
  const match = MARKER.exec(line);
  return match ? match[1]!.split(/[\s,]+/).filter(Boolean) : [];
}

/** Rules suppressed on each 1-based line of a Dockerfile. */
function suppressedByLine(text: string): Map<number, Set<string>> {
  const lines = text.split(/\r?\n/);
  const byLine = new Map<number, Set<string>>();
  const add = (line: number, rules: string[]) => {
    if (!rules.length) return;
    const set = byLine.get(line) ?? new Set<string>();
    for (const rule of rules) set.add(rule);
    byLine.set(line, set);
  };
  let pending: string[] = [];
  let continued = false;
  lines.forEach((text, index) => {
    const line = index + 1;
    const trimmed = text.trim();
    if (trimmed.startsWith('#')) {
      pending.push(...rulesIn(trimmed));
      return;
    }
    if (!trimmed) {
      if (!continued) pending = [];
      return;
    }
    // An instruction line (or a continuation of one): the comments above cover the whole instruction.
    add(line, pending);
    continued = /[\\`]\s*$/.test(text);
    if (!continued) pending = [];
  });
  return byLine;
}

export function suppressDockerfileFindings(text: string, findings: readonly ReadinessFinding[]): ReadinessFinding[] {
  const byLine = suppressedByLine(text);
  return findings.filter((f) => !byLine.get(f.line)?.has(f.rule));
}

export function withoutIgnored(findings: readonly ReadinessFinding[], ignored: Iterable<string>): ReadinessFinding[] {
  const set = new Set(ignored);
  return set.size ? findings.filter((f) => !set.has(f.rule)) : [...findings];
}

/** The comment that suppresses `rule` on the instruction at a line: the quick fix inserts it above, indented alike. */
export function suppressionComment(rule: string, instructionLine: string): string {
  const indent = /^\s*/.exec(instructionLine)?.[0] ?? '';
  return `${indent}# ecr-deploy-ignore ${rule}`;
}
