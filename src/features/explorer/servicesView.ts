import type { AwsAccess } from '../connection/awsSession';
import { ExplorerProvider } from './explorerProvider';
import type { ExplorerNode } from './nodes';

export class ServicesView extends ExplorerProvider {
  protected async load(node: ExplorerNode | undefined, { edge, clients }: AwsAccess, signal: AbortSignal): Promise<ExplorerNode[]> {
    if (!node) {
      const clusters = await edge.ecs.listClusters(clients.ecs, { signal });
      return clusters.map((cluster) => ({ kind: 'cluster', cluster }));
    }
    if (node.kind === 'cluster') {
      const services = await edge.ecs.listServices(clients.ecs, node.cluster.clusterArn ?? node.cluster.clusterName ?? '', { signal });
      return services.map((service) => ({ kind: 'service', cluster: node.cluster, service }));
    }
    return [];
  }

  protected emptyMessage(node: ExplorerNode | undefined): string {
    return node ? 'No services' : `No clusters in ${this.session.connection.region}`;
  }

  protected failureLabel(node: ExplorerNode | undefined): string {
    return node ? 'Could not list services' : 'Could not list clusters';
  }
}
