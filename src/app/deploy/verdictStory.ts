/**
 * A verdict as a person reads it: one headline that fits a notification (at most HEADLINE_LIMIT
 * characters, no internal ids) and the whole story behind it for a Details document (the reasons in
 * ECS's words, stopped tasks, service events, the rollback, the verify figures). The history keeps the
 * story, so an old deploy can be read in full later.
 */
import { RESULT_WORDS, type DeploymentRecord, type VerdictStory } from '../../core/deploy/history';
import { isDeliberateStop, revisionLabel as revision } from '../../core/deploy/rollout';
import { formatDuration, formatTimestamp, plural } from '../../core/text/format';
import type { UpdateRun } from './runUpdate';
import { outcomeOf, runOutcomeOf, runReasonOf, type RunOutcome } from './verdict';

/** VS Code shows about this much of a notification on one line at its default width. */
export const HEADLINE_LIMIT = 100;

/** Kept with each history record: enough to tell the story again, bounded so workspace state stays small. */
const STORED_EVENTS = 10;
const STORED_STOPPED = 10;

/** What the headline and the details are about. */
export interface VerdictSubject {
  kind: DeploymentRecord['kind'];
  /** In the person's words: `quilt-mcp-server:v1.1.0`, `mcp-server-production:3`. */
  what: string;
  cluster: string;
  service: string;
}

export function storyOfRun(run: UpdateRun): VerdictStory {
  const status = run.watch?.status;
  const back = run.rollback;
  return {
    stoppedTasks: (status?.stoppedTasks ?? []).slice(-STORED_STOPPED),
    events: (status?.events ?? []).slice(0, STORED_EVENTS),
    elapsedMs: status?.elapsedMs,
    runningCount: status?.runningCount,
    desiredCount: status?.desiredCount,
    rollback: back ? { to: back.taskDefinitionArn, result: back.watch ? outcomeOf(back.watch) : undefined, skipped: back.skipped } : undefined,
    replacedBy: status?.replacedBy ? { taskDefinitionArn: status.replacedBy.taskDefinitionArn, isRollback: status.replacedBy.isRollback } : undefined,
    verify: run.verify ? { verdict: run.verify.verdict, reason: run.verify.reason, comparisons: run.verify.comparisons.map((c) => c.text) } : undefined,
  };
}

