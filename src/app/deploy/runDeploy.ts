/**
 * The deploy use case, whole: prepare (read, choose, plan, refuse a wrong platform), let the shell
 * confirm the plan, then register, update and follow to a verdict, rolling back on failure when asked.
 * The shells differ only in their ports: the CLI prints the dry run (`--dry-run`) and progress lines,
 * the extension shows the diff and a modal, then a progress notification.
 */
import type { DeployAccess } from './access';
import { prepareDeploy, type DeployRequest, type PrepareDeployPorts, type PreparedDeploy } from './prepareDeploy';
import { runUpdate, type FollowSettings, type StartRun, type UpdateRun } from './runUpdate';

/**
 * The shell's answer to a plan: go on, go on although the platform does not match (the person said
 * so: `--allow-platform-mismatch`, "Deploy Anyway"), or stop (a dry run, a "no").
 */
export type PlanDecision = 'deploy' | 'deploy-anyway' | 'stop';

export interface DeployPorts extends PrepareDeployPorts {
  /** Shows the plan (and its refusal, if any) and answers. */
  confirm(prepared: PreparedDeploy): Promise<PlanDecision>;
  /** Follows the run: calls `run` under the shell's progress and returns what it returned. */
  follow(prepared: PreparedDeploy, run: StartRun): Promise<UpdateRun>;
}

export type DeployOutcome =
  /** A question was cancelled: nothing was planned. */
  | { kind: 'cancelled' }
  /** Planned and shown, not run: a dry run, a "no", or a refused platform. */
  | { kind: 'stopped'; prepared: PreparedDeploy }
  | { kind: 'ran'; prepared: PreparedDeploy; run: UpdateRun };

export async function deploy(access: DeployAccess, request: DeployRequest, settings: FollowSettings, ports: DeployPorts): Promise<DeployOutcome> {
  const prepared = await prepareDeploy(access, request, ports);
  if (!prepared) return { kind: 'cancelled' };
  const decision = await ports.confirm(prepared);
  // A wrong platform is deployed only when the shell said so explicitly.
  if (decision === 'stop' || (prepared.refusal && decision !== 'deploy-anyway')) return { kind: 'stopped', prepared };
  const run = await ports.follow(prepared, (signal, onStatus, onPause, onNotice, onVerify) =>
    runUpdate(access, prepared.ref.cluster, prepared.service, { register: prepared.plan.registerTaskDefinitionInput }, { ...settings, signal, onStatus, onPause, onNotice, onVerify }),
  );
  return { kind: 'ran', prepared, run };
}
