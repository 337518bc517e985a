/**
 * `ecr-deploy deploy | validate | rollback`: the extension's deploy on the same core and AWS edge,
 * for CI. A rollout that fails, times out or cannot be verified exits 1.
 */
import { createAwsClients, deploy as deployEdge, deployRun, type AwsClients } from '../aws/index';
import type { RolloutStatus } from '../core/deploy/rollout';
import { formatDuration } from '../core/deploy/rollout';
import { chooseContainer } from '../core/deploy/containerChoice';
import { imageInRepository, repositoryUriOf } from '../core/ecr/imageReference';
import { formatPlan, planDeployment } from '../core/deploy/plan';
import { defaultRollbackTarget, revisionArn, rollbackTargets } from '../core/deploy/revisions';
import { assessService } from '../core/deploy/serviceHealth';
import { revisionOf, shortTaskDefinition } from '../core/deploy/taskDefinition';
import { CommandError, UsageError, requireRegion, toJson, type CommandContext, type CommandDefinition } from './framework';

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

function seconds(context: CommandContext, name: string, fallback: number): number {
  const raw = context.values[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`--${name} must be a positive number of seconds, not "${String(raw)}".`);
  return value;
}

interface WatchSettings {
  wait: boolean;
  timeoutMs: number;
  intervalMs: number;
}

function watchSettings(context: CommandContext): WatchSettings {
  return {
    wait: !context.values['no-wait'],
    timeoutMs: seconds(context, 'timeout', DEFAULT_TIMEOUT_SECONDS) * 1000,
    intervalMs: seconds(context, 'poll-interval', DEFAULT_POLL_SECONDS) * 1000,
  };
}

async function withClients<T>(context: CommandContext, work: (clients: AwsClients) => Promise<T>): Promise<T> {
  requireRegion(context);
  const clients = createAwsClients(context.connection);
  try {
    return await work(clients);
  } catch (error) {
    // Already phrased for a person: print it as it is, without an error-class prefix.
    if (error instanceof deployEdge.DeployError) throw new CommandError(error.message);
    throw error;
  } finally {
    clients.destroy();
  }
}

/** Text-mode progress: one line per change of what ECS says, with the time since the update. */
function progressPrinter(context: CommandContext): deployRun.WatchOptions['onStatus'] {
  if (context.output === 'json') return undefined;
  let last = '';
  return (status, phase) => {
    if (status.reason === last) return;
    last = status.reason;
    const clock = formatDuration(status.elapsedMs).padStart(9);
    context.stdout(`[${clock}] ${phase === 'rollback' ? 'rollback: ' : ''}${status.reason}\n`);
  };
}

type Outcome = RolloutStatus['outcome'] | 'not-watched' | 'stopped-watching';

interface ResultJson {
  outcome: Outcome;
  reason: string;
  rolloutState?: string;
  runningCount?: number;
  pendingCount?: number;
  desiredCount?: number;
  failedTasks?: number;
  stoppedTasks?: RolloutStatus['stoppedTasks'];
  events?: RolloutStatus['events'];
  rollback?: { taskDefinitionArn: string; deploymentId?: string; outcome?: Outcome; reason: string };
}

function resultOf(watch: deployRun.WatchResult | undefined): ResultJson {
  if (!watch) return { outcome: 'not-watched', reason: 'The service was updated; the rollout was not followed (--no-wait).' };
  const s = watch.status;
  return {
    outcome: watch.stoppedWatching ? 'stopped-watching' : s.outcome,
    reason: watch.stoppedWatching ? `Stopped watching; the deployment continues in ECS. Last status: ${s.reason}` : s.reason,
    rolloutState: s.rolloutState,
    runningCount: s.runningCount,
    pendingCount: s.pendingCount,
    desiredCount: s.desiredCount,
    failedTasks: s.failedTasks,
    stoppedTasks: s.stoppedTasks,
    events: s.events,
  };
}

function exitCodeOf(result: ResultJson): number {
  if (result.outcome === 'succeeded' || result.outcome === 'not-watched') return 0;
  return result.outcome === 'stopped-watching' ? 130 : 1;
}

