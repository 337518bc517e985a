/**
 * Following an update to its verdict under a cancellable progress notification (cancel stops the
 * watching, never the deployment), recording it in the history, and telling the result with the
 * actions that fit it: Diagnose, Roll Back, Show Logs, Show Events, Validate.
 */
import * as vscode from 'vscode';
import { showMessage, type MessageAction } from '../messages';
import type { Service } from '../../aws/ecs';
import type { PauseNotice, Phase } from '../../app/deploy/followRollout';
import { runUpdate, type FollowSettings, type StartRun, type UpdateRun, type UpdateTarget } from '../../app/deploy/runUpdate';
import { outcomeOf, type RunOutcome } from '../../app/deploy/verdict';
import { verdictMarkdown, verdictOfRun } from '../../app/deploy/verdictStory';
import type { VerifyProgress } from '../../app/deploy/verifyDeploy';
import type { DeploymentRecord } from '../../core/deploy/history';
import type { RolloutStatus } from '../../core/deploy/rollout';
import { formatDuration, formatTimestamp } from '../../core/text/format';
import type { ServiceRef } from '../../core/ecs/serviceRef';
import { abortSignalOf } from '../progress';
import { settings } from '../settings';
import type { DeployServices } from './deployContext';

export interface FollowRequest {
  kind: 'deploy' | 'rollback';
  ref: ServiceRef;
  /** The service as described just before the update. */
  service: Service;
  target: UpdateTarget;
  /** What the person deployed, in their words: `quilt-mcp-server:v1.1.0`, `mcp-server-production:3`. */
  what: string;
  container?: string;
  image?: string;
  /** Where the logs are, for "Show Logs" when no log tail command is available. */
  logHint?: string;
  /** Shows what is being deployed beside what ran (offered when a hook pauses the deployment). */
  showDiff?: () => Thenable<unknown>;
}

export function progressMessage(status: RolloutStatus, phase: Phase): string {
  // Strategies ECS records in the ServiceDeployments API say where they are: the stage, the traffic, the bake.
  if (status.serviceDeploymentStatus) return `${phase === 'rollback' ? 'rolling back · ' : ''}${status.reason} · ${formatDuration(status.elapsedMs)}`;
  const counts = [`${status.runningCount}/${status.desiredCount} running`, status.pendingCount ? `${status.pendingCount} pending` : '', status.failedTasks ? `${status.failedTasks} failed` : '']
    .filter(Boolean)
    .join(', ');
  const waiting = status.unhealthyTasks.length ? ` · health: ${status.unhealthyTasks[0]}` : '';
  return `${phase === 'rollback' ? 'rolling back · ' : ''}${status.rolloutState ?? 'waiting for ECS'} · ${counts}${waiting} · ${formatDuration(status.elapsedMs)}`;
}

/** How the extension follows an update, from the deploy settings. */
export function followSettings(kind: FollowRequest['kind']): FollowSettings {
  const options = settings.deploy();
  return {
    wait: true,
    timeoutMs: options.timeoutMinutes * 60_000,
    intervalMs: options.pollIntervalSeconds * 1000,
    forceNewDeployment: options.forceNewDeployment,
    rollbackOnFailure: kind === 'deploy' && options.autoRollback,
    // A rollback goes back to what ran before: only a deploy is watched for a regression.
    verify: kind === 'deploy' && options.verifyMinutes > 0 ? { windowMs: Math.round(options.verifyMinutes * 60_000), thresholds: options.verifyThresholds } : undefined,
  };
}

