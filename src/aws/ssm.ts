/**
 * SSM Parameter Store reads for Diagnose Service: which of a task definition's parameters exist. Only
 * DescribeParameters (metadata: name, type, key), never GetParameter(s): a diagnosis needs no secret's value.
 */
import { paginateDescribeParameters, type ParameterMetadata, type SSMClient } from '@aws-sdk/client-ssm';
import { chunk } from '../core/async/batches';
import type { CallOptions } from './ecr';

export type { ParameterMetadata };

/** The parameters of these names (names as ECS takes them: `/app/db` or `app-db`) that exist; absent ones are left out. */
export async function describeParameters(ssm: SSMClient, names: readonly string[], options: CallOptions = {}): Promise<ParameterMetadata[]> {
  const found: ParameterMetadata[] = [];
  // A Name filter with Equals takes at most 50 values.
  for (const batch of chunk([...new Set(names)], 50)) {
    const pages = paginateDescribeParameters({ client: ssm, pageSize: 50, stopOnSameToken: true }, { ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: batch }] }, { abortSignal: options.signal });
    for await (const page of pages) found.push(...(page.Parameters ?? []));
  }
  return found;
}
