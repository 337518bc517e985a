/** A target group's targets as ELB reports them (DescribeTargetHealth), counted and explained in words. */

export interface TargetState {
  id: string;
  port?: number;
  /** ELB's state: initial, healthy, unhealthy, unused, draining, unavailable, unhealthy.draining. */
  state: string;
  reason?: string;
  description?: string;
}

export interface TargetGroupHealth {
  targetGroupArn: string;
  targetGroupName: string;
  loadBalancerArn?: string;
  targets: TargetState[];
}

export interface TargetCounts {
  healthy: number;
  unhealthy: number;
  draining: number;
  other: number;
}

export function countTargets(targets: readonly TargetState[]): TargetCounts {
  const counts: TargetCounts = { healthy: 0, unhealthy: 0, draining: 0, other: 0 };
  for (const t of targets) {
    if (t.state === 'healthy') counts.healthy++;
    else if (t.state === 'unhealthy') counts.unhealthy++;
    else if (t.state === 'draining' || t.state === 'unhealthy.draining') counts.draining++;
    else counts.other++;
  }
  return counts;
}

/** `2 healthy · 1 unhealthy · 0 draining` (and the rest, initial or unused, when there are any). */
export function targetCountsText(counts: TargetCounts): string {
  return `${counts.healthy} healthy · ${counts.unhealthy} unhealthy · ${counts.draining} draining${counts.other ? ` · ${counts.other} other` : ''}`;
}

/** `10.0.1.11:8000 unhealthy: Target.FailedHealthChecks (Health checks failed)`. */
export function targetText(target: TargetState): string {
  const why = target.reason ? `: ${target.reason}${target.description ? ` (${target.description})` : ''}` : '';
  return `${target.id}${target.port ? `:${target.port}` : ''} ${target.state}${why}`;
}

/** What Validate Deployment says about the load balancer: one sentence per target group, and whether any is failing. */
export function targetHealthFindings(groups: readonly TargetGroupHealth[]): { reasons: string[]; failing: boolean } {
  const reasons: string[] = [];
  let failing = false;
  for (const group of groups) {
    const counts = countTargets(group.targets);
    const unhealthy = group.targets.filter((t) => t.state === 'unhealthy');
    if (unhealthy.length) failing = true;
    const why = [...new Set(unhealthy.map((t) => t.reason).filter(Boolean))].join(', ');
    reasons.push(`Target group ${group.targetGroupName}: ${targetCountsText(counts)}${why ? ` (${why})` : ''}.`);
  }
  return { reasons, failing };
}
