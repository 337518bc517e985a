import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  ListClustersCommand,
  ListServicesCommand,
  type Cluster,
  type ECSClient,
  type Service,
} from '@aws-sdk/client-ecs';
import { chunk, collectAll, paginate } from './paginate';
import type { CallOptions } from './ecr';

export type { Cluster, Service };

export async function listClusters(ecs: ECSClient, options: CallOptions = {}): Promise<Cluster[]> {
  const arns = (
    await collectAll(
      paginate(async (nextToken) => {
        const out = await ecs.send(new ListClustersCommand({ nextToken, maxResults: 100 }), { abortSignal: options.signal });
        return { items: out.clusterArns ?? [], nextToken: out.nextToken };
      }, options.signal),
    )
  );
  const clusters: Cluster[] = [];
  // DescribeClusters takes at most 100 names per call.
  for (const batch of chunk(arns, 100)) {
    const out = await ecs.send(new DescribeClustersCommand({ clusters: batch }), { abortSignal: options.signal });
    clusters.push(...(out.clusters ?? []));
  }
  return clusters.sort((a, b) => (a.clusterName ?? '').localeCompare(b.clusterName ?? ''));
}

export async function listServices(ecs: ECSClient, cluster: string, options: CallOptions = {}): Promise<Service[]> {
  const arns = await collectAll(
    paginate(async (nextToken) => {
      const out = await ecs.send(new ListServicesCommand({ cluster, nextToken, maxResults: 100 }), { abortSignal: options.signal });
      return { items: out.serviceArns ?? [], nextToken: out.nextToken };
    }, options.signal),
  );
  const services: Service[] = [];
  // DescribeServices takes at most 10 services per call.
  for (const batch of chunk(arns, 10)) {
    const out = await ecs.send(new DescribeServicesCommand({ cluster, services: batch }), { abortSignal: options.signal });
    services.push(...(out.services ?? []));
  }
  return services.sort((a, b) => (a.serviceName ?? '').localeCompare(b.serviceName ?? ''));
}
