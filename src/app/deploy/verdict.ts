/** A run's verdict in the words both shells print: its outcome, a stopped watch, a rollback not run. */
import type { DeploymentResult } from '../../core/deploy/history';
import type { RolloutStatus } from '../../core/deploy/rollout';
import type { WatchResult } from './followRollout';

export type RunOutcome = Exclude<DeploymentResult, 'error'>;

/** The outcome of a followed (or not followed) update. */
export function outcomeOf(watch: WatchResult | undefined): RunOutcome {
  if (!watch) return 'not-watched';
  return watch.stoppedWatching ? 'stopped-watching' : watch.status.outcome;
}

/** "Stopped watching[ service]; the deployment continues in ECS. Last status: ...". */
export function stoppedWatchingText(status: RolloutStatus | undefined, serviceName?: string): string {
  return `Stopped watching${serviceName ? ` ${serviceName}` : ''}; the deployment continues in ECS. Last status: ${status?.reason ?? 'none yet'}`;
}

/** Why no rollback of our own ran after a failure. */
export function noRollbackText(skipped: string): string {
  return `No rollback: ${skipped}.`;
}