/** `verifying · 8 min 12 s left · 5xx rate 0.2% -> 0.3%, response time 85 ms -> 90 ms` (Cancel: not verified, nothing rolled back). */
export function verifyProgressMessage(progress: VerifyProgress): string {
  const figures = progress.comparisons.filter((c) => c.before !== undefined && c.after !== undefined).map((c) => c.text.replace(/ \(.*$/, ''));
  const read = progress.stage === 'waiting' ? 'waiting for the first whole period after the rollout' : figures.join(', ') || 'no figures yet';
  const what = progress.retrying ? `${read} (${progress.retrying}; trying again)` : read;
  return `verifying · ${formatDuration(progress.remainingMs)} left · ${what}`;
}

/**
 * Follows `run` (by default: the update of `request.target`, followed with the deploy settings) under
 * a cancellable progress notification, records it in the history and tells the result.
 */
export async function followUpdate(services: DeployServices, request: FollowRequest, run?: StartRun): Promise<UpdateRun> {
  const { session, deployHistory, log } = services;
  const access = await session.access();
  const start: StartRun =
    run ?? ((signal, onStatus, onPause, onNotice, onVerify) => runUpdate(access, request.ref.cluster, request.service, request.target, { ...followSettings(request.kind), signal, onStatus, onPause, onNotice, onVerify }));
  const at = new Date().toISOString();
  const serviceArn = request.service.serviceArn ?? `${request.ref.cluster}/${request.ref.service}`;
  const base: DeploymentRecord = {
    id: `${serviceArn}@${at}`,
    at,
    kind: request.kind,
    cluster: request.ref.cluster,
    service: request.ref.service,
    serviceArn,
    container: request.container,
    image: request.image,
    fromTaskDefinitionArn: request.service.taskDefinition,
    toTaskDefinitionArn: 'taskDefinitionArn' in request.target ? request.target.taskDefinitionArn : '(registering)',
    result: 'in-progress',
  };
  const title = request.kind === 'rollback' ? `Rolling back ${request.ref.service} to ${request.what}` : `Deploying ${request.what} to ${request.ref.service}`;
  let recordedStart = false;
  log.info(`${title} (cluster ${request.ref.cluster})`);

  const ran = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token): Promise<UpdateRun> => {
    const bridge = abortSignalOf(token);
    progress.report({ message: request.kind === 'deploy' ? 'registering the new revision and updating the service' : 'updating the service' });
    try {
      return await start(
        bridge.signal,
        (status, phase) => {
          progress.report({ message: progressMessage(status, phase) });
          log.debug(`${title}: ${status.reason}`);
          if (!recordedStart) {
            recordedStart = true;
            void deployHistory.record({ ...base, deploymentId: status.deploymentId }).catch(() => undefined);
          }
        },
        (pause) => void askAboutPause(services, request, pause),
        (notice, phase) => {
          // The same words the CLI prints: a retried read is progress; a change whose answer was lost, but which ECS made, is worth a warning.
          const text = `${phase === 'rollback' ? 'rollback: ' : ''}${notice.text}`;
          progress.report({ message: text });
          log.warn(`${title}: ${text}`);
          if (notice.kind === 'recovered') void vscode.window.showWarningMessage(`${title}: ${text}`);
        },
        (verify) => {
          progress.report({ message: verifyProgressMessage(verify) });
          log.debug(`${title}: ${verifyProgressMessage(verify)}`);
        },
      );
    } catch (error) {
      // A refused register or update changed nothing (or only registered a revision): say so in the history too.
      await deployHistory.record({ ...base, result: 'error', reason: error instanceof Error ? error.message.split('\n')[0] : String(error) });
      throw error;
    } finally {
      bridge.dispose();
    }
  });

  const subject = { kind: request.kind, what: request.what, cluster: request.ref.cluster, service: request.ref.service };
  const verdict = verdictOfRun(subject, ran);
  const record: DeploymentRecord = { ...base, toTaskDefinitionArn: ran.taskDefinitionArn, deploymentId: ran.deploymentId, result: verdict.outcome, reason: verdict.reason, story: verdict.story };
  await deployHistory.record(record);
  if (ran.rollback?.watch) {
    const back = ran.rollback;
    await deployHistory.record({
      ...base,
      id: `${serviceArn}@${at}/rollback`,
      at: new Date().toISOString(),
      kind: 'auto-rollback',
      image: undefined,
      fromTaskDefinitionArn: ran.taskDefinitionArn,
      toTaskDefinitionArn: back.taskDefinitionArn,
      deploymentId: back.deploymentId,
      result: outcomeOf(back.watch),
      reason: back.watch!.status.reason,
    });
  }
  log.info(`${title}: ${verdict.outcome}${verdict.reason ? ` — ${verdict.reason}` : ''}`);
  services.servicesView.refresh();
  void tellResult(services, request, ran, verdict.outcome, verdict.headline, record);
  return ran;
}

/**
 * A PAUSE hook holds the deployment: ask Continue or Roll Back (or show the diff first) while the rollout
 * is still followed; the answer goes to ECS, and the progress shows what ECS then does.
 */
