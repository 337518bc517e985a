/**
 * Which services of the region run an image: every cluster's services, each one's current task definition
 * (the primary deployment's), and the containers whose image names this one by tag or digest. Reads are
 * bounded in parallel and stop on the signal.
 */
import { mapLimit } from '../../core/async/batches';
import { namesImage, type ImageUse } from '../../core/ecr/imageDetails';
import type { ImageLike } from '../../core/ecr/imageRow';
import { primaryDeployment } from '../../core/ecs/serviceSummary';
import type { AwsAccess } from '../ports';

const CONCURRENCY = 6;

export async function servicesRunningImage(access: AwsAccess, repositoryUri: string, image: ImageLike, signal?: AbortSignal): Promise<{ uses: ImageUse[]; servicesRead: number }> {
  const { edge, clients } = access;
  const clusters = await edge.ecs.listClusters(clients.ecs, { signal });
  const perCluster = await mapLimit(clusters, CONCURRENCY, async (cluster) => (await edge.ecs.listServices(clients.ecs, cluster.clusterName ?? '', { signal })).map((service) => ({ cluster: cluster.clusterName ?? '', service })));
  const services = perCluster.flat();
  // Services of one family often share a revision: each task definition is read once.
  const definitions = new Map<string, ReturnType<typeof edge.ecs.describeTaskDefinition>>();
  const found = await mapLimit(services, CONCURRENCY, async ({ cluster, service }) => {
    const arn = primaryDeployment(service)?.taskDefinition ?? service.taskDefinition;
    if (!arn) return [];
    if (!definitions.has(arn)) definitions.set(arn, edge.ecs.describeTaskDefinition(clients.ecs, arn, { signal }));
    const { taskDefinition } = await definitions.get(arn)!;
    return (taskDefinition.containerDefinitions ?? [])
      .filter((container) => container.image && namesImage(container.image, repositoryUri, image))
      .map((container): ImageUse => ({ cluster, service: service.serviceName ?? '', container: container.name ?? '', image: container.image!, taskDefinitionArn: arn }));
  });
  return { uses: found.flat(), servicesRead: services.length };
}
