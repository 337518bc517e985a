/**
 * Deployment history per service: when, which image, from and to which revision, and how it ended.
 * The extension keeps it in workspace state; this module only shapes the list.
 */
import { formatAge, formatTimestamp, shortDigest } from '../text/format';
import { parseImageReference } from '../ecr/imageReference';
import type { RolloutEvent, RolloutOutcome } from './rollout';
import { shortTaskDefinition } from './taskDefinition';

export type DeploymentResult = RolloutOutcome | 'stopped-watching' | 'not-watched' | 'error';

export interface DeploymentRecord {
  /** Unique per record: the deployment id when ECS gave one. */
  id: string;
  /** ISO time the update was sent. */
  at: string;
  kind: 'deploy' | 'rollback' | 'auto-rollback';
  cluster: string;
  service: string;
  serviceArn: string;
  container?: string;
  image?: string;
  fromTaskDefinitionArn?: string;
  toTaskDefinitionArn: string;
  deploymentId?: string;
  result: DeploymentResult;
  reason?: string;
  /** What a Details document tells besides the reason (absent in records from before it was kept). */
  story?: VerdictStory;
}

/** The rest of a verdict's story: stopped tasks, events, the rollback, the verify figures. */
export interface VerdictStory {
  stoppedTasks: Array<{ taskId: string; reason: string }>;
  events: RolloutEvent[];
  elapsedMs?: number;
  runningCount?: number;
  desiredCount?: number;
  /** Our own rollback after a failure: to which revision, how it ended, or why none ran. */
  rollback?: { to?: string; result?: DeploymentResult; skipped?: string };
  /** ECS rolled back (circuit breaker) or another deployment replaced this one. */
  replacedBy?: { taskDefinitionArn?: string; isRollback: boolean };
  verify?: { verdict: string; reason: string; comparisons: string[] };
}

/** Records kept per service: enough to find the last good revision, bounded so workspace state stays small. */
export const HISTORY_PER_SERVICE = 20;

/** Adds or replaces (same id) a record, newest first, keeping at most HISTORY_PER_SERVICE per service. */
export function recordDeployment(history: readonly DeploymentRecord[], record: DeploymentRecord): DeploymentRecord[] {
  const others = history.filter((r) => r.id !== record.id);
  const all = [record, ...others].sort((a, b) => b.at.localeCompare(a.at));
  const perService = new Map<string, number>();
  return all.filter((r) => {
    const n = (perService.get(r.serviceArn) ?? 0) + 1;
    perService.set(r.serviceArn, n);
    return n <= HISTORY_PER_SERVICE;
  });
}

export function historyOf(history: readonly DeploymentRecord[], serviceArn: string): DeploymentRecord[] {
  return history.filter((r) => r.serviceArn === serviceArn);
}

/** Reads whatever was stored, dropping entries that are not records (an older format, a hand edit). */
export function parseHistory(stored: unknown): DeploymentRecord[] {
  if (!Array.isArray(stored)) return [];
  return stored.filter(
    (r): r is DeploymentRecord =>
      typeof r === 'object' && r !== null && typeof r.id === 'string' && typeof r.at === 'string' && typeof r.serviceArn === 'string' && typeof r.toTaskDefinitionArn === 'string',
  );
}

/** A record as one row reads it: what went out, between which revisions, how it ended, when. */
export interface DeploymentRecordText {
  /** The image tag deployed, or "rollback to family:N". */
  title: string;
  /** `family:3 → family:4 · succeeded · 5 min ago` */
  summary: string;
  /** Every field a person may want, one per line, for a tooltip or a message. */
  details: string[];
}

const KIND_WORDS: Record<DeploymentRecord['kind'], string> = { deploy: 'deploy', rollback: 'rollback', 'auto-rollback': 'automatic rollback' };

/** What a result means to a person (the record keeps the machine word). */
export const RESULT_WORDS: Record<DeploymentResult, string> = {
  succeeded: 'succeeded',
  failed: 'failed',
  'timed-out': 'timed out',
  unverified: 'not verified',
  'in-progress': 'in progress',
  'stopped-watching': 'stopped watching',
  'not-watched': 'not watched',
  error: 'could not be sent',
};

export function describeDeploymentRecord(record: DeploymentRecord, now: Date = new Date()): DeploymentRecordText {
  const to = shortTaskDefinition(record.toTaskDefinitionArn);
  const from = record.fromTaskDefinitionArn ? shortTaskDefinition(record.fromTaskDefinitionArn) : '?';
  const tag = record.image ? imageTagOrDigest(record.image) : undefined;
  const title = record.kind === 'deploy' ? (tag ?? to) : `${KIND_WORDS[record.kind]} to ${to}`;
  const at = new Date(record.at);
  return {
    title,
    summary: `${from} → ${to} · ${RESULT_WORDS[record.result]} · ${formatAge(at, now)}`,
    details: [
      `${KIND_WORDS[record.kind]} of ${record.service} in ${record.cluster}, ${formatTimestamp(at)}`,
      record.image ? `Image: ${record.image}${record.container ? ` (container ${record.container})` : ''}` : undefined,
      `Task definition: ${from} → ${to}`,
      `Result: ${RESULT_WORDS[record.result]}${record.reason ? `: ${record.reason}` : ''}`,
      record.deploymentId ? `Deployment: ${record.deploymentId}` : undefined,
    ].filter((line): line is string => line !== undefined),
  };
}

/** `…/repo:tag` -> `tag`; `…/repo@sha256:…` -> the short digest; a bare `…/team/repo` -> `repo`. */
function imageTagOrDigest(image: string): string {
  const ref = parseImageReference(image);
  if (ref.digest) return shortDigest(ref.digest);
  return ref.tag ?? ref.repository.slice(ref.repository.lastIndexOf('/') + 1);
}
