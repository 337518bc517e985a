/** The health of a service's load-balancer targets: its target groups (from `loadBalancers`) and DescribeTargetHealth of each. */
import type { Service } from '@aws-sdk/client-ecs';
import type { AwsClients } from '../../aws/clients';
import type { TargetGroupHealth } from '../../core/ecs/targetHealth';
import type { AwsEdge } from '../ports';

export interface TargetHealthAccess {
  edge: { elbv2: Pick<AwsEdge['elbv2'], 'describeTargetGroups' | 'describeTargetHealth'> };
  clients: Pick<AwsClients, 'elbv2'>;
}

export async function readTargetHealth({ edge, clients }: TargetHealthAccess, service: Service, signal?: AbortSignal): Promise<TargetGroupHealth[]> {
  const arns = [...new Set((service.loadBalancers ?? []).map((lb) => lb.targetGroupArn).filter((arn): arn is string => Boolean(arn)))];
  if (!arns.length) return [];
  const [groups, healths] = await Promise.all([
    edge.elbv2.describeTargetGroups(clients.elbv2, arns, { signal }),
    Promise.all(arns.map((arn) => edge.elbv2.describeTargetHealth(clients.elbv2, arn, { signal }))),
  ]);
  return arns.map((targetGroupArn, i) => {
    const group = groups.find((g) => g.TargetGroupArn === targetGroupArn);
    return {
      targetGroupArn,
      targetGroupName: group?.TargetGroupName ?? targetGroupArn.split('/').slice(-2, -1)[0] ?? targetGroupArn,
      loadBalancerArn: group?.LoadBalancerArns?.[0],
      targets: healths[i].map((h) => ({
        id: h.Target?.Id ?? '?',
        port: h.Target?.Port,
        state: h.TargetHealth?.State ?? 'unknown',
        reason: h.TargetHealth?.Reason,
        description: h.TargetHealth?.Description,
      })),
    };
  });
}
