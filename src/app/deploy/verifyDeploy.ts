/**
 * Verify after deploy: once the rollout succeeded, watch the service's CloudWatch figures for a window and
 * compare them with a window of the same length before the update (src/core/metrics/verify.ts). Each poll
 * is one GetMetricData call covering both windows. A cancel ends the watch with "not verified" and changes
 * nothing; a regression is a failure of the deploy, with the numbers.
 */
import type { AwsClients } from '../../aws/clients';
import { sleep } from '../../core/async/sleep';
import { failedCallText, isTransientFailure } from '../../core/errors/awsErrors';
import { serviceMetricQueries } from '../../core/metrics/catalog';
import { seriesOf } from '../../core/metrics/series';
import { compareWindows, verifyWindows, windowFigures, type Comparison, type VerifyThresholds, type VerifyWindows, type WindowFigures } from '../../core/metrics/verify';
import { formatDuration } from '../../core/text/format';
import type { ServiceRef } from '../../core/ecs/serviceRef';
import type { AwsEdge } from '../ports';
import { serviceTargetGroups } from '../metrics/serviceMetrics';

export interface VerifySettings {
  windowMs: number;
  thresholds: VerifyThresholds;
}

export interface VerifyAccess {
  edge: {
    ecs: Pick<AwsEdge['ecs'], 'requireService'>;
    elbv2: Pick<AwsEdge['elbv2'], 'describeTargetGroups'>;
    metrics: Pick<AwsEdge['metrics'], 'getMetricData'>;
  };
  clients: Pick<AwsClients, 'ecs' | 'cloudwatch' | 'elbv2'>;
}

/** Reads of the final figures tried when the network or the endpoint fails for a moment (a poll before it just skips). */
const FINAL_READ_ATTEMPTS = 4;
const FINAL_READ_FIRST_WAIT_MS = 500;

export interface VerifyProgress {
  /** Time left until the window after the deploy is complete. */
  remainingMs: number;
  windowMs: number;
  /** Waiting for the first whole period after the rollout, or watching. */
  stage: 'waiting' | 'watching';
  /** The figures so far, each `before -> after`. */
  comparisons: Comparison[];
  /** A read that failed and is tried again at the next poll: `GetMetricData failed (ThrottlingException)`. */
  retrying?: string;
}

export type ReportVerify = (progress: VerifyProgress) => void;

export type VerifyVerdict = 'verified' | 'regressed' | 'not-verified';

export interface VerifyResult {
  verdict: VerifyVerdict;
  /** One sentence with the numbers. */
  reason: string;
  windows: VerifyWindows;
  before: WindowFigures;
  after: WindowFigures;
  comparisons: Comparison[];
  /** GetMetricData requests sent (pages included). */
  requests: number;
}

export interface VerifyRequest {
  ref: ServiceRef;
  /** When the service was updated to the new revision, and when its rollout succeeded (epoch ms). */
  updatedAt: number;
  succeededAt: number;
}

export interface VerifyOptions {
  signal?: AbortSignal;
  /** Time between reads while watching. */
  intervalMs: number;
  onVerify?: ReportVerify;
  now?: () => number;
}

/** `10:04:00–10:14:00`: a window as the messages show it. */
function span(w: { start: number; end: number }): string {
  const time = (t: number) => new Date(t).toISOString().slice(11, 19);
  return `${time(w.start)}–${time(w.end)} UTC`;
}

export function verifyReason(verdict: VerifyVerdict, windows: VerifyWindows, comparisons: readonly Comparison[], cancelledAfterMs?: number): string {
  const length = formatDuration(windows.after.end - windows.after.start);
  const compared = comparisons.filter((c) => c.before !== undefined && c.after !== undefined);
  if (cancelledAfterMs !== undefined) return `Not verified: the watch was cancelled after ${formatDuration(cancelledAfterMs)} of ${length}; the rollout succeeded and nothing was rolled back.`;
  if (verdict === 'not-verified') return `Not verified: CloudWatch had no figures to compare for ${span(windows.before)} and ${span(windows.after)} (${comparisons.map((c) => c.text).join('; ')}).`;
  if (verdict === 'regressed') return `Regressed in the ${length} after the deploy against the ${length} before: ${comparisons.filter((c) => c.regressed).map((c) => c.text).join('; ')}.`;
  return `Verified over ${length} after the deploy against the ${length} before: ${compared.map((c) => c.text).join('; ')}.`;
}

