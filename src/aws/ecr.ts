import { DescribeRepositoriesCommand, type ECRClient, type Repository } from '@aws-sdk/client-ecr';
import { collectAll, paginate, type Page } from './paginate';

export type { Repository };

export interface CallOptions {
  signal?: AbortSignal;
}

export async function listRepositoriesPage(ecr: ECRClient, options: CallOptions & { nextToken?: string; maxResults?: number } = {}): Promise<Page<Repository>> {
  const out = await ecr.send(
    new DescribeRepositoriesCommand({ nextToken: options.nextToken, maxResults: options.maxResults ?? 1000 }),
    { abortSignal: options.signal },
  );
  return { items: out.repositories ?? [], nextToken: out.nextToken };
}

export function listRepositories(ecr: ECRClient, options: CallOptions = {}): Promise<Repository[]> {
  return collectAll(paginate((nextToken) => listRepositoriesPage(ecr, { ...options, nextToken }), options.signal));
}
