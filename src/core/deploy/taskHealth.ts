/**
 * The health of a deployment's tasks, as DescribeTasks reports it: every running task must report
 * HEALTHY for each container whose definition has a health check. Counting "running" is not enough: a
 * container that answers 500 on /healthz still runs.
 */
import type { Task } from '@aws-sdk/client-ecs';

export interface TaskHealth {
  /** Running tasks of the deployment whose checked containers are all HEALTHY. */
  healthy: number;
  /** Running tasks seen in DescribeTasks. */
  running: number;
  /** `task 1a2b3c4d: mcp-server UNHEALTHY`, one per task not (yet) healthy. */
  unhealthy: string[];
  waiting: string[];
}

export const shortTaskId = (taskArn: string | undefined) => (taskArn ?? '?').split('/').pop()!.slice(0, 8);

export function tasksOfDeployment(tasks: readonly Task[], deploymentId: string): Task[] {
  // ECS starts a service's tasks with startedBy = the id of the deployment that placed them.
  return tasks.filter((t) => t.startedBy === deploymentId);
}

export function taskHealth(tasks: readonly Task[], healthChecked: readonly string[]): TaskHealth {
  const running = tasks.filter((t) => t.lastStatus === 'RUNNING' && t.desiredStatus !== 'STOPPED');
  const result: TaskHealth = { healthy: 0, running: running.length, unhealthy: [], waiting: [] };
  for (const task of running) {
    const states = healthChecked.map((name) => ({ name, status: task.containers?.find((c) => c.name === name)?.healthStatus ?? 'UNKNOWN' }));
    const bad = states.filter((s) => s.status === 'UNHEALTHY');
    const pending = states.filter((s) => s.status !== 'HEALTHY' && s.status !== 'UNHEALTHY');
    const describe = (list: typeof states) => `task ${shortTaskId(task.taskArn)}: ${list.map((s) => `${s.name} ${s.status}`).join(', ')}`;
    if (bad.length) result.unhealthy.push(describe(bad));
    else if (pending.length) result.waiting.push(describe(pending));
    else result.healthy++;
  }
  return result;
}

/** Why a stopped task stopped, in the words ECS gives: the task's reason and its containers' exits. */
export function stoppedTaskReason(task: Task): string {
  const containers = (task.containers ?? [])
    .filter((c) => c.reason || (c.exitCode !== undefined && c.exitCode !== 0))
    .map((c) => `${c.name}: ${c.reason ?? `exit code ${c.exitCode}`}`);
  const parts = [task.stoppedReason, ...containers].filter(Boolean);
  return parts.join('; ') || task.stopCode || 'stopped without a reason';
}