export async function verifyDeploy(access: VerifyAccess, request: VerifyRequest, settings: VerifySettings, options: VerifyOptions): Promise<VerifyResult> {
  const { edge, clients } = access;
  const now = options.now ?? Date.now;
  const { signal } = options;
  const windows = verifyWindows(request.updatedAt, request.succeededAt, settings.windowMs);
  const watchStartedAt = now();
  const service = await edge.ecs.requireService(clients.ecs, request.ref.cluster, request.ref.service, { signal });
  const targetGroups = await serviceTargetGroups(access, service, signal);
  const specs = serviceMetricQueries({
    cluster: request.ref.cluster.split('/').pop() ?? request.ref.cluster,
    service: service.serviceName ?? request.ref.service,
    containerInsights: false,
    targetGroups,
  });
  const window = { start: new Date(windows.before.start), end: new Date(windows.after.end), periodSeconds: windows.periodSeconds };
  let requests = 0;
  const judge = async () => {
    const answer = await edge.metrics.getMetricData(clients.cloudwatch, specs, window, { signal });
    requests += answer.requests;
    const series = specs.map((spec) => seriesOf(spec, answer.results.get(spec.id)?.timestamps ?? [], answer.results.get(spec.id)?.values ?? []));
    const before = windowFigures(series, windows.before.start, windows.before.end);
    const after = windowFigures(series, windows.after.start, windows.after.end);
    return { before, after, ...compareWindows(before, after, settings.thresholds) };
  };
  const cancelled = async (): Promise<VerifyResult> => {
    const empty = compareWindows({}, {}, settings.thresholds);
    return { verdict: 'not-verified', reason: verifyReason('not-verified', windows, empty.comparisons, now() - watchStartedAt), windows, before: {}, after: {}, comparisons: empty.comparisons, requests };
  };
  let last: Awaited<ReturnType<typeof judge>> | undefined;
  for (;;) {
    if (signal?.aborted) return cancelled();
    const at = now();
    if (at >= windows.after.end) break;
    let retrying: string | undefined;
    if (at >= windows.after.start) {
      try {
        last = await judge();
      } catch (error) {
        if (signal?.aborted) return cancelled();
        // Figures while watching are for the progress only: a failed read waits for the next poll.
        if (!isTransientFailure(error)) throw error;
        retrying = failedCallText(error);
      }
    }
    options.onVerify?.({ remainingMs: windows.after.end - at, windowMs: windows.after.end - windows.after.start, stage: at < windows.after.start ? 'waiting' : 'watching', comparisons: last?.comparisons ?? [], retrying });
    const wait = at < windows.after.start ? windows.after.start - at : Math.min(options.intervalMs, windows.after.end - at);
    if (!(await sleep(wait, signal))) return cancelled();
  }
  let final: Awaited<ReturnType<typeof judge>> | undefined;
  for (let attempt = 1; !final; attempt++) {
    try {
      final = await judge();
    } catch (error) {
      if (signal?.aborted) return cancelled();
      if (!isTransientFailure(error) || attempt >= FINAL_READ_ATTEMPTS) throw error;
      options.onVerify?.({ remainingMs: 0, windowMs: windows.after.end - windows.after.start, stage: 'watching', comparisons: last?.comparisons ?? [], retrying: failedCallText(error) });
      if (!(await sleep(FINAL_READ_FIRST_WAIT_MS * 2 ** (attempt - 1), signal))) return cancelled();
    }
  }
  const verdict: VerifyVerdict = final.regressions.length ? 'regressed' : final.compared ? 'verified' : 'not-verified';
  return { verdict, reason: verifyReason(verdict, windows, final.comparisons), windows, before: final.before, after: final.after, comparisons: final.comparisons, requests };
}
