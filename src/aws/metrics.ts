/**
 * CloudWatch metrics: every series of a refresh in one GetMetricData call, followed through its pages,
 * cancellable. Extended statistics (p90) are asked for once per client; an endpoint that cannot answer
 * them (moto answers HTTP 500) is asked again without them, and not asked for them again.
 */
import { GetMetricDataCommand, type CloudWatchClient, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { isExtendedStatistic, type MetricQuerySpec } from '../core/metrics/catalog';
import type { MetricWindow } from '../core/metrics/window';
import type { CallOptions } from './ecr';
import { isUnsupportedOperation } from './serviceDeployments';

export interface MetricDataAnswer {
  /** By query id: the timestamps and values CloudWatch returned, in its order. */
  results: Map<string, { timestamps: Date[]; values: number[] }>;
  /** Query ids not asked because the endpoint cannot answer their statistic. */
  unanswered: string[];
  /** How many GetMetricData requests were sent (pages included). */
  requests: number;
}

const noExtendedStatistics = new WeakSet<CloudWatchClient>();

/** Whether this client's endpoint answered extended statistics (unknown until asked: true). */
export function answersExtendedStatistics(client: CloudWatchClient): boolean {
  return !noExtendedStatistics.has(client);
}

function toQuery(spec: MetricQuerySpec, periodSeconds: number): MetricDataQuery {
  return {
    Id: spec.id,
    MetricStat: {
      Metric: { Namespace: spec.namespace, MetricName: spec.metricName, Dimensions: Object.entries(spec.dimensions).map(([Name, Value]) => ({ Name, Value })) },
      Period: periodSeconds,
      Stat: spec.stat,
    },
    ReturnData: true,
  };
}

async function readPages(client: CloudWatchClient, specs: readonly MetricQuerySpec[], window: MetricWindow, options: CallOptions, answer: MetricDataAnswer): Promise<void> {
  const seen = new Set<string>();
  let nextToken: string | undefined;
  do {
    const out = await client.send(
      new GetMetricDataCommand({
        MetricDataQueries: specs.map((s) => toQuery(s, window.periodSeconds)),
        StartTime: window.start,
        EndTime: window.end,
        ScanBy: 'TimestampAscending',
        NextToken: nextToken,
      }),
      { abortSignal: options.signal },
    );
    answer.requests++;
    for (const result of out.MetricDataResults ?? []) {
      if (!result.Id) continue;
      const kept = answer.results.get(result.Id) ?? { timestamps: [], values: [] };
      kept.timestamps.push(...(result.Timestamps ?? []));
      kept.values.push(...(result.Values ?? []));
      answer.results.set(result.Id, kept);
    }
    // A repeated token would loop forever on a misbehaving endpoint.
    nextToken = out.NextToken && !seen.has(out.NextToken) ? out.NextToken : undefined;
    if (nextToken) seen.add(nextToken);
  } while (nextToken);
}

export async function getMetricData(client: CloudWatchClient, specs: readonly MetricQuerySpec[], window: MetricWindow, options: CallOptions = {}): Promise<MetricDataAnswer> {
  const answer: MetricDataAnswer = { results: new Map(), unanswered: [], requests: 0 };
  if (!specs.length) return answer;
  const extended = specs.filter((s) => isExtendedStatistic(s.stat));
  const plain = specs.filter((s) => !isExtendedStatistic(s.stat));
  if (extended.length && noExtendedStatistics.has(client)) {
    answer.unanswered.push(...extended.map((s) => s.id));
    await readPages(client, plain, window, options, answer);
    return answer;
  }
  try {
    await readPages(client, specs, window, options, answer);
  } catch (error) {
    if (!extended.length || !isUnsupportedOperation(error) || options.signal?.aborted) throw error;
    noExtendedStatistics.add(client);
    answer.results.clear();
    answer.unanswered.push(...extended.map((s) => s.id));
    await readPages(client, plain, window, options, answer);
  }
  return answer;
}
