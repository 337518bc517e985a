/**
 * An image's scan findings, for both shells: start a scan when asked, wait for it, read every page
 * (basic and enhanced), place each finding on the Dockerfile or manifest line that brought its package
 * in, and count what is at or above a severity (the CLI's `--fail-on`, the editor's minimum severity).
 */
import type { ScanResult } from '../../aws/scan';
import { readBuildContext, type ContextReader } from '../../core/scan/buildContext';
import { placeFindings, type FromLocation, type PlacedFinding } from '../../core/scan/placeFindings';
import type { Finding, ImageIdentity } from '../../core/scan/scanFindings';
import { atLeast, type Severity } from '../../core/scan/severity';
import type { AwsAccess } from '../ports';

export type { ScanResult };

/** What the build feature hands the scan feature after a push: the image, and what it was built from. */
export interface PushedImage {
  repositoryName: string;
  imageTag?: string;
  imageDigest?: string;
  dockerfile?: string;
  context?: string;
}

export interface ReadFindingsRequest {
  image: ImageIdentity;
  /** StartImageScan first; otherwise read the latest scan. */
  startScan: boolean;
  /** A scan is on its way (just pushed with scan on push): "no scan yet" means "wait". */
  scanExpected?: boolean;
  /** How long to wait for a PENDING or IN_PROGRESS scan before ScanTimeoutError (the edge's default otherwise). */
  waitLimitMs?: number;
  /** How long an expected scan may stay unregistered before ScanNotStartedError. */
  notStartedLimitMs?: number;
}

export interface ReadFindingsPorts {
  access: AwsAccess;
  signal?: AbortSignal;
  /** ECR allows one scan a day: the scan asked for was not started, the day's scan is read instead. */
  onAlreadyScannedToday?(image: ImageIdentity): void;
  /** Each scan status seen while waiting (IN_PROGRESS, PENDING, COMPLETE, ACTIVE...). */
  onStatus?(status: string | undefined, image: ImageIdentity): void;
}

/**
 * The image's scan, finished, with every page of findings. Rejects with ImageNotScannedError (no scan
 * and none expected), ScanUnavailableError (FAILED, UNSUPPORTED_IMAGE...), ScanTimeoutError (still pending
 * at the limit) or ScanNotStartedError (an expected scan never registered).
 */
export async function readFindings(request: ReadFindingsRequest, ports: ReadFindingsPorts): Promise<ScanResult> {
  const { edge, clients } = ports.access;
  let image = request.image;
  let justStarted = false;
  if (request.startScan) {
    const started = await edge.scan.startImageScan(clients.ecr, image, { signal: ports.signal });
    if (started.alreadyScannedToday) ports.onAlreadyScannedToday?.(image);
    justStarted = !started.alreadyScannedToday;
    image = started.image;
  }
  const target = image;
  return edge.scan.waitForScanFindings(clients.ecr, target, {
    signal: ports.signal,
    scanJustStarted: justStarted || request.scanExpected === true,
    timeoutMs: request.waitLimitMs,
    notStartedTimeoutMs: request.notStartedLimitMs,
    onStatus: (status) => ports.onStatus?.(status, target),
  });
}

/** Where the image was built from: its Dockerfile relative to the build context, and a reader of that context. */
export interface BuildSource {
  reader: ContextReader;
  dockerfile: string;
}

export interface PlacedScan {
  placed: PlacedFinding[];
  from: FromLocation;
  /** The context has more files than are read: some manifests may be missing. */
  truncated: boolean;
}

/** Places the scan's findings on the lines of the Dockerfile and the manifests of its build context. */
export async function placeScanFindings(findings: readonly Finding[], source: BuildSource): Promise<PlacedScan> {
  const context = await readBuildContext(source.reader, source.dockerfile);
  const { placed, from } = placeFindings(findings, context);
  return { placed, from, truncated: context.truncated };
}

/** How many placed findings are at or above `minimum`: the gate fails when this is more than zero. */
export function countAtLeast(placed: readonly PlacedFinding[], minimum: Severity): number {
  return placed.filter((p) => atLeast(p.finding.severity, minimum)).length;
}
