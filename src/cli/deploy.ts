/**
 * `ecr-deploy deploy | validate | rollback`: the extension's deploy on the same core and AWS edge,
 * for CI. A rollout that fails, times out or cannot be verified exits 1.
 */
import * as edge from '../aws/index';
import type { AwsAccess } from '../app/ports';
import type { RunRead } from '../app/deploy/access';
import type { FollowOptions, ReportNotice, ReportRollout } from '../app/deploy/followRollout';
import type { PreparedDeploy } from '../app/deploy/prepareDeploy';
import { deploy, type PlanDecision } from '../app/deploy/runDeploy';
import { rollback } from '../app/deploy/rollback';
import type { FollowSettings, UpdateRun } from '../app/deploy/runUpdate';
import { validateService } from '../app/deploy/validate';
import { noRollbackText, outcomeOf, runOutcomeOf, runReasonOf, stoppedWatchingText, type RunOutcome } from '../app/deploy/verdict';
import type { ReportVerify, VerifyResult, VerifySettings } from '../app/deploy/verifyDeploy';
import { DEFAULT_VERIFY_THRESHOLDS, MAX_VERIFY_MINUTES } from '../core/metrics/verify';
import type { RolloutStatus } from '../core/deploy/rollout';
import { formatDuration } from '../core/text/format';
import { formatPlan } from '../core/deploy/plan';
import { shortTaskDefinition } from '../core/deploy/taskDefinition';
import { isErrorNamed, isPhrased } from '../core/errors/named';
import { imageReferenceProblem } from '../core/ecr/inputRules';
import { secondsProblem } from '../core/connection/inputRules';
import { CommandError, UsageError, requireRegion, toJson, type CommandContext, type CommandDefinition } from './framework';
import { appendStepSummary, updateSummaryMarkdown, validateSummaryMarkdown } from './stepSummary';

const DEFAULT_TIMEOUT_SECONDS = 15 * 60;
const DEFAULT_POLL_SECONDS = 5;

const TARGET_OPTIONS = {
  cluster: { type: 'string' },
  service: { type: 'string' },
} as const;

const WATCH_OPTIONS = {
  'no-wait': { type: 'boolean' },
  timeout: { type: 'string' },
  'poll-interval': { type: 'string' },
} as const;

const TARGET_HELP: Array<[string, string]> = [
  ['--cluster NAME', 'ECS cluster (name or ARN)'],
  ['--service NAME', 'ECS service (name or ARN)'],
];

const WATCH_HELP: Array<[string, string]> = [
  ['--no-wait', 'Update the service and exit without following the rollout'],
  ['--timeout SECONDS', `Give up following the rollout after this long (default ${DEFAULT_TIMEOUT_SECONDS}); exit 1`],
  ['--poll-interval SECONDS', `Time between status reads (default ${DEFAULT_POLL_SECONDS})`],
];

function required(context: CommandContext, name: string): string {
  const value = context.values[name];
  if (typeof value !== 'string' || !value.trim()) throw new UsageError(`--${name} is required.`);
  return value.trim();
}

/** How long a deploy may be followed and how long between reads: within what Node's timers can wait. */
const SECONDS_BOUNDS = { timeout: { min: 0.001, max: 7 * 24 * 3600 }, 'poll-interval': { min: 0.001, max: 3600 } } as const;

function seconds(context: CommandContext, name: keyof typeof SECONDS_BOUNDS, fallback: number): number {
  const raw = context.values[name];
  if (raw === undefined) return fallback;
  const problem = secondsProblem(name, String(raw), SECONDS_BOUNDS[name]);
  if (problem) throw new UsageError(problem);
  return Number(raw);
}

type WatchSettings = Omit<FollowSettings, 'rollbackOnFailure'>;

function watchSettings(context: CommandContext): WatchSettings {
  return {
    wait: !context.values['no-wait'],
    timeoutMs: seconds(context, 'timeout', DEFAULT_TIMEOUT_SECONDS) * 1000,
    intervalMs: seconds(context, 'poll-interval', DEFAULT_POLL_SECONDS) * 1000,
  };
}