/** Cuts at a word boundary and marks the cut, so a headline never ends mid-word. */
function clip(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > limit / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.(]+$/, '')}…`;
}

/**
 * `subject: cause` in at most HEADLINE_LIMIT characters: the first of the causes (longest and most precise
 * first) that fits whole, else the last one shortened; the subject is never cut while a cause could be.
 */
function fit(subject: string, ...causes: Array<string | undefined>): string {
  const given = causes.filter((c): c is string => Boolean(c));
  for (const cause of given) if (subject.length + 2 + cause.length <= HEADLINE_LIMIT) return `${subject}: ${cause}`;
  const room = HEADLINE_LIMIT - subject.length - 2;
  if (!given.length || room < 12) return clip(subject, HEADLINE_LIMIT);
  return `${subject}: ${clip(given[given.length - 1], room)}`;
}

/** The first words of ECS's reason for a stopped task: `CannotPullContainerError`, `Essential container in task exited`. */
function stoppedCause(stopped: VerdictStory['stoppedTasks']): string | undefined {
  const failures = stopped.filter((s) => !isDeliberateStop(s.reason));
  if (!failures.length) return undefined;
  const newest = failures[failures.length - 1].reason.replace(/^(\w+Error):.*$/s, '$1').replace(/\.$/, '');
  return `${plural(failures.length, 'task')} stopped (${newest})`;
}

/** `family:7`, then `revision 7`: the shorter form when a headline has no room for the family. */
function revisionForms(arn: string | undefined): string[] {
  const number = arn ? /:(\d+)$/.exec(arn)?.[1] : undefined;
  return number ? [revision(arn), `revision ${number}`] : [revision(arn)];
}

/** How our rollback after the failure ended, longest first ([] when none ran). */
function rollbackWords(story: VerdictStory): string[] {
  const back = story.rollback;
  if (!back?.to || !back.result) return [];
  if (back.result === 'succeeded') return [...revisionForms(back.to).map((r) => `rolled back to ${r}`), 'rolled back'];
  const ended = RESULT_WORDS[back.result];
  return [...revisionForms(back.to).map((r) => `rollback to ${r} ${ended}`), `rollback ${ended}`];
}

/** One line, at most HEADLINE_LIMIT characters, saying how it ended and the one thing to know first. */
export function verdictHeadline(subject: VerdictSubject, outcome: RunOutcome | 'error', story: VerdictStory, toTaskDefinitionArn?: string): string {
  const rollback = subject.kind !== 'deploy';
  const name = subject.service;
  const of = rollback ? `Rollback of ${name} to ${subject.what}` : `Deploy of ${subject.what} to ${name}`;
  const counts = story.desiredCount !== undefined ? `${story.runningCount ?? 0}/${story.desiredCount} tasks running` : undefined;
  const took = story.elapsedMs !== undefined ? ` in ${formatDuration(story.elapsedMs)}` : '';
  switch (outcome) {
    case 'succeeded': {
      const done = rollback ? `Rolled ${name} back to ${subject.what}` : `Deployed ${subject.what} to ${name}`;
      const verified = story.verify?.verdict === 'verified' ? ', verified' : '';
      if (!counts) return fit(done);
      return fit(done, ...revisionForms(toTaskDefinitionArn).map((r) => `${counts} ${r}${took}${verified}`), `${counts}${took}${verified}`, `${counts}${verified}`);
    }
    case 'unverified': {
      const why = story.verify?.verdict === 'not-verified' ? 'no metrics to compare' : 'ECS reported no rollout to check';
      return fit(`${subject.what} on ${name} is not verified`, why);
    }
    case 'timed-out':
      return fit(`${of} timed out${took}`, counts);
    case 'stopped-watching':
      return fit(`Stopped watching ${name}`, 'the deployment continues in ECS');
    case 'not-watched':
      return fit(`${of} started`, 'not followed to its end');
    case 'in-progress':
      return fit(`${of} is in progress`, counts);
    case 'error':
      return fit(`${of} could not be sent`);
    default: {
      const regressed = story.verify?.verdict === 'regressed';
      const causes = regressed
        ? [story.verify!.comparisons.find((c) => /limit/.test(c))?.replace(/ \(.*$/, '')]
        : story.replacedBy?.isRollback
          ? [...revisionForms(story.replacedBy.taskDefinitionArn).map((r) => `ECS rolled back to ${r}`), 'ECS rolled back']
          : story.replacedBy
            ? ['another deployment replaced it']
            : [stoppedCause(story.stoppedTasks) ?? (counts ? `${counts} after ${formatDuration(story.elapsedMs ?? 0)}` : undefined)];
      const cause = causes[0];
      // Our rollback matters more than the detail of the cause: it says what runs now.
      const back = rollbackWords(story);
      const candidates = back.length ? [...(cause ? back.map((b) => `${cause}; ${b}`) : []), ...back] : causes;
      return fit(`${of} ${regressed ? 'failed verification' : 'failed'}`, ...candidates);
    }
  }
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** The whole story as Markdown: the Details document of a verdict and of a history entry. */
export function verdictMarkdown(subject: VerdictSubject, record: Pick<DeploymentRecord, 'at' | 'result' | 'reason' | 'image' | 'container' | 'fromTaskDefinitionArn' | 'toTaskDefinitionArn' | 'deploymentId'>, story: VerdictStory | undefined): string {
  const headline = verdictHeadline(subject, record.result, story ?? { stoppedTasks: [], events: [] }, record.toTaskDefinitionArn);
  const rows: Array<[string, string]> = [
    ['Result', RESULT_WORDS[record.result]],
    ['Service', `${subject.cluster}/${subject.service}`],
    ...(record.image ? [['Image', `\`${record.image}\`${record.container ? ` (container ${record.container})` : ''}`] as [string, string]] : []),
    ['Revision', `${record.fromTaskDefinitionArn ? revision(record.fromTaskDefinitionArn) : '?'} → ${revision(record.toTaskDefinitionArn)}`],
    ...(record.deploymentId ? [['ECS deployment', `\`${record.deploymentId}\``] as [string, string]] : []),
    ['Started', formatTimestamp(new Date(record.at))],
    ...(story?.elapsedMs !== undefined ? [['Followed for', formatDuration(story.elapsedMs)] as [string, string]] : []),
  ];
  const lines = [`# ${headline}`, '', '| | |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${cell(v)} |`), ''];
  if (record.reason) lines.push('## What happened', '', record.reason, '');
  if (story?.rollback?.to || story?.rollback?.skipped) {
    lines.push('## Rollback', '', story.rollback.skipped ? `No rollback: ${story.rollback.skipped}.` : `To ${revision(story.rollback.to)}: ${story.rollback.result ? RESULT_WORDS[story.rollback.result] : 'not followed'}.`, '');
  }
  if (story?.verify) lines.push('## Verify after deploy', '', story.verify.reason, '', ...story.verify.comparisons.map((c) => `- ${c}`), '');
  if (story?.stoppedTasks.length) lines.push('## Stopped tasks', '', '| Task | Why it stopped |', '| --- | --- |', ...story.stoppedTasks.map((s) => `| \`${s.taskId}\` | ${cell(s.reason)} |`), '');
  if (story?.events.length) {
    lines.push('## Service events (newest first)', '', ...story.events.map((e) => `- ${formatTimestamp(new Date(e.createdAt))}: ${e.message}`), '');
  }
  return lines.join('\n');
}

/** The headline and story of a finished run, as the extension tells it and records it. */
export function verdictOfRun(subject: VerdictSubject, run: UpdateRun): { outcome: RunOutcome; reason: string | undefined; story: VerdictStory; headline: string } {
  const outcome = runOutcomeOf(run);
  const story = storyOfRun(run);
  return { outcome, reason: runReasonOf(run), story, headline: verdictHeadline(subject, outcome, story, run.taskDefinitionArn) };
}
