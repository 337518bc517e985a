/**
 * ECR image scanning: start a scan, wait for it (IN_PROGRESS -> COMPLETE for basic scanning, ACTIVE for
 * enhanced), and read every page of the findings, basic (`findings`) and enhanced (`enhancedFindings`).
 */
import {
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  GetRegistryScanningConfigurationCommand,
  paginateDescribeImages,
  paginateDescribeImageScanFindings,
  StartImageScanCommand,
  type DescribeImageScanFindingsResponse,
  type ECRClient,
  type EnhancedImageScanFinding,
  type ImageDetail,
  type ImageScanFinding,
} from '@aws-sdk/client-ecr';
import { sleepOrThrow } from '../core/async/sleep';
import { isErrorNamed, PhrasedError } from '../core/errors/named';
import { imageLabel, shortImageLabel, type ImageIdentity } from '../core/scan/scanFindings';
import { formatDuration } from '../core/text/format';
import { scanStatusMessage, scanStatusOutcome } from '../core/scan/scanStatus';
import { wildcardMatches } from '../core/text/wildcard';

export type { EnhancedImageScanFinding, ImageDetail, ImageIdentity, ImageScanFinding };

export interface CallOptions {
  signal?: AbortSignal;
}

/** The scan ended without findings to read: FAILED, UNSUPPORTED_IMAGE, FINDINGS_UNAVAILABLE, ... */
export class ScanUnavailableError extends PhrasedError {
  override name = 'ScanUnavailableError';
  constructor(
    readonly image: ImageIdentity,
    readonly status: string | undefined,
    readonly description: string | undefined,
  ) {
    super(scanStatusMessage(imageLabel(image), status, description));
  }
}

/** The image has no scan yet (ECR's ScanNotFoundException), phrased for the user. */
export class ImageNotScannedError extends PhrasedError {
  override name = 'ImageNotScannedError';
  constructor(readonly image: ImageIdentity) {
    super(`${imageLabel(image)} has not been scanned yet.`);
  }
}

export class ScanTimeoutError extends PhrasedError {
  override name = 'ScanTimeoutError';
  constructor(
    readonly image: ImageIdentity,
    readonly status: string | undefined,
    readonly waitedMs: number,
  ) {
    super(`${shortImageLabel(image)}: scan still ${(status ?? 'pending').toLowerCase().replace(/_/g, ' ')} after ${formatDuration(waitedMs)}; show its findings again later.`);
  }
}

/**
 * A scan was expected (scan on push) but none was registered within the bound: the repository's or the
 * registry's scanning did not pick the image up (an endpoint that does not scan, a filter that missed it).
 */
export class ScanNotStartedError extends PhrasedError {
  override name = 'ScanNotStartedError';
  constructor(
    readonly image: ImageIdentity,
    readonly waitedMs: number,
  ) {
    super(`${shortImageLabel(image)}: no scan has started after ${formatDuration(waitedMs)}; Scan Image starts one.`);
  }
}

export interface ScanResult {
  /** The image as ECR answered it: the digest is always known here. */
  image: ImageIdentity;
  status: string | undefined;
  description: string | undefined;
  completedAt: Date | undefined;
  findings: ImageScanFinding[];
  enhancedFindings: EnhancedImageScanFinding[];
  severityCounts: Record<string, number>;
  pages: number;
}

function imageId(image: ImageIdentity): { imageTag?: string; imageDigest?: string } {
  // A digest names exactly one image; a tag can move while we wait.
  return image.imageDigest ? { imageDigest: image.imageDigest } : { imageTag: image.imageTag };
}

export interface StartedScan {
  status: string | undefined;
  /** ECR allows one scan per image per day: the last one's findings are what there is. */
  alreadyScannedToday: boolean;
  image: ImageIdentity;
}

export async function startImageScan(ecr: ECRClient, image: ImageIdentity, options: CallOptions = {}): Promise<StartedScan> {
  try {
    const out = await ecr.send(new StartImageScanCommand({ repositoryName: image.repositoryName, imageId: imageId(image) }), { abortSignal: options.signal });
    return { status: out.imageScanStatus?.status, alreadyScannedToday: false, image: { ...image, ...out.imageId, repositoryName: image.repositoryName } };
  } catch (error) {
    if (isErrorNamed(error, 'LimitExceededException')) return { status: undefined, alreadyScannedToday: true, image };
    throw error;
  }
}

export async function describeScanFindingsPage(
  ecr: ECRClient,
  image: ImageIdentity,
  options: CallOptions & { nextToken?: string; maxResults?: number } = {},
): Promise<DescribeImageScanFindingsResponse> {
  try {
    return await ecr.send(
      new DescribeImageScanFindingsCommand({ repositoryName: image.repositoryName, imageId: imageId(image), nextToken: options.nextToken, maxResults: options.maxResults ?? 1000 }),
      { abortSignal: options.signal },
    );
  } catch (error) {
    if (isErrorNamed(error, 'ScanNotFoundException')) throw new ImageNotScannedError(image);
    throw error;
  }
}

/**
 * The image's latest scan: its status, and when it is COMPLETE or ACTIVE every page of findings. Pages
 * after the first are read only for a finished scan (their status cannot differ).
 */
