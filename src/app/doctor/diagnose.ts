/**
 * Diagnose Service / `ecr-deploy doctor`: the reference workflow's troubleshooting runbook as checks. The
 * service, its task definition and (once, on first need) its execution role are read first; the checks then
 * run in parallel, and `stopped-tasks` names its likely cause from the others' answers. Read-only; the signal
 * cancels every call. A check whose reads fail answers `unknown` with the failed call, never a guess.
 */
import type { Task } from '@aws-sdk/client-ecs';
import type { AwsAccess, Work } from '../ports';
import type { ServiceRef } from '../../core/ecs/serviceRef';
import { accountOfArn } from '../../core/ecs/serviceRef';
import { failedCallText } from '../../core/errors/awsErrors';
import { neutraliseControlCharacters } from '../../core/logs/neutralise';
import { classifyInputOf, classifyStoppedTask, type StoppedTaskClass } from '../../core/doctor/stoppedTasks';
import { shortTaskId } from '../../core/deploy/taskHealth';
import { readExecutionRole, type ExecutionRole } from './executionRole';
import { executionRoleCanPull, healthCheck, imageExists, logGroupExists, platformMatches, secretsExist, type Diagnosis } from './checks';
import { CHECK_IDS, type CheckId, type DoctorCheck, type DoctorReport } from './report';

/** Log lines quoted per failed container, and stopped tasks read. */
const LOG_LINES = 10;
const STOPPED_TASKS = 20;
const QUOTED_PER_KIND = 3;

async function guarded(id: CheckId, signal: AbortSignal | undefined, run: () => Promise<DoctorCheck>): Promise<DoctorCheck> {
  try {
    return await run();
  } catch (error) {
    if (signal?.aborted) throw error;
    const what = failedCallText(error);
    return { id, status: 'unknown', message: `Could not check: ${what}.`, evidence: [error instanceof Error ? error.message.split('\n')[0].slice(0, 300) : String(error)], next: 'Check that these credentials may make that call (it is read-only), then run the diagnosis again.' };
  }
}

interface ClassifiedTask {
  task: Task;
  verdict: StoppedTaskClass;
  logLines?: string[];
}

async function readStoppedTasks(d: Diagnosis): Promise<ClassifiedTask[]> {
  const { edge, clients } = d.access;
  const tasks = await edge.doctorReads.listStoppedTasks(clients.ecs, d.service.clusterArn ?? '', d.service.serviceName ?? '', { signal: d.signal, max: STOPPED_TASKS });
  const containers = d.taskDefinition.containerDefinitions ?? [];
  const essential = new Map(containers.map((c) => [c.name ?? '', c.essential !== false]));
  return Promise.all(
    tasks.map(async (task) => {
      const first = classifyStoppedTask(classifyInputOf(task, essential));
      if (!first.failure || !first.container) return { task, verdict: first };
      // The container's own words: its last log lines, where an exec format error or a stack trace ends up.
      const options = containers.find((c) => c.name === first.container)?.logConfiguration;
      const group = options?.logDriver === 'awslogs' ? options.options?.['awslogs-group'] : undefined;
      const prefix = options?.options?.['awslogs-stream-prefix'];
      if (!group || !prefix) return { task, verdict: first };
      const lines = await edge.doctorReads.lastLogMessages(clients.logs, group, `${prefix}/${first.container}/${task.taskArn?.split('/').pop()}`, LOG_LINES, { signal: d.signal }).catch((error: unknown) => {
        if (d.signal?.aborted) throw error;
        return undefined;
      });
      const logLines = lines?.map((l) => neutraliseControlCharacters(l).slice(0, 400));
      return { task, verdict: logLines ? classifyStoppedTask(classifyInputOf(task, essential, logLines)) : first, ...(logLines ? { logLines } : {}) };
    }),
  );
}

function likelyCause(verdict: StoppedTaskClass, others: readonly DoctorCheck[]): string | undefined {
  const found = verdict.relatedChecks.map((id) => others.find((c) => c.id === id)).find((c) => c?.status === 'problem');
  if (found) return `likely cause: ${found.id}: ${found.message.replace(/\.$/, '')}`;
  if (verdict.kind === 'essential-exited') return 'likely cause: the application itself exited; its last log lines say why';
  if (verdict.kind === 'out-of-memory') return 'likely cause: the container\'s memory limit is too low for the app, or the app leaks';
  return undefined;
}

