/**
 * Elastic Load Balancing v2 reads for a service's target groups: which load balancer each is behind
 * (for CloudWatch's dimensions) and the health of its targets with ELB's reasons. Cancellable.
 */
import { DescribeTargetGroupsCommand, DescribeTargetHealthCommand, type ElasticLoadBalancingV2Client, type TargetGroup, type TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2';
import { chunk } from '../core/async/batches';
import type { CallOptions } from './ecr';

export type { TargetGroup, TargetHealthDescription };

/** The target groups by ARN (DescribeTargetGroups takes at most 20 ARNs a call); ones ELB does not know are left out. */
export async function describeTargetGroups(client: ElasticLoadBalancingV2Client, targetGroupArns: readonly string[], options: CallOptions = {}): Promise<TargetGroup[]> {
  const found: TargetGroup[] = [];
  for (const batch of chunk([...new Set(targetGroupArns)], 20)) {
    const out = await client.send(new DescribeTargetGroupsCommand({ TargetGroupArns: batch }), { abortSignal: options.signal });
    found.push(...(out.TargetGroups ?? []));
  }
  return found;
}

/** Every registered target of a target group with its state and, when not healthy, ELB's reason. */
export async function describeTargetHealth(client: ElasticLoadBalancingV2Client, targetGroupArn: string, options: CallOptions = {}): Promise<TargetHealthDescription[]> {
  const out = await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }), { abortSignal: options.signal });
  return out.TargetHealthDescriptions ?? [];
}
