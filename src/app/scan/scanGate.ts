/**
 * What a deploy confirmation says about the image's scan: its critical and high findings, named. One
 * read of the latest scan (DescribeImageScanFindings, no scan started, no waiting), and the words. A
 * scan that cannot be read says nothing rather than stopping a deploy: the confirmation is a warning,
 * not a gate (the CLI's `findings --fail-on` is the gate).
 */
import { parseImageReference } from '../../core/ecr/imageReference';
import { normalizeFindings, shortImageLabel, type ImageIdentity } from '../../core/scan/scanFindings';
import { scanStatusOutcome } from '../../core/scan/scanStatus';
import { findingCount, formatSeverityCounts, normalizeSeverity, type Severity, type SeverityCounts } from '../../core/scan/severity';
import type { AwsAccess } from '../ports';

/** The severities a confirmation names. */
const GATED: readonly Severity[] = ['CRITICAL', 'HIGH'];
/** Names in the text; the rest are counted. */
const NAMED = 3;

export interface ScanGate {
  image: ImageIdentity;
  /** The scan's status (COMPLETE, ACTIVE, PENDING...); undefined when the image was never scanned. */
  status?: string;
  /** Every severity's count, from the scan's summary (or its findings when the summary has none). */
  counts: SeverityCounts;
  /** The critical and high findings, worst first, one per vulnerability. */
  blocking: Array<{ id: string; severity: Severity; packageName: string }>;
}

/** The image a deploy names (`<account>.dkr.ecr.<region>.amazonaws.com/repo:tag@sha256:…`), as ECR asks for it. */
export function imageIdentityOf(image: string): ImageIdentity {
  const ref = parseImageReference(image);
  return { repositoryName: ref.repository, imageTag: ref.tag, imageDigest: ref.digest };
}

/**
 * The latest scan of the image, read once. Undefined when it cannot be read (never scanned, no such
 * repository here, no permission): the caller then says nothing about scans.
 */
export async function readScanGate(access: AwsAccess, image: ImageIdentity | string, options: { signal?: AbortSignal } = {}): Promise<ScanGate | undefined> {
  const identity = typeof image === 'string' ? imageIdentityOf(image) : image;
  try {
    const result = await access.edge.scan.readScanFindings(access.clients.ecr, identity, { signal: options.signal });
    const findings = scanStatusOutcome(result.status) === 'ready' ? normalizeFindings(result) : [];
    const counts: SeverityCounts = {};
    for (const [severity, n] of Object.entries(result.severityCounts)) counts[normalizeSeverity(severity)] = (counts[normalizeSeverity(severity)] ?? 0) + n;
    if (!Object.keys(counts).length) for (const f of findings) counts[f.severity] = (counts[f.severity] ?? 0) + 1;
    const seen = new Set<string>();
    const blocking = findings
      .filter((f) => GATED.includes(f.severity) && !seen.has(f.id) && seen.add(f.id))
      .sort((a, b) => GATED.indexOf(a.severity) - GATED.indexOf(b.severity))
      .map((f) => ({ id: f.id, severity: f.severity, packageName: f.packageName }));
    return { image: result.image, status: result.status, counts, blocking };
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return undefined;
  }
}

/**
 * One paragraph for the confirmation of a deploy to a protected service, '' when the scan found nothing
 * critical or high (or is unknown): `quilt-mcp-server:v1.2.0: 3 findings critical or high (2 critical ·
 * 1 high): CVE-2023-45853 (zlib1g-dev), CVE-2025-43859 (h11), CVE-2024-2398 (libcurl4-openssl-dev).`
 */
export function scanGateText(gate: Pick<ScanGate, 'image' | 'counts'> & Partial<Pick<ScanGate, 'blocking'>> | undefined): string {
  if (!gate) return '';
  const gated: SeverityCounts = {};
  for (const s of GATED) if (gate.counts[s]) gated[s] = gate.counts[s];
  const total = GATED.reduce((sum, s) => sum + (gated[s] ?? 0), 0);
  if (!total) return '';
  const blocking = gate.blocking ?? [];
  const named = blocking.slice(0, NAMED).map((f) => (f.packageName ? `${f.id} (${f.packageName})` : f.id));
  const more = Math.max(total, blocking.length) - named.length;
  const names = named.length ? `: ${named.join(', ')}${more > 0 ? ` and ${more} more` : ''}` : '';
  return `${shortImageLabel(gate.image)}: ${findingCount(total)} critical or high (${formatSeverityCounts(gated)})${names}.`;
}
