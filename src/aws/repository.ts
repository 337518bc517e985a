import { DescribeRepositoriesCommand, type ECRClient, type Repository } from '@aws-sdk/client-ecr';
import type { CallOptions } from './ecr';

/** One repository by name; the SDK's RepositoryNotFoundException says clearly when it does not exist. */
export async function describeRepository(ecr: ECRClient, repositoryName: string, options: CallOptions = {}): Promise<Repository> {
  const out = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [repositoryName] }), { abortSignal: options.signal });
  const repository = out.repositories?.[0];
  if (!repository?.repositoryUri) throw new Error(`The repository "${repositoryName}" has no URI in the DescribeRepositories answer.`);
  return repository;
}