async function withAccess<T>(context: CommandContext, work: (access: AwsAccess) => Promise<T>): Promise<T> {
  requireRegion(context);
  const clients = edge.createAwsClients(context.connection);
  try {
    return await work({ edge, clients });
  } catch (error) {
    if (isErrorNamed(error, 'DeployInputError')) throw new UsageError(error.message);
    if (isErrorNamed(error, 'AfterUpdateError')) throw new CommandError(`${error.message} ${checkOrRollBack(error as Error & { ref: { cluster: string; service: string } })}`);
    // Already phrased for a person: print it as it is, without an error-class prefix.
    if (isPhrased(error)) throw new CommandError(error.message);
    throw error;
  } finally {
    clients.destroy();
  }
}

/** The next step after a failure once the service names another revision: the commands that check it and undo it. */
function checkOrRollBack({ ref }: { ref: { cluster: string; service: string } }): string {
  const target = `--cluster ${quoteArg(ref.cluster)} --service ${quoteArg(ref.service)}`;
  return `Check: ecr-deploy validate ${target}; roll back: ecr-deploy rollback ${target}`;
}

/**
 * Notices while a deploy runs: a change whose answer was lost but which ECS made goes to stderr (one
 * line, whatever the output format); a retried read is a progress line of the text output.
 */
function noticePrinter(context: CommandContext, command: string): ReportNotice {
  return (notice, phase) => {
    if (notice.kind === 'recovered') {
      context.stderr(`ecr-deploy ${command}: ${phase === 'rollback' ? 'rollback: ' : ''}${notice.text}\n`);
      return;
    }
    if (context.output === 'json') return;
    const clock = formatDuration(notice.elapsedMs ?? 0).padStart(9);
    context.stdout(`[${clock}] ${phase === 'rollback' ? 'rollback: ' : ''}${notice.text}\n`);
  };
}

/** The CLI reads with Ctrl+C as the cancel, and shows no progress for reads. */
const readWith =
  (context: CommandContext): RunRead =>
  (_title, read) =>
    read(context.signal);

/** Text-mode progress: one line per change of what ECS says, with the time since the update. */
function progressPrinter(context: CommandContext): ReportRollout | undefined {
  if (context.output === 'json') return undefined;
  let last = '';
  return (status, phase) => {
    if (status.reason === last) return;
    last = status.reason;
    const clock = formatDuration(status.elapsedMs).padStart(9);
    context.stdout(`[${clock}] ${phase === 'rollback' ? 'rollback: ' : ''}${status.reason}\n`);
  };
}

interface ResultJson {
  outcome: RunOutcome;
  reason: string;
  rolloutState?: string;
  runningCount?: number;
  pendingCount?: number;
  desiredCount?: number;
  failedTasks?: number;
  stoppedTasks?: RolloutStatus['stoppedTasks'];
  events?: RolloutStatus['events'];
  strategy?: string;
  serviceDeploymentArn?: string | null;
  stagesSeen?: string[];
  rollback?: { taskDefinitionArn: string; deploymentId?: string; outcome?: RunOutcome; reason: string };
  verify?: VerifyJson;
}

interface VerifyJson {
  verdict: VerifyResult['verdict'];
  reason: string;
  periodSeconds: number;
  before: { start: string; end: string } & VerifyResult['before'];
  after: { start: string; end: string } & VerifyResult['after'];
  comparisons: VerifyResult['comparisons'];
}

function verifyJsonOf(verify: VerifyResult): VerifyJson {
  const iso = (t: number) => new Date(t).toISOString();
  const { windows } = verify;
  return {
    verdict: verify.verdict,
    reason: verify.reason,
    periodSeconds: windows.periodSeconds,
    before: { start: iso(windows.before.start), end: iso(windows.before.end), ...verify.before },
    after: { start: iso(windows.after.start), end: iso(windows.after.end), ...verify.after },
    comparisons: verify.comparisons,
  };
}

