/**
 * CloudWatch log groups: the listing a picker fills in from, and the ARN a live tail session wants
 * for a group's name. Shared by polling and live tail, so neither imports the other's module.
 */
import { DescribeLogGroupsCommand, paginateDescribeLogGroups, type CloudWatchLogsClient, type LogGroup } from '@aws-sdk/client-cloudwatch-logs';
import type { CallOptions } from './ecr';

export type { LogGroup };

/**
 * Log groups, page by page, up to `max`; a prefix narrows the listing on the server. `onPage` sees
 * each page as it arrives, so a picker fills in while a large account is still being listed.
 */
export async function listLogGroups(
  logs: CloudWatchLogsClient,
  options: CallOptions & { prefix?: string; max?: number; onPage?: (groups: LogGroup[]) => void } = {},
): Promise<{ groups: LogGroup[]; truncated: boolean }> {
  const max = options.max ?? 5000;
  const groups: LogGroup[] = [];
  const pages = paginateDescribeLogGroups({ client: logs, pageSize: 50, stopOnSameToken: true, withCommand: (c) => new DescribeLogGroupsCommand({ ...c.input }) }, { logGroupNamePrefix: options.prefix || undefined }, { abortSignal: options.signal });
  for await (const out of pages) {
    const page = out.logGroups ?? [];
    groups.push(...page);
    options.onPage?.(page);
    if (groups.length >= max) return { groups: groups.slice(0, max), truncated: true };
  }
  return { groups, truncated: false };
}

/** One group by its exact name (its ARN, creation time, retention), or undefined when there is none. */
export async function describeLogGroup(logs: CloudWatchLogsClient, logGroupName: string, options: CallOptions = {}): Promise<LogGroup | undefined> {
  const out = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: logGroupName, limit: 50 }), { abortSignal: options.signal });
  return out.logGroups?.find((g) => g.logGroupName === logGroupName);
}

/** The ARN StartLiveTail wants for a group name; ResourceNotFoundException when there is no such group. */
export async function logGroupArn(logs: CloudWatchLogsClient, logGroupName: string, options: CallOptions = {}): Promise<string> {
  const group = await describeLogGroup(logs, logGroupName, options);
  const arn = group?.logGroupArn ?? group?.arn?.replace(/:\*$/, '');
  if (!arn) {
    const error = new Error(`The log group ${logGroupName} does not exist.`);
    error.name = 'ResourceNotFoundException';
    throw error;
  }
  return arn;
}
