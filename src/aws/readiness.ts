/** The ECR reads the readiness checks make beyond src/aws/ecr.ts: the repository policy text. */
import { GetRepositoryPolicyCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { isErrorNamed } from '../core/errors/named';
import type { CallOptions } from './ecr';

/** The repository's policy text, or undefined when it has none. */
export async function getRepositoryPolicyText(ecr: ECRClient, repositoryName: string, options: CallOptions = {}): Promise<string | undefined> {
  try {
    const out = await ecr.send(new GetRepositoryPolicyCommand({ repositoryName }), { abortSignal: options.signal });
    return out.policyText;
  } catch (error) {
    if (isErrorNamed(error, 'RepositoryPolicyNotFoundException')) return undefined;
    throw error;
  }
}