function resultOf(watch: UpdateRun['watch']): ResultJson {
  if (!watch) return { outcome: 'not-watched', reason: 'The service was updated; the rollout was not followed (--no-wait).' };
  const s = watch.status;
  return {
    outcome: outcomeOf(watch),
    reason: watch.stoppedWatching ? stoppedWatchingText(s) : s.reason,
    rolloutState: s.rolloutState,
    runningCount: s.runningCount,
    pendingCount: s.pendingCount,
    desiredCount: s.desiredCount,
    failedTasks: s.failedTasks,
    stoppedTasks: s.stoppedTasks,
    events: s.events,
    strategy: s.strategy,
    serviceDeploymentArn: s.serviceDeploymentArn ?? null,
    stagesSeen: s.stagesSeen,
  };
}

function exitCodeOf(result: ResultJson): number {
  if (result.outcome === 'succeeded' || result.outcome === 'not-watched') return 0;
  return result.outcome === 'stopped-watching' ? 130 : 1;
}

/** Prints a deploy's or rollback's result in the documented JSON shape, or as text, and in a GitHub step summary. */
async function report(context: CommandContext, command: 'deploy' | 'rollback', run: UpdateRun, cluster: string, service: string, image?: string): Promise<number> {
  const result = resultOf(run.watch);
  if (run.verify) {
    result.verify = verifyJsonOf(run.verify);
    result.outcome = runOutcomeOf(run);
    result.reason = runReasonOf(run) ?? result.reason;
  }
  if (run.rollback) {
    const back = run.rollback.watch ? resultOf(run.rollback.watch) : undefined;
    result.rollback = {
      taskDefinitionArn: run.rollback.taskDefinitionArn,
      deploymentId: run.rollback.deploymentId,
      outcome: back?.outcome,
      reason: run.rollback.skipped ? noRollbackText(run.rollback.skipped) : (back?.reason ?? ''),
    };
  }
  if (context.output === 'json') {
    context.stdout(
      toJson({ cluster, service, previousTaskDefinitionArn: run.previousTaskDefinitionArn, taskDefinitionArn: run.taskDefinitionArn, deploymentId: run.deploymentId ?? null, result }),
    );
  } else {
    context.stdout(`${shortTaskDefinition(run.previousTaskDefinitionArn)} -> ${shortTaskDefinition(run.taskDefinitionArn)}, deployment ${run.deploymentId ?? '(none reported)'}\n`);
    context.stdout(`Result: ${result.outcome}. ${result.reason}\n`);
    if (result.verify) context.stdout(`Verify: ${result.verify.verdict}.\n`);
    if (result.rollback) context.stdout(`Rollback to ${shortTaskDefinition(result.rollback.taskDefinitionArn)}: ${result.rollback.outcome ?? 'not run'}. ${result.rollback.reason}\n`);
  }
  await appendStepSummary(
    context,
    updateSummaryMarkdown({ command, region: context.connection.region ?? '', cluster, service, image, previousTaskDefinitionArn: run.previousTaskDefinitionArn, taskDefinitionArn: run.taskDefinitionArn, deploymentId: run.deploymentId, outcome: result.outcome, reason: result.reason, rollback: result.rollback }),
  );
  const code = exitCodeOf(result);
  if (code === 1) {
    context.stderr(`ecr-deploy ${command}: rollout ${result.outcome}: ${result.reason.split('\n')[0]}\n`);
    // The runbook's next step, as a command to paste: it reads why the tasks stopped.
    context.stderr(`run: ecr-deploy doctor --cluster ${quoteArg(cluster)} --service ${quoteArg(service)}\n`);
  }
  return code;
}

/**
 * `--verify-minutes N`: minutes, fractions allowed (a test watches a few seconds); 0 or absent is off.
 * The thresholds are the defaults the extension's settings start from.
 */
function verifySettingsOf(context: CommandContext, wait: boolean): VerifySettings | undefined {
  const raw = context.values['verify-minutes'];
  if (raw === undefined) return undefined;
  const minutes = Number(raw);
  if (String(raw).trim() === '' || !Number.isFinite(minutes) || minutes < 0 || minutes > MAX_VERIFY_MINUTES) {
    throw new UsageError(`--verify-minutes must be a number of minutes from 0 to ${MAX_VERIFY_MINUTES}, not ${JSON.stringify(String(raw))}.`);
  }
  if (minutes === 0) return undefined;
  if (!wait) throw new UsageError('--verify-minutes needs the rollout followed: drop --no-wait.');
  return { windowMs: Math.round(minutes * 60_000), thresholds: DEFAULT_VERIFY_THRESHOLDS };
}

