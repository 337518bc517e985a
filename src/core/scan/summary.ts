/**
 * What an image's scan says, in a few words: `2 critical · 5 high`, `no findings`, `scanning…`.
 * Shapes follow ECR's DescribeImages (`imageScanStatus`, `imageScanFindingsSummary`); basic and
 * enhanced scanning both report there.
 */

export interface ScanStatusLike {
  status?: string;
  description?: string;
}

export interface FindingsSummaryLike {
  findingSeverityCounts?: Partial<Record<string, number>>;
  imageScanCompletedAt?: Date;
}

export const SEVERITY_ORDER = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNDEFINED'] as const;
export type Severity = (typeof SEVERITY_ORDER)[number];

/** Severities worth a place in a one-line row; the rest show in the tooltip. */
const ROW_SEVERITIES: readonly Severity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];

const STATUS_TEXT: Readonly<Record<string, string>> = {
  IN_PROGRESS: 'scanning…',
  PENDING: 'scan pending',
  FAILED: 'scan failed',
  UNSUPPORTED_IMAGE: 'scan unsupported',
  SCAN_ELIGIBILITY_EXPIRED: 'scan expired',
  FINDINGS_UNAVAILABLE: 'findings unavailable',
  LIMIT_EXCEEDED: 'scan limit exceeded',
};

export function severityCounts(summary: FindingsSummaryLike | undefined): Array<[Severity, number]> {
  const counts = summary?.findingSeverityCounts ?? {};
  return SEVERITY_ORDER.map((s) => [s, counts[s] ?? 0] as [Severity, number]).filter(([, n]) => n > 0);
}

/** The worst severity found, or undefined when nothing (or nothing known) was found. */
export function worstSeverity(summary: FindingsSummaryLike | undefined): Severity | undefined {
  return severityCounts(summary)[0]?.[0];
}

/** One short phrase for the tree row; undefined when the image was never scanned (or the endpoint does not say). */
export function scanSummaryText(status: ScanStatusLike | undefined, summary: FindingsSummaryLike | undefined): string | undefined {
  const counts = severityCounts(summary);
  if (counts.length) {
    const shown = counts.filter(([s]) => ROW_SEVERITIES.includes(s)).map(([s, n]) => `${n} ${s.toLowerCase()}`);
    return shown.length ? shown.join(' · ') : `${counts.reduce((sum, [, n]) => sum + n, 0)} informational`;
  }
  const code = status?.status;
  if (!code) return summary ? 'no findings' : undefined;
  if (code === 'COMPLETE' || code === 'ACTIVE') return 'no findings';
  return STATUS_TEXT[code] ?? code.toLowerCase().replace(/_/g, ' ');
}

/** Every severity with its count, for a tooltip. */
export function scanDetailLines(status: ScanStatusLike | undefined, summary: FindingsSummaryLike | undefined): string[] {
  const lines: string[] = [];
  if (status?.status) lines.push(`Scan: ${status.status}${status.description ? ` (${status.description})` : ''}`);
  const counts = severityCounts(summary);
  if (counts.length) lines.push(`Findings: ${counts.map(([s, n]) => `${n} ${s.toLowerCase()}`).join(', ')}`);
  return lines;
}

/** An image's scan as the extension read it (Show Scan Findings, Scan Image, after a push). */
export interface ReadScanLike {
  status: string | undefined;
  counts: Partial<Record<string, number>>;
  completedAt: Date | undefined;
}

/**
 * The image as its row shows it: DescribeImages' scan fields, unless the extension read a scan of it that is
 * newer (or DescribeImages carries none, as moto and some endpoints leave them out).
 */
export function withReadScan<T extends { imageScanStatus?: ScanStatusLike; imageScanFindingsSummary?: FindingsSummaryLike }>(image: T, read: ReadScanLike | undefined): T {
  if (!read) return image;
  const listed = image.imageScanFindingsSummary?.imageScanCompletedAt?.getTime();
  const fresh = read.completedAt?.getTime();
  if (image.imageScanFindingsSummary && listed !== undefined && (fresh === undefined || fresh < listed)) return image;
  return { ...image, imageScanStatus: { ...image.imageScanStatus, status: read.status }, imageScanFindingsSummary: { findingSeverityCounts: read.counts, imageScanCompletedAt: read.completedAt } };
}
