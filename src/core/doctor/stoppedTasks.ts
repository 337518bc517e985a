/**
 * Why a task stopped, from what ECS says: its `stoppedReason`, `stopCode` and its containers' `reason` and
 * `exitCode` (and, for an exec format error, the container's last log lines, where the kernel's answer ends up).
 * The kinds are the runbook's "Common Issues"; each names the doctor check that usually explains it.
 */
import type { Task } from '@aws-sdk/client-ecs';

export type StoppedKind =
  | 'cannot-pull'
  | 'resource-initialization'
  | 'out-of-memory'
  | 'exec-format'
  | 'health-check'
  | 'load-balancer-health-check'
  | 'essential-exited'
  | 'scaled-in'
  | 'other';

/** What part of ECS's start the failure was in, when a ResourceInitializationError says. */
export type InitializationPart = 'secrets' | 'registry-auth' | 'logs' | 'network' | 'unknown';

export interface StoppedTaskClass {
  kind: StoppedKind;
  /** One line for the user: "CannotPullContainerError: the image could not be pulled". */
  summary: string;
  /** The essential container whose exit stopped the task, and its exit code. */
  container?: string;
  exitCode?: number;
  /** For `resource-initialization`: what ECS was fetching. */
  part?: InitializationPart;
  /** The doctor checks that usually explain it, most likely first. */
  relatedChecks: string[];
  /** The stop was a failure (not the scheduler replacing or scaling in a task). */
  failure: boolean;
}

export interface ClassifyInput {
  stoppedReason?: string;
  stopCode?: string;
  containers?: ReadonlyArray<{ name?: string; reason?: string; exitCode?: number; essential?: boolean }>;
  /** The last log lines of the container that exited, when read. */
  logLines?: readonly string[];
}

const EXEC_FORMAT = /exec format error/i;

function initializationPart(reason: string): InitializationPart {
  // ECS's generic prefix names both secrets and registry auth; what follows it says which one failed.
  const text = reason.replace(/unable to pull secrets or registry auth:?/gi, '').replace(/unable to pull registry auth:?/gi, '');
  if (/ecr registry auth|authorization token|GetAuthorizationToken/i.test(text)) return 'registry-auth';
  if (/secret|ssm|parameter|asm\b|secretsmanager/i.test(text)) return 'secrets';
  if (/logger|log stream|log group|cloudwatch/i.test(text)) return 'logs';
  if (/registry auth|ecr registry|authorization token/i.test(text)) return 'registry-auth';
  if (/i\/o timeout|dial tcp|no such host|connection refused|network/i.test(text)) return 'network';
  return 'unknown';
}

const PART_CHECKS: Record<InitializationPart, string[]> = {
  secrets: ['secrets-exist'],
  logs: ['log-group-exists'],
  'registry-auth': ['execution-role-can-pull'],
  network: [],
  unknown: ['secrets-exist', 'log-group-exists', 'execution-role-can-pull'],
};

const PART_TEXT: Record<InitializationPart, string> = {
  secrets: 'ECS could not fetch a secret or parameter the task definition names',
  logs: 'ECS could not set up the awslogs log stream',
  'registry-auth': 'ECS could not get registry credentials for the image',
  network: 'the task could not reach an AWS endpoint it needs (no route, NAT or VPC endpoint)',
  unknown: 'ECS could not prepare the task',
};

/** The class of one stopped task. */
export function classifyStoppedTask(input: ClassifyInput): StoppedTaskClass {
  const reason = input.stoppedReason ?? '';
  const containers = input.containers ?? [];
  const containerReasons = containers.map((c) => c.reason ?? '').join('\n');
  const all = `${reason}\n${containerReasons}`;
  const exited = containers.find((c) => c.essential !== false && typeof c.exitCode === 'number' && c.exitCode !== 0) ?? containers.find((c) => typeof c.exitCode === 'number' && c.exitCode !== 0);
  const withExit = exited ? { container: exited.name, exitCode: exited.exitCode } : {};

  if (/CannotPullContainerError/i.test(all)) {
    return { kind: 'cannot-pull', summary: 'CannotPullContainerError: the image could not be pulled', relatedChecks: ['image-exists', 'execution-role-can-pull'], failure: true };
  }
  if (/ResourceInitializationError/i.test(all)) {
    const part = initializationPart(all);
    return { kind: 'resource-initialization', summary: `ResourceInitializationError: ${PART_TEXT[part]}`, part, relatedChecks: PART_CHECKS[part], failure: true };
  }
  if (/OutOfMemoryError|OutOfMemory/i.test(all)) {
    const oom = containers.find((c) => /OutOfMemory/i.test(c.reason ?? '')) ?? exited;
    return { kind: 'out-of-memory', summary: `OutOfMemoryError: ${oom?.name ?? 'a container'} used more memory than its limit`, ...(oom ? { container: oom.name, exitCode: oom.exitCode } : {}), relatedChecks: [], failure: true };
  }
  if (EXEC_FORMAT.test(all) || (input.logLines ?? []).some((line) => EXEC_FORMAT.test(line))) {
    return { kind: 'exec-format', summary: 'exec format error: the image was built for another CPU architecture', ...withExit, relatedChecks: ['platform-matches'], failure: true };
  }
  if (/failed container health checks/i.test(reason)) {
    return { kind: 'health-check', summary: 'The container health check failed', relatedChecks: ['health-check'], failure: true };
  }
  if (/failed ELB health checks/i.test(reason)) {
    return { kind: 'load-balancer-health-check', summary: "The load balancer's health check failed", relatedChecks: ['health-check'], failure: true };
  }
  if (/Essential container in task exited/i.test(reason) || input.stopCode === 'EssentialContainerExited') {
    const code = exited?.exitCode;
    return {
      kind: 'essential-exited',
      summary: `Essential container${exited?.name ? ` ${exited.name}` : ''} exited${code !== undefined ? ` with code ${code}` : ''}${code === 137 ? ' (killed: SIGKILL, often memory)' : code === 139 ? ' (segmentation fault)' : ''}`,
      ...withExit,
      relatedChecks: [],
      failure: true,
    };
  }
  if (input.stopCode === 'ServiceSchedulerInitiated' || /Scaling activity initiated|deployment .* replaced|stopped by user/i.test(reason)) {
    return { kind: 'scaled-in', summary: `Stopped by ECS: ${reason || 'the scheduler replaced or scaled in the task'}`, relatedChecks: [], failure: false };
  }
  return { kind: 'other', summary: reason || 'Stopped with no reason given', ...withExit, relatedChecks: [], failure: input.stopCode === 'TaskFailedToStart' || Boolean(exited) };
}

/** The classifier's input from a DescribeTasks task, with the task definition's `essential` flags. */
export function classifyInputOf(task: Task, essential: ReadonlyMap<string, boolean>, logLines?: readonly string[]): ClassifyInput {
  return {
    stoppedReason: task.stoppedReason,
    stopCode: task.stopCode,
    containers: (task.containers ?? []).map((c) => ({ name: c.name, reason: c.reason, exitCode: c.exitCode, essential: c.name ? (essential.get(c.name) ?? true) : true })),
    ...(logLines ? { logLines } : {}),
  };
}