export function stoppedTasksCheck(classified: readonly ClassifiedTask[], others: readonly DoctorCheck[]): DoctorCheck {
  const failed = classified.filter((c) => c.verdict.failure);
  const evidence: string[] = [];
  const kinds = new Map<string, { verdict: StoppedTaskClass; count: number }>();
  for (const c of failed) {
    const entry = kinds.get(c.verdict.summary) ?? { verdict: c.verdict, count: 0 };
    entry.count++;
    kinds.set(c.verdict.summary, entry);
  }
  // Tasks that failed alike say the same: a few of each kind are quoted, the rest counted.
  const quoted = new Map<string, number>();
  for (const c of failed) {
    const seen = quoted.get(c.verdict.summary) ?? 0;
    quoted.set(c.verdict.summary, seen + 1);
    if (seen >= QUOTED_PER_KIND) continue;
    const when = c.task.stoppedAt ? ` at ${c.task.stoppedAt.toISOString()}` : '';
    evidence.push(`task ${shortTaskId(c.task.taskArn)} stopped${when}: ${c.verdict.summary} (${c.task.stoppedReason ?? 'no reason'})`);
    const cause = likelyCause(c.verdict, others);
    if (cause) evidence.push(`  ${cause}`);
    for (const line of c.logLines ?? []) evidence.push(`  | ${line}`);
  }
  for (const [summary, count] of quoted) if (count > QUOTED_PER_KIND) evidence.push(`${count - QUOTED_PER_KIND} more task(s): ${summary}`);
  const replaced = classified.length - failed.length;
  if (replaced) evidence.push(`${replaced} task(s) stopped by ECS itself (replaced or scaled in), not failures`);
  if (!failed.length) return { id: 'stopped-tasks', status: 'ok', message: classified.length ? 'No recently stopped task failed.' : 'No task stopped recently (ECS keeps stopped tasks about an hour).', evidence };
  const top = [...kinds.values()].sort((a, b) => b.count - a.count);
  const cause = likelyCause(top[0].verdict, others);
  return {
    id: 'stopped-tasks',
    status: 'problem',
    message: `${failed.length} of ${classified.length} recently stopped task(s) failed: ${top.map((k) => `${k.count} × ${k.verdict.summary}`).join('; ')}.${cause ? ` ${cause[0].toUpperCase()}${cause.slice(1)}.` : ''}`,
    evidence,
    next: cause?.startsWith('likely cause: ') && top[0].verdict.relatedChecks.length ? `Fix what ${cause.slice('likely cause: '.length).split(':')[0]} reports, then deploy again.` : 'Read the container\'s logs and the service events, fix the cause, then deploy again.',
    followUps: ['tail-logs', 'show-events'],
  };
}

export async function diagnoseService(access: AwsAccess, ref: ServiceRef, work: Work = {}): Promise<DoctorReport> {
  const { edge, clients } = access;
  const signal = work.signal;
  work.progress?.(`Reading ${ref.service}`);
  const service = await edge.ecs.requireService(clients.ecs, ref.cluster, ref.service, { signal });
  const { taskDefinition } = await edge.ecs.describeTaskDefinition(clients.ecs, service.taskDefinition ?? '', { signal });
  let role: Promise<ExecutionRole> | undefined;
  const d: Diagnosis = {
    access,
    service,
    taskDefinition,
    region: clients.connection.region ?? '',
    account: accountOfArn(service.serviceArn) ?? accountOfArn(taskDefinition.taskDefinitionArn) ?? '',
    // Read once, by whichever check asks first; a failure is every asking check's "unknown".
    executionRole: () => (role ??= readExecutionRole(access, taskDefinition.executionRoleArn, signal)),
    signal,
  };
  let done = 0;
  const tick = (check: DoctorCheck) => {
    done++;
    work.progress?.(`${done}/${CHECK_IDS.length} checked (${check.id}: ${check.status})`);
    return check;
  };
  const independent = [
    guarded('image-exists', signal, () => imageExists(d)).then(tick),
    guarded('execution-role-can-pull', signal, () => executionRoleCanPull(d)).then(tick),
    guarded('secrets-exist', signal, () => secretsExist(d)).then(tick),
    guarded('log-group-exists', signal, () => logGroupExists(d)).then(tick),
    guarded('platform-matches', signal, () => platformMatches(d)).then(tick),
  ];
  const stopped = guarded('stopped-tasks', signal, async () => {
    const [classified, others] = await Promise.all([readStoppedTasks(d), Promise.all(independent)]);
    return stoppedTasksCheck(classified, others);
  }).then(tick);
  const health = guarded('health-check', signal, () => healthCheck(d)).then(tick);
  const checks = await Promise.all([...independent, stopped, health]);
  // A diagnosis cancelled after its last read still reports nothing: the person asked it to stop.
  signal?.throwIfAborted();
  return { cluster: ref.cluster, service: service.serviceName ?? ref.service, taskDefinitionArn: taskDefinition.taskDefinitionArn ?? service.taskDefinition ?? '', checks };
}
