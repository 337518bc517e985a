/** What each `imageScanStatus` means for someone waiting on findings: wait, read them, or why not. */

export type ScanStatusOutcome = 'ready' | 'waiting' | 'failed';

/** COMPLETE (basic scanning) and ACTIVE (enhanced, continuous) both have findings to read. */
export function scanStatusOutcome(status: string | undefined): ScanStatusOutcome {
  switch (status) {
    case 'COMPLETE':
    case 'ACTIVE':
      return 'ready';
    case 'IN_PROGRESS':
    case 'PENDING':
      return 'waiting';
    default:
      return 'failed';
  }
}

const EXPLANATIONS: Record<string, string> = {
  FAILED: 'the scan failed',
  UNSUPPORTED_IMAGE: 'ECR cannot scan this image (its operating system or media type is not supported)',
  FINDINGS_UNAVAILABLE: 'findings are not available for this image (enhanced scanning no longer monitors it)',
  SCAN_ELIGIBILITY_EXPIRED: 'the image is no longer scanned (its scan eligibility expired)',
  LIMIT_EXCEEDED: 'the scan limit for this image was exceeded (one scan per image per day)',
  IMAGE_ARCHIVED: 'the image is archived and is not scanned',
};

/** One line: `<image>: <explanation> (<STATUS>: <AWS's description>)`. */
export function scanStatusMessage(image: string, status: string | undefined, description: string | undefined): string {
  const explanation = status && Object.hasOwn(EXPLANATIONS, status) ? EXPLANATIONS[status] : `the scan ended with status ${status ?? 'unknown'}`;
  const detail = description?.trim() ? `: ${description.trim().split('\n')[0]}` : '';
  return `${image}: ${explanation} (${status ?? 'no status'}${detail}).`;
}