const VERIFY_LINE_EVERY_MS = 60_000;

/** Text-mode lines of the verify watch: the time left and the figures so far. */
function verifyPrinter(context: CommandContext): ReportVerify | undefined {
  if (context.output === 'json') return undefined;
  let lastWhat = '';
  let lastPrintedAt = Number.POSITIVE_INFINITY;
  return (progress) => {
    const figures = progress.comparisons.filter((c) => c.before !== undefined && c.after !== undefined).map((c) => c.text.replace(/ \(.*$/, ''));
    const read = progress.stage === 'waiting' ? 'waiting for the first whole period after the rollout' : figures.join(', ') || 'no figures yet';
    const what = progress.retrying ? `${read} (${progress.retrying}; trying again)` : read;
    // A CI log gets a line when the figures change, and one a minute while they hold.
    if (what === lastWhat && lastPrintedAt - progress.remainingMs < VERIFY_LINE_EVERY_MS) return;
    lastWhat = what;
    lastPrintedAt = progress.remainingMs;
    context.stdout(`[verify ${formatDuration(progress.remainingMs)} left] ${what}\n`);
  };
}

const ON_PAUSE = ['wait', 'continue', 'rollback'] as const;
type OnPause = (typeof ON_PAUSE)[number];

function onPauseOf(context: CommandContext): OnPause {
  const raw = context.values['on-pause'] ?? 'wait';
  if (!(ON_PAUSE as readonly unknown[]).includes(raw)) throw new UsageError(`--on-pause must be wait, continue or rollback, not "${String(raw)}".`);
  return raw as OnPause;
}

/**
 * A PAUSE hook holds the deployment: answer it as `--on-pause` says, or (wait) print the command that
 * answers it and keep following until ECS moves on or the timeout.
 */
function pauseHandler(context: CommandContext, ref: { cluster: string; service: string }, onPause: OnPause): FollowOptions['onPause'] {
  const say = (text: string) => (context.output === 'json' ? context.stderr(text) : context.stdout(text));
  return (pause) => {
    const where = pause.hook.stage ?? 'a lifecycle hook';
    const expiry = pause.hook.expiresAt ? ` ECS will ${pause.hook.timeoutAction} at ${pause.hook.expiresAt.toISOString()} if nobody answers.` : '';
    if (onPause === 'wait') {
      const command = `ecr-deploy continue --cluster ${quoteArg(ref.cluster)} --service ${quoteArg(ref.service)}`;
      say(`Paused at ${where}, waiting for approval.${expiry} To go on: ${command}   To roll back: ${command} --rollback\n`);
      return;
    }
    const action = onPause === 'continue' ? 'CONTINUE' : 'ROLLBACK';
    say(`Paused at ${where}: answering ${action} (--on-pause ${onPause}).\n`);
    pause.answer(action).catch((error: unknown) => context.stderr(`ecr-deploy deploy: could not answer the pause: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`));
  };
}

/** A name as the shell takes it back: names of clusters and services need no quoting, anything else gets it. */
function quoteArg(value: string): string {
  return /^[A-Za-z0-9_./:@-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}

/**
 * The CLI's answer to a plan, from its flags: `--dry-run` prints it and stops; a platform mismatch
 * fails unless `--allow-platform-mismatch` (after the dry run's print, so the plan is seen).
 */
async function confirmByFlags(context: CommandContext, { plan, refusal, image, container, containerWhy }: PreparedDeploy, flags: { dryRun: boolean; allowMismatch: boolean }): Promise<PlanDecision> {
  if (flags.dryRun) {
    if (context.output === 'json') {
      context.stdout(toJson({ cluster: plan.cluster, service: plan.service, previousTaskDefinitionArn: plan.previousTaskDefinitionArn, registerTaskDefinitionInput: plan.registerTaskDefinitionInput, diff: plan.diff }));
    } else {
      context.stdout(formatPlan(plan));
    }
  }
  if (refusal && !flags.allowMismatch) throw new CommandError(`${refusal} Pass --allow-platform-mismatch to deploy anyway.`);
  if (flags.dryRun) return 'stop';
  if (context.output !== 'json') {
    context.stdout(`Deploying ${image} to ${plan.cluster}/${plan.service} (container ${container}, ${containerWhy}).\n`);
    for (const note of plan.notes) context.stdout(`Note: ${note}\n`);
  }
  return flags.allowMismatch ? 'deploy-anyway' : 'deploy';
}

export const deployCommand: CommandDefinition = {
  name: 'deploy',
  summary: 'Deploy an image to an ECS service: new task definition revision, update, follow the rollout to a verdict.',
  usage: 'deploy --cluster C --service S (--image URI | --tag T) [--container NAME] [--dry-run] [--no-wait] [--timeout SECONDS] [--rollback-on-failure] [--on-pause wait|continue|rollback] [--verify-minutes N]',
  options: {
    ...TARGET_OPTIONS,
    ...WATCH_OPTIONS,
    image: { type: 'string' },
    tag: { type: 'string' },
    container: { type: 'string' },
    'dry-run': { type: 'boolean' },
    'rollback-on-failure': { type: 'boolean' },
    'force-new-deployment': { type: 'boolean' },
    'allow-platform-mismatch': { type: 'boolean' },
    'on-pause': { type: 'string' },
    'verify-minutes': { type: 'string' },
  },
  optionHelp: [
    ...TARGET_HELP,
    ['--image URI', 'Full image reference to deploy'],
    ['--tag TAG', 'A tag of the repository the container runs now'],
    ['--container NAME', 'Container to change (default: the one whose image is in this account\'s ECR / the image\'s repository)'],
    ['--dry-run', 'Print what would be registered and the diff; register and update nothing'],
    ...WATCH_HELP,
    ['--rollback-on-failure', 'Update back to the previous revision when the rollout fails or times out'],
    ['--force-new-deployment', 'Pass forceNewDeployment to UpdateService'],
    ['--allow-platform-mismatch', 'Deploy even when the image platform does not match runtimePlatform'],
    ['--on-pause wait|continue|rollback', 'When a PAUSE lifecycle hook holds the deployment: print how to answer and keep following (wait, the default), or answer it'],
    ['--verify-minutes N', 'After the rollout succeeds, watch N minutes and compare 5xx rate, response time, healthy hosts, CPU and memory with the N minutes before; a regression fails the deploy (default 0: off)'],
  ],
  async run(context) {
    const cluster = required(context, 'cluster');
    const serviceName = required(context, 'service');
    const image = context.values.image as string | undefined;
    const tag = context.values.tag as string | undefined;
    if ((image === undefined) === (tag === undefined)) throw new UsageError('pass exactly one of --image URI or --tag T.');
    const imageProblem = image === undefined ? undefined : imageReferenceProblem(image);
    if (imageProblem) throw new UsageError(`--image: ${imageProblem}`);
    const watch = watchSettings(context);
    const dryRun = Boolean(context.values['dry-run']);
    const allowMismatch = Boolean(context.values['allow-platform-mismatch']);
    const onPause = onPauseOf(context);
    const verify = verifySettingsOf(context, watch.wait);
    return withAccess(context, async (access) => {
      const outcome = await deploy(
        access,
        { ref: { cluster, service: serviceName }, image: image !== undefined ? { image } : { tag: tag! }, container: context.values.container as string | undefined },
        { ...watch, forceNewDeployment: Boolean(context.values['force-new-deployment']), rollbackOnFailure: Boolean(context.values['rollback-on-failure']), verify },
        {
          read: readWith(context),
          chooseContainer: (question) => Promise.reject(new CommandError(`Which container? ${question.why}. Pass --container NAME.`)),
          confirm: (prepared) => confirmByFlags(context, prepared, { dryRun, allowMismatch }),
          follow: (prepared, run) => run(context.signal, progressPrinter(context), pauseHandler(context, { cluster, service: prepared.plan.service }, onPause), noticePrinter(context, 'deploy'), verifyPrinter(context)),
        },
      );
      return outcome.kind === 'ran' ? report(context, 'deploy', outcome.run, cluster, outcome.prepared.plan.service, outcome.prepared.image) : 0;
    });
  },
};

export const rollbackCommand: CommandDefinition = {
  name: 'rollback',
  summary: 'Update an ECS service back to an earlier task definition revision and follow the rollout.',
  usage: 'rollback --cluster C --service S [--to-revision N] [--no-wait] [--timeout SECONDS]',
  options: { ...TARGET_OPTIONS, ...WATCH_OPTIONS, 'to-revision': { type: 'string' } },
  optionHelp: [...TARGET_HELP, ['--to-revision N', 'Revision of the same family (default: the newest one below the current)'], ...WATCH_HELP],
  async run(context) {
    const cluster = required(context, 'cluster');
    const serviceName = required(context, 'service');
    const wanted = context.values['to-revision'];
    if (wanted !== undefined && !/^\d+$/.test(String(wanted))) throw new UsageError(`--to-revision must be a revision number, not "${String(wanted)}".`);
    const watch = watchSettings(context);
    return withAccess(context, async (access) => {
      const outcome = await rollback(access, { cluster, service: serviceName }, wanted !== undefined ? { revision: Number(wanted) } : undefined, watch, {
        read: readWith(context),
        async confirm({ service, current, target }) {
          if (context.output !== 'json') context.stdout(`Rolling ${cluster}/${service.serviceName} back from ${shortTaskDefinition(current)} to ${shortTaskDefinition(target)}.\n`);
          return true;
        },
        follow: (_prepared, run) => run(context.signal, progressPrinter(context), undefined, noticePrinter(context, 'rollback')),
      });
      if (outcome.kind === 'nothing') throw new CommandError(outcome.message);
      return outcome.kind === 'ran' ? report(context, 'rollback', outcome.run, cluster, outcome.prepared.ref.service) : 0;
    });
  },
};

export const validateCommand: CommandDefinition = {
  name: 'validate',
  summary: 'One verdict on an ECS service: running/desired, rollout state, task health, image and revision in use, newest events.',
  usage: 'validate --cluster C --service S',
  options: { ...TARGET_OPTIONS },
  optionHelp: TARGET_HELP,
  async run(context) {
    const cluster = required(context, 'cluster');
    const serviceName = required(context, 'service');
    return withAccess(context, async (access) => {
      const validation = await validateService(access, { cluster, service: serviceName }, context.signal);
      const { service, assessment } = validation;
      if (context.output === 'json') {
        context.stdout(toJson({ cluster, service: service.serviceName, ...assessment, targetHealth: validation.targetHealth }));
      } else {
        context.stdout(`${assessment.verdict.toUpperCase()}: ${assessment.reasons[0]}\n`);
        for (const reason of assessment.reasons.slice(1)) context.stdout(`  - ${reason}\n`);
        context.stdout(`Revision: ${assessment.taskDefinitionArn ? shortTaskDefinition(assessment.taskDefinitionArn) : '?'}\n`);
        for (const [name, img] of Object.entries(assessment.images)) context.stdout(`Image:    ${name} = ${img}\n`);
        context.stdout(`Tasks:    ${assessment.runningCount}/${assessment.desiredCount} running, ${assessment.pendingCount} pending, rollout ${assessment.rolloutState ?? 'state unknown'}\n`);
        for (const e of assessment.events) context.stdout(`Event:    ${e.createdAt} ${e.message}\n`);
      }
      await appendStepSummary(context, validateSummaryMarkdown({ region: context.connection.region ?? '', cluster, service: service.serviceName ?? serviceName, ...assessment }));
      if (assessment.verdict !== 'healthy') {
        context.stderr(`ecr-deploy validate: ${assessment.verdict}: ${assessment.reasons[0]}\n`);
        return 1;
      }
      return 0;
    });
  },
};
