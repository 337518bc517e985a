import type { AwsAccess } from '../connection/awsSession';
import { ExplorerProvider } from './explorerProvider';
import type { ExplorerNode } from './nodes';

export class RepositoriesView extends ExplorerProvider {
  protected async load(node: ExplorerNode | undefined, { edge, clients }: AwsAccess, signal: AbortSignal): Promise<ExplorerNode[]> {
    if (node) return [];
    const repositories = await edge.ecr.listRepositories(clients.ecr, { signal });
    return repositories
      .sort((a, b) => (a.repositoryName ?? '').localeCompare(b.repositoryName ?? ''))
      .map((repository) => ({ kind: 'repository', repository }));
  }

  protected emptyMessage(): string {
    return `No repositories in ${this.session.connection.region}`;
  }

  protected failureLabel(): string {
    return 'Could not list repositories';
  }
}
