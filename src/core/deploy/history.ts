/**
 * Deployment history per service: when, which image, from and to which revision, and how it ended.
 * The extension keeps it in workspace state; this module only shapes the list.
 */
import type { RolloutOutcome } from './rollout';

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