export async function readScanFindings(ecr: ECRClient, image: ImageIdentity, options: CallOptions = {}): Promise<ScanResult> {
  const first = await describeScanFindingsPage(ecr, image, options);
  const status = first.imageScanStatus?.status;
  const result: ScanResult = {
    image: { repositoryName: image.repositoryName, imageTag: first.imageId?.imageTag ?? image.imageTag, imageDigest: first.imageId?.imageDigest ?? image.imageDigest },
    status,
    description: first.imageScanStatus?.description,
    completedAt: first.imageScanFindings?.imageScanCompletedAt,
    findings: [],
    enhancedFindings: [],
    severityCounts: { ...(first.imageScanFindings?.findingSeverityCounts ?? {}) },
    pages: 0,
  };
  if (scanStatusOutcome(status) !== 'ready') {
    result.pages = 1;
    return result;
  }
  const parts = [first.imageScanFindings ?? {}];
  if (first.nextToken) {
    try {
      const rest = paginateDescribeImageScanFindings(
        // The paginator reuses one input object for every page: a copy per page keeps each request as sent.
        { client: ecr, startingToken: first.nextToken, pageSize: 1000, stopOnSameToken: true, withCommand: (c) => new DescribeImageScanFindingsCommand({ ...c.input }) },
        { repositoryName: image.repositoryName, imageId: imageId(image) },
        { abortSignal: options.signal },
      );
      for await (const page of rest) parts.push(page.imageScanFindings ?? {});
    } catch (error) {
      throw isErrorNamed(error, 'ScanNotFoundException') ? new ImageNotScannedError(image) : error;
    }
  }
  for (const part of parts) {
    result.pages++;
    result.findings.push(...(part.findings ?? []));
    result.enhancedFindings.push(...(part.enhancedFindings ?? []));
  }
  return result;
}

export interface WaitOptions extends CallOptions {
  /** Called with each status seen, for progress. */
  onStatus?: (status: string | undefined) => void;
  pollIntervalMs?: number;
  maxPollIntervalMs?: number;
  /** How long to wait for a scan that is PENDING or IN_PROGRESS (30 min by default). */
  timeoutMs?: number;
  /** Right after StartImageScan, "no scan" means "not registered yet": keep polling. */
  scanJustStarted?: boolean;
  /** With `scanJustStarted`: how long "no scan" may last before ScanNotStartedError (2 min by default). */
  notStartedTimeoutMs?: number;
  /** Injected by tests that script the statuses; real waiting otherwise. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<unknown>;
  now?: () => number;
}

/**
 * Polls until the scan has findings to read (then reads every page), fails (ScanUnavailableError) or
 * the time runs out (ScanTimeoutError; ScanNotStartedError when an expected scan never registered). The
 * interval grows from `pollIntervalMs` to `maxPollIntervalMs`: a basic scan takes seconds to minutes, an
 * enhanced first scan longer.
 */
export async function waitForScanFindings(ecr: ECRClient, image: ImageIdentity, options: WaitOptions = {}): Promise<ScanResult> {
  const wait = options.sleep ?? sleepOrThrow;
  const now = options.now ?? Date.now;
  const started = now();
  const timeoutMs = options.timeoutMs ?? 30 * 60_000;
  const notStartedMs = options.notStartedTimeoutMs ?? 2 * 60_000;
  let interval = options.pollIntervalMs ?? 3000;
  let registered = false;
  for (;;) {
    options.signal?.throwIfAborted();
    let status: string | undefined;
    try {
      const result = await readScanFindings(ecr, image, options);
      registered = true;
      status = result.status;
      options.onStatus?.(status);
      const outcome = scanStatusOutcome(status);
      if (outcome === 'ready') return result;
      if (outcome === 'failed') throw new ScanUnavailableError(result.image, status, result.description);
    } catch (error) {
      if (!(isErrorNamed(error, 'ImageNotScannedError') && options.scanJustStarted)) throw error;
      status = 'PENDING';
      options.onStatus?.(status);
    }
    if (!registered && now() - started + interval > notStartedMs) throw new ScanNotStartedError(image, now() - started);
    if (now() - started + interval > timeoutMs) throw new ScanTimeoutError(image, status, now() - started);
    await wait(interval, options.signal);
    interval = Math.min(Math.round(interval * 1.5), options.maxPollIntervalMs ?? 15_000);
  }
}

/**
 * Whether a push to this repository starts a scan by itself: the repository's scan on push, or a
 * registry scanning rule (enhanced scanning, scan on push or continuous) whose filter matches it.
 */
export async function scansOnPush(ecr: ECRClient, repositoryName: string, options: CallOptions = {}): Promise<boolean> {
  const described = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [repositoryName] }), { abortSignal: options.signal });
  if (described.repositories?.[0]?.imageScanningConfiguration?.scanOnPush) return true;
  let registry;
  try {
    registry = await ecr.send(new GetRegistryScanningConfigurationCommand({}), { abortSignal: options.signal });
  } catch (error) {
    // Reading the registry's rules needs a permission many deploy roles lack: then only the repository's setting counts.
    if (isErrorNamed(error, 'AccessDeniedException')) return false;
    throw error;
  }
  return (registry.scanningConfiguration?.rules ?? []).some(
    (rule) => rule.scanFrequency !== 'MANUAL' && (rule.repositoryFilters ?? []).some((f) => f.filterType === 'WILDCARD' && f.filter !== undefined && wildcardMatches(f.filter, repositoryName)),
  );
}

/** The images of a repository for a picker, newest push first, up to `max`. */
export async function listImagesNewestFirst(ecr: ECRClient, repositoryName: string, options: CallOptions & { max?: number } = {}): Promise<ImageDetail[]> {
  const max = options.max ?? 1000;
  const images: ImageDetail[] = [];
  for await (const out of paginateDescribeImages({ client: ecr, pageSize: 1000, stopOnSameToken: true, withCommand: (c) => new DescribeImagesCommand({ ...c.input }) }, { repositoryName }, { abortSignal: options.signal })) {
    images.push(...(out.imageDetails ?? []));
    if (images.length >= max) break;
  }
  return images.sort((a, b) => (b.imagePushedAt?.getTime() ?? 0) - (a.imagePushedAt?.getTime() ?? 0)).slice(0, max);
}
