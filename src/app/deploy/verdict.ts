/** A run's verdict in the words both shells print: its outcome, a stopped watch, a rollback not run. */
import type { DeploymentResult } from '../../core/deploy/history';
import type { RolloutStatus } from '../../core/deploy/rollout';
import type { WatchResult } from './followRollout';
import type { VerifyResult } from './verifyDeploy';

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

/**
 * The outcome of a run with its verify watch: a regression after a successful rollout is a failure of the
 * deploy, a watch that could not judge (cancelled, no figures) leaves it unverified.
 */
export function runOutcomeOf(run: { watch: WatchResult | undefined; verify?: VerifyResult }): RunOutcome {
  const rollout = outcomeOf(run.watch);
  if (rollout !== 'succeeded' || !run.verify) return rollout;
  if (run.verify.verdict === 'regressed') return 'failed';
  return run.verify.verdict === 'not-verified' ? 'unverified' : 'succeeded';
}

/** The rollout's reason, and the verify watch's after it. */
export function runReasonOf(run: { watch: WatchResult | undefined; verify?: VerifyResult }): string | undefined {
  const rollout = run.watch ? (run.watch.stoppedWatching ? stoppedWatchingText(run.watch.status) : run.watch.status.reason) : undefined;
  return run.verify ? `${rollout ? `${rollout} ` : ''}${run.verify.reason}` : rollout;
}