async function askAboutPause(services: DeployServices, request: FollowRequest, pause: PauseNotice): Promise<void> {
  const what = request.kind === 'rollback' ? `Rollback of ${request.ref.service}` : `Deployment of ${request.what} to ${request.ref.service}`;
  const expiry = pause.hook.expiresAt ? ` If nobody answers, ECS will ${pause.hook.timeoutAction === 'CONTINUE' ? 'continue' : 'roll back'} at ${formatTimestamp(pause.hook.expiresAt)}.` : '';
  const message = `${what} is waiting at ${pause.hook.stage ?? 'a lifecycle hook'}.${expiry}`;
  for (;;) {
    const actions = request.showDiff ? ['Continue', 'Roll Back', 'Show Diff'] : ['Continue', 'Roll Back'];
    const choice = await vscode.window.showWarningMessage(message, ...actions);
    if (choice === 'Show Diff' && request.showDiff) {
      await request.showDiff();
      continue; // the question stays until it is answered or dismissed
    }
    if (choice !== 'Continue' && choice !== 'Roll Back') return;
    const action = choice === 'Continue' ? 'CONTINUE' : 'ROLLBACK';
    try {
      await pause.answer(action);
      services.log.info(`${what}: ${action} on hook ${pause.hook.hookId} (${pause.serviceDeploymentArn})`);
    } catch (error) {
      const reason = services.session.describe(error).message;
      services.log.error(`${what}: ${action} failed: ${reason}`);
      void vscode.window.showErrorMessage(`Could not ${choice.toLowerCase()} the deployment: ${reason}`);
    }
    return;
  }
}

export const showMetricsAction = (ref: ServiceRef): MessageAction => ({ title: 'Show Metrics', run: () => vscode.commands.executeCommand('ecrDeploy.showMetrics', ref) });
export const showEventsAction = (ref: ServiceRef): MessageAction => ({ title: 'Show Events', run: () => vscode.commands.executeCommand('ecrDeploy.showServiceEvents', ref) });
const validate = (ref: ServiceRef): MessageAction => ({ title: 'Validate Deployment', run: () => vscode.commands.executeCommand('ecrDeploy.validateDeployment', ref) });
/** The runbook's first step after a failure: why the tasks stopped (image, role, secrets, logs, platform, health). */
export const diagnoseAction = (ref: ServiceRef): MessageAction => ({ title: 'Diagnose', run: () => vscode.commands.executeCommand('ecrDeploy.diagnoseService', ref) });

export function showLogsAction(ref: ServiceRef, logHint: string | undefined): MessageAction {
  return {
    title: 'Tail Logs',
    async run() {
      // The log tail is its own feature; it may not be in this build.
      if ((await vscode.commands.getCommands(true)).includes('ecrDeploy.tailLogs')) return vscode.commands.executeCommand('ecrDeploy.tailLogs', ref);
      return vscode.window.showInformationMessage(
        `Log tailing is not available in this version of ECR Deploy. ${logHint ? `The service's containers log to ${logHint}.` : 'The task definition names no awslogs group.'}`,
      );
    },
  };
}

/** The Details document of a verdict: the whole story the headline leaves out. */
export function detailsAction(services: Pick<DeployServices, 'reports'>, record: DeploymentRecord, what: string): MessageAction {
  return {
    title: 'Details',
    run: () => services.reports.show(`verdicts/${record.cluster}/${record.service}/${record.at.replace(/[:.]/g, '-')}`, verdictMarkdown({ kind: record.kind, what, cluster: record.cluster, service: record.service }, record, record.story)),
  };
}

const rollBackAction = (ref: ServiceRef, toTaskDefinitionArn: string): MessageAction => ({
  title: 'Roll Back',
  run: () => vscode.commands.executeCommand('ecrDeploy.rollBack', { ...ref, toTaskDefinitionArn }),
});

/** The headline, with the next steps that fit how it ended; the full story is one click away (Details). */
async function tellResult(services: DeployServices, request: FollowRequest, run: UpdateRun, result: RunOutcome, headline: string, record: DeploymentRecord): Promise<void> {
  const ref = request.ref;
  const details = detailsAction(services, record, request.what);
  const status = run.watch?.status;
  const canRollBack = request.kind === 'deploy' && !run.rollback?.watch && !status?.replacedBy && Boolean(run.previousTaskDefinitionArn) && run.previousTaskDefinitionArn !== run.taskDefinitionArn;
  const back = canRollBack ? [rollBackAction(ref, run.previousTaskDefinitionArn)] : [];
  switch (result) {
    case 'succeeded':
      // What people do next after a good deploy: watch it run, undo it, check it again.
      return showMessage('info', headline, showLogsAction(ref, request.logHint), ...back, validate(ref), details);
    case 'unverified':
      return showMessage('warning', headline, validate(ref), details, ...(run.verify ? [showMetricsAction(ref)] : []), ...back);
    case 'stopped-watching':
    case 'not-watched':
      return showMessage('info', headline, validate(ref), details, showEventsAction(ref));
    default:
      return showMessage('error', headline, diagnoseAction(ref), ...back, details, showLogsAction(ref, request.logHint));
  }
}