/** Prints a deploy's or rollback's result in the documented JSON shape, or as text. */
function report(context: CommandContext, command: string, run: deployRun.UpdateRun, cluster: string, service: string): number {
  const result = resultOf(run.watch);
  if (run.rollback) {
    const back = run.rollback.watch ? resultOf(run.rollback.watch) : undefined;
    result.rollback = {
      taskDefinitionArn: run.rollback.taskDefinitionArn,
      deploymentId: run.rollback.deploymentId,
      outcome: back?.outcome,
      reason: run.rollback.skipped ? `No rollback: ${run.rollback.skipped}.` : (back?.reason ?? ''),
    };
  }
  if (context.output === 'json') {
    context.stdout(
      toJson({ cluster, service, previousTaskDefinitionArn: run.previousTaskDefinitionArn, taskDefinitionArn: run.taskDefinitionArn, deploymentId: run.deploymentId ?? null, result }),
    );
  } else {
    context.stdout(`${shortTaskDefinition(run.previousTaskDefinitionArn)} -> ${shortTaskDefinition(run.taskDefinitionArn)}, deployment ${run.deploymentId ?? '(none reported)'}\n`);
    context.stdout(`Result: ${result.outcome}. ${result.reason}\n`);
    if (result.rollback) context.stdout(`Rollback to ${shortTaskDefinition(result.rollback.taskDefinitionArn)}: ${result.rollback.outcome ?? 'not run'}. ${result.rollback.reason}\n`);
  }
  const code = exitCodeOf(result);
  if (code === 1) context.stderr(`ecr-deploy ${command}: rollout ${result.outcome}: ${result.reason.split('\n')[0]}\n`);
  return code;
}

const accountOf = (arn: string | undefined) => arn?.split(':')[4];

