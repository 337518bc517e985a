/**
 * "Which images would this lifecycle policy expire?", asked two ways: ECR's preview API
 * (StartLifecyclePolicyPreview, then GetLifecyclePolicyPreview until COMPLETE), and the core evaluator
 * over every image of the repository for endpoints without it (moto answers 500, LocalStack lacks it).
 * Which one answers is decided in src/app/lifecycle/preview.ts.
 */
import { GetLifecyclePolicyPreviewCommand, paginateGetLifecyclePolicyPreview, StartLifecyclePolicyPreviewCommand, type ECRClient, type LifecyclePolicyPreviewResult } from '@aws-sdk/client-ecr';
import { sleepOrThrow } from '../core/async/sleep';
import { isErrorNamed, PhrasedError } from '../core/errors/named';
import { evaluateLifecyclePolicy, type LifecycleEvaluation, type LifecycleOutcome } from '../core/lifecycle/evaluator';
import { describeProblems, parseLifecyclePolicy, type ActionType } from '../core/lifecycle/policy';
import { listImages, manifestListChildren, type CallOptions } from './ecr';

export interface LifecyclePreview {
  source: 'api' | 'local';
  /** Why the preview API was not used (local previews only). */
  fallbackReason?: string;
  results: LifecycleOutcome[];
  notEvaluated: LifecycleEvaluation['notEvaluated'];
  /** Images the local evaluator looked at. */
  imagesConsidered?: number;
}

export interface PreviewOptions extends CallOptions {
  pollIntervalMs?: number;
  /** Give up waiting for ECR after this long (it usually needs seconds). */
  timeoutMs?: number;
  now?: Date;
}

export class PreviewFailedError extends PhrasedError {
  override name = 'PreviewFailedError';
}

const UNSUPPORTED_NAMES = ['UnknownOperationException', 'NotImplemented', 'NotImplementedException', 'InternalFailure', 'UnsupportedOperation', 'InvalidAction'];

/** Why an error means "this endpoint has no preview API", or undefined for a real failure to report. */
export function previewUnsupportedReason(error: unknown): string | undefined {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (isErrorNamed(error, ...UNSUPPORTED_NAMES)) return `the endpoint does not implement the preview API (${error.name})`;
  if (status !== undefined && status >= 500) return `the endpoint answered the preview API with HTTP ${status}`;
  return undefined;
}

const toOutcome = (r: LifecyclePolicyPreviewResult): LifecycleOutcome => ({
  imageDigest: r.imageDigest ?? '',
  imageTags: r.imageTags ?? [],
  imagePushedAt: r.imagePushedAt ?? new Date(0),
  action: (r.action?.type ?? 'EXPIRE').toLowerCase() as ActionType,
  appliedRulePriority: r.appliedRulePriority ?? 0,
});

/** The preview API alone: start, wait for COMPLETE, read every page of results. */
export async function previewWithApi(ecr: ECRClient, repositoryName: string, lifecyclePolicyText: string, options: PreviewOptions = {}): Promise<LifecycleOutcome[]> {
  const { signal } = options;
  const interval = options.pollIntervalMs ?? 1000;
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  const waitUntilSettled = async () => {
    for (;;) {
      const out = await ecr.send(new GetLifecyclePolicyPreviewCommand({ repositoryName, maxResults: 100 }), { abortSignal: signal });
      if (out.status !== 'IN_PROGRESS') return out;
      if (Date.now() > deadline) throw new PreviewFailedError(`ECR's lifecycle policy preview of ${repositoryName} did not finish in time; try again.`);
      await sleepOrThrow(interval, signal);
    }
  };
  try {
    await ecr.send(new StartLifecyclePolicyPreviewCommand({ repositoryName, lifecyclePolicyText }), { abortSignal: signal });
  } catch (error) {
    // Another preview of this repository runs (ECR allows one at a time): let it end, then start ours.
    if (!isErrorNamed(error, 'LifecyclePolicyPreviewInProgressException')) throw error;
    await waitUntilSettled();
    await ecr.send(new StartLifecyclePolicyPreviewCommand({ repositoryName, lifecyclePolicyText }), { abortSignal: signal });
  }
  const first = await waitUntilSettled();
  if (first.status !== 'COMPLETE') throw new PreviewFailedError(`ECR's lifecycle policy preview of ${repositoryName} ended with status ${first.status ?? 'unknown'}.`);
  const results = [...(first.previewResults ?? [])];
  if (first.nextToken) {
    const rest = paginateGetLifecyclePolicyPreview(
      // The paginator reuses one input object for every page: a copy per page keeps each request as sent.
      { client: ecr, startingToken: first.nextToken, pageSize: 100, stopOnSameToken: true, withCommand: (c) => new GetLifecyclePolicyPreviewCommand({ ...c.input }) },
      { repositoryName },
      { abortSignal: signal },
    );
    for await (const page of rest) results.push(...(page.previewResults ?? []));
  }
  return results.map(toOutcome).sort((a, b) => a.appliedRulePriority - b.appliedRulePriority || a.imagePushedAt.getTime() - b.imagePushedAt.getTime());
}

/** The core evaluator over every image of the repository, shielding manifest-list children as ECR does. */
export async function previewLocally(ecr: ECRClient, repositoryName: string, lifecyclePolicyText: string, options: PreviewOptions = {}): Promise<LifecyclePreview> {
  const parsed = parseLifecyclePolicy(lifecyclePolicyText);
  if (!parsed.policy) throw new PreviewFailedError(`The lifecycle policy is not valid:\n${describeProblems(parsed.problems)}`);
  const images = await listImages(ecr, repositoryName, options);
  const protectedDigests = await manifestListChildren(ecr, repositoryName, images, options);
  const evaluable = images
    .filter((i) => i.imageDigest && i.imagePushedAt)
    .map((i) => ({ imageDigest: i.imageDigest!, imageTags: i.imageTags ?? [], imagePushedAt: i.imagePushedAt! }));
  const evaluation = evaluateLifecyclePolicy(parsed.policy, evaluable, { now: options.now ?? new Date(), protectedDigests });
  return { source: 'local', ...evaluation, imagesConsidered: new Set(evaluable.map((i) => i.imageDigest)).size };
}
