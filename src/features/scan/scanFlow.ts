/**
 * From an image to diagnostics: optionally start a scan, wait for it with a cancellable progress,
 * read every page, find the workspace's Dockerfile for the repository, place each finding and
 * publish. Failures end in one message with the next step, never a stack trace.
 */
import * as vscode from 'vscode';
import { showMessage } from '../messages';
import { countAtLeast, placeScanFindings, readFindings, type ScanResult } from '../../app/scan/findings';
import { isErrorNamed } from '../../core/errors/named';
import { imageLabel, normalizeFindings, type ImageIdentity } from '../../core/scan/scanFindings';
import { countBySeverity, formatSeverityCounts, normalizeSeverity } from '../../core/scan/severity';
import type { AwsSession } from '../connection/awsSession';
import type { Log } from '../log';
import type { Memory } from '../memory';
import { withCancellableProgress } from '../progress';
import { settings } from '../settings';
import { dockerfileRelativePath, locateBuild, workspaceContextReader } from './buildLocation';
import type { ScanDiagnostics } from './scanDiagnostics';

export interface ScanFlowServices {
  session: AwsSession;
  log: Log;
  scanDiagnostics: ScanDiagnostics;
  /** Remembers the Dockerfile picked for a repository. */
  memory: Memory;
}

export interface ShowOptions {
  /** StartImageScan first ("Scan Image"); otherwise read the latest scan ("Show Scan Findings"). */
  startScan: boolean;
  /** Known Dockerfile and context (after a build), skipping discovery. */
  build?: { dockerfile?: string; context?: string };
  /** Progress in the status bar instead of a notification (automatic display after a push). */
  background?: boolean;
  /** A scan is on its way (just pushed with scan on push): "no scan yet" means "wait". */
  scanExpected?: boolean;
}

const WAITING_TEXT: Record<string, string> = {
  IN_PROGRESS: 'scan in progress (a basic scan takes a minute or two)',
  PENDING: 'scan pending',
};

async function fetchResult(services: ScanFlowServices, image: ImageIdentity, options: ShowOptions): Promise<ScanResult> {
  const access = await services.session.access();
  const verb = options.startScan ? 'Scanning' : 'Reading the scan of';
  const read = (signal: AbortSignal, report: (message: string) => void) =>
    readFindings(
      { image, startScan: options.startScan, scanExpected: options.scanExpected },
      {
        access,
        signal,
        onAlreadyScannedToday: () => {
          services.log.info(`${imageLabel(image)} was already scanned today; ECR allows one scan a day, showing that scan.`);
          report('already scanned today (one scan a day): reading that scan');
        },
        onStatus: (status) => report(status && Object.hasOwn(WAITING_TEXT, status) ? WAITING_TEXT[status] : `status ${status ?? 'unknown'}`),
      },
    );
  return withCancellableProgress(`${verb} ${imageLabel(image)}`, read, options.background ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification);
}

/** Returns the number of findings published, or undefined when nothing was (cancelled, no scan, no Dockerfile). */
export async function showScanFindings(services: ScanFlowServices, image: ImageIdentity, options: ShowOptions): Promise<number | undefined> {
  let result: ScanResult | undefined;
  try {
    result = await fetchResult(services, image, options);
  } catch (error) {
    if (isErrorNamed(error, 'ImageNotScannedError')) {
      let scanned: number | undefined;
      await showMessage('info', error.message, { title: 'Scan Image', run: async () => (scanned = await showScanFindings(services, image, { ...options, startScan: true })) });
      return scanned;
    }
    if (isErrorNamed(error, 'ScanUnavailableError', 'ScanTimeoutError')) {
      services.log.warn(error.message);
      void vscode.window.showWarningMessage(error.message);
      return undefined;
    }
    throw error;
  }
  return publishResult(services, result, options);
}

async function publishResult(services: ScanFlowServices, result: ScanResult, options: ShowOptions): Promise<number | undefined> {
  const label = imageLabel(result.image);
  const findings = normalizeFindings(result);
  const counts = formatSeverityCounts(countBySeverity(findings.map((f) => f.severity)));
  const located = await locateBuild(services.memory, result.image.repositoryName, options.build);
  if (!('found' in located)) {
    if (located.missing === 'dismissed') return undefined;
    const why = located.missing === 'setting' ? `its Dockerfile ${located.path} (setting ecrDeploy.scan.dockerfiles) is not in this workspace` : `no Dockerfile for ${result.image.repositoryName} was found in this workspace`;
    await showMessage('warning', `${label}: ${findings.length} findings (${counts}), but ${why}.`, { title: 'Open Settings', run: () => vscode.commands.executeCommand('workbench.action.openSettings', 'ecrDeploy.scan.dockerfiles') });
    return undefined;
  }
  const location = located.found;
  const { placed, from } = await placeScanFindings(findings, { reader: workspaceContextReader(location.context), dockerfile: dockerfileRelativePath(location) });
  services.scanDiagnostics.publish(result.image.repositoryName, { image: result.image, status: result.status, completedAt: result.completedAt, contextRoot: location.context, dockerfile: location.dockerfile, from, placed });
  services.log.info(`${label}: ${placed.length} findings (${counts}) placed on ${[...new Set(placed.map((p) => p.file))].join(', ') || 'no file'} (scan ${result.status}, ${result.pages} page(s)).`);

  const minimum = normalizeSeverity(settings.scanMinimumSeverity());
  const hidden = placed.length - countAtLeast(placed, minimum);
  const hiddenText = hidden ? `; ${hidden} below the minimum severity ${minimum.toLowerCase()} not shown` : '';
  void showMessage('info', `${label}: ${placed.length} findings (${counts})${hiddenText}.`, { title: 'Show Problems', run: () => vscode.commands.executeCommand('workbench.actions.view.problems') });
  return placed.length;
}