export const deployCommand: CommandDefinition = {
  name: 'deploy',
  summary: 'Deploy an image to an ECS service: new task definition revision, update, follow the rollout to a verdict.',
  usage: 'deploy --cluster C --service S (--image URI | --tag T) [--container NAME] [--dry-run] [--no-wait] [--timeout SECONDS] [--rollback-on-failure]',
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
  ],
  async run(context) {
    const cluster = required(context, 'cluster');
    const serviceName = required(context, 'service');
    const image = context.values.image as string | undefined;
    const tag = context.values.tag as string | undefined;
    if ((image === undefined) === (tag === undefined)) throw new UsageError('pass exactly one of --image URI or --tag T.');
    const watch = watchSettings(context);
    return withClients(context, async ({ ecs, ecr, connection }) => {
      const signal = context.signal;
      const service = await deployEdge.requireService(ecs, cluster, serviceName, { signal });
      const described = await deployEdge.describeTaskDefinition(ecs, service.taskDefinition!, { signal });
      const containers = described.taskDefinition.containerDefinitions ?? [];
      const choice = chooseContainer(containers, {
        name: context.values.container as string | undefined,
        repositoryUri: image ? repositoryUriOf(image) : undefined,
        accountId: accountOf(service.serviceArn),
      });
      if (choice.kind === 'error') throw new CommandError(choice.message);
      if (choice.kind === 'ask') throw new CommandError(`Which container? ${choice.why}. Pass --container NAME.`);
      const container = choice.container.name ?? '';
      let newImage: string;
      try {
        newImage = image ?? imageInRepository(repositoryUriOf(choice.container.image ?? ''), { tag });
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      const platform = await deployEdge.readImagePlatform(ecr, newImage, { signal, region: connection.region });
      const plan = planDeployment({ cluster, service: service.serviceName ?? serviceName, described, container, image: newImage, platform });
      const refusal = plan.platform.verdict === 'mismatch' && !context.values['allow-platform-mismatch'] ? `${plan.platform.message} Pass --allow-platform-mismatch to deploy anyway.` : undefined;

      if (context.values['dry-run']) {
        if (context.output === 'json') {
          context.stdout(toJson({ cluster, service: plan.service, previousTaskDefinitionArn: plan.previousTaskDefinitionArn, registerTaskDefinitionInput: plan.registerTaskDefinitionInput, diff: plan.diff }));
        } else {
          context.stdout(formatPlan(plan));
        }
        if (refusal) throw new CommandError(refusal);
        return 0;
      }
      if (refusal) throw new CommandError(refusal);
      if (context.output !== 'json') {
        context.stdout(`Deploying ${newImage} to ${cluster}/${plan.service} (container ${container}, ${choice.why}).\n`);
        for (const note of plan.notes) context.stdout(`Note: ${note}\n`);
      }
      const run = await deployRun.runUpdate(ecs, cluster, service, { register: plan.registerTaskDefinitionInput }, {
        ...watch,
        signal,
        forceNewDeployment: Boolean(context.values['force-new-deployment']),
        rollbackOnFailure: Boolean(context.values['rollback-on-failure']),
        onStatus: progressPrinter(context),
      });
      return report(context, 'deploy', run, cluster, plan.service);
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
    return withClients(context, async ({ ecs }) => {
      const signal = context.signal;
      const service = await deployEdge.requireService(ecs, cluster, serviceName, { signal });
      const current = service.taskDefinition!;
      const family = shortTaskDefinition(current).replace(/:\d+$/, '');
      const active = await deployEdge.listRevisionArns(ecs, family, { signal });
      const target = wanted !== undefined ? revisionArn(current, Number(wanted)) : defaultRollbackTarget(active, current);
      if (!target) throw new CommandError(`${family} has no other ACTIVE revision to roll back to.`);
      if (target === current) throw new CommandError(`The service already runs ${shortTaskDefinition(current)}.`);
      if (!active.includes(target)) {
        const listed = rollbackTargets(active, current).map((arn) => revisionOf(arn)).join(', ') || 'none';
        throw new CommandError(`${shortTaskDefinition(target)} is not an ACTIVE revision of ${family} (other ACTIVE revisions: ${listed}).`);
      }
      if (context.output !== 'json') context.stdout(`Rolling ${cluster}/${service.serviceName} back from ${shortTaskDefinition(current)} to ${shortTaskDefinition(target)}.\n`);
      const run = await deployRun.runUpdate(ecs, cluster, service, { taskDefinitionArn: target }, { ...watch, signal, rollbackOnFailure: false, onStatus: progressPrinter(context) });
      return report(context, 'rollback', run, cluster, service.serviceName ?? serviceName);
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
    return withClients(context, async ({ ecs }) => {
      const signal = context.signal;
      const service = await deployEdge.requireService(ecs, cluster, serviceName, { signal });
      const [described, tasks] = await Promise.all([
        deployEdge.describeTaskDefinition(ecs, service.taskDefinition!, { signal }),
        deployEdge.serviceTasks(ecs, cluster, service.serviceName ?? serviceName, { signal }),
      ]);
      const assessment = assessService({ service, tasks, taskDefinition: described.taskDefinition });
      if (context.output === 'json') {
        context.stdout(toJson({ cluster, service: service.serviceName, ...assessment }));
      } else {
        context.stdout(`${assessment.verdict.toUpperCase()}: ${assessment.reasons[0]}\n`);
        for (const reason of assessment.reasons.slice(1)) context.stdout(`  - ${reason}\n`);
        context.stdout(`Revision: ${assessment.taskDefinitionArn ? shortTaskDefinition(assessment.taskDefinitionArn) : '?'}\n`);
        for (const [name, img] of Object.entries(assessment.images)) context.stdout(`Image:    ${name} = ${img}\n`);
        context.stdout(`Tasks:    ${assessment.runningCount}/${assessment.desiredCount} running, ${assessment.pendingCount} pending, rollout ${assessment.rolloutState ?? 'state unknown'}\n`);
        for (const e of assessment.events) context.stdout(`Event:    ${e.createdAt} ${e.message}\n`);
      }
      if (assessment.verdict !== 'healthy') {
        context.stderr(`ecr-deploy validate: ${assessment.verdict}: ${assessment.reasons[0]}\n`);
        return 1;
      }
      return 0;
    });
  },
};
