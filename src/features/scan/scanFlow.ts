/**
 * From an image to diagnostics: optionally start a scan, wait for it with a cancellable progress,
 * read every page, find the workspace's Dockerfile for the repository, place each finding and
 * publish. Failures end in one message with the next step, never a stack trace.
 */
import * as vscode from 'vscode';
import { showMessage } from '../messages';
import { countAtLeast, placeScanFindings, readFindings, type ScanResult } from '../../app/scan/findings';
import { isErrorNamed } from '../../core/errors/named';
import { imageLabel, normalizeFindings, shortImageLabel, type ImageIdentity } from '../../core/scan/scanFindings';
import { formatDuration } from '../../core/text/format';
import { countBySeverity, findingsSummary, normalizeSeverity } from '../../core/scan/severity';
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
  IN_PROGRESS: 'scan in progress',
  PENDING: 'scan pending',
};

/** How long the editor waits for a scan: after a push the wait is in the status bar, so it ends sooner. */
const WAIT_LIMIT_MS = { foreground: 15 * 60_000, background: 10 * 60_000 };
/** After a push with scan on push, how long "no scan yet" may last: real ECR registers the scan within seconds. */
const NOT_STARTED_LIMIT_MS = 2 * 60_000;

let waits = 0;

/**
 * A wait in the status bar that the person can stop: VS Code's window progress has no cancel, so this is an
 * item of our own whose click asks to stop waiting. The text says how long it has waited, so it never looks stuck.
 */
async function withStatusBarWait<T>(title: string, work: (signal: AbortSignal, report: (message: string) => void) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 90);
  const command = `ecrDeploy.scan.stopWaiting.${++waits}`;
  const started = Date.now();
  let message = 'waiting';
  const draw = () => {
    const waited = Date.now() - started;
    item.text = `$(sync~spin) ${title}: ${message}${waited >= 60_000 ? ` · ${formatDuration(Math.floor(waited / 60_000) * 60_000)}` : ''}`;
  };
  const registration = vscode.commands.registerCommand(command, async () => {
    const stop = 'Stop Waiting';
    if ((await vscode.window.showInformationMessage(`Stop waiting for the scan of ${title}? Show Scan Findings reads it later.`, stop)) === stop) controller.abort();
  });
  item.command = command;
  item.tooltip = `Waiting for the scan of ${title}. Click to stop waiting.`;
  draw();
  item.show();
  const clock = setInterval(draw, 15_000);
  try {
    return await work(controller.signal, (m) => {
      message = m;
      draw();
    });
  } finally {
    clearInterval(clock);
    item.dispose();
    registration.dispose();
  }
}

async function fetchResult(services: ScanFlowServices, image: ImageIdentity, options: ShowOptions): Promise<ScanResult> {
  const access = await services.session.access();
  const read = (signal: AbortSignal, report: (message: string) => void) =>
    readFindings(
      {
        image,
        startScan: options.startScan,
        scanExpected: options.scanExpected,
        waitLimitMs: options.background ? WAIT_LIMIT_MS.background : WAIT_LIMIT_MS.foreground,
        notStartedLimitMs: NOT_STARTED_LIMIT_MS,
      },
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
  const label = shortImageLabel(image);
  if (options.background) return withStatusBarWait(label, read);
  return withCancellableProgress(`${options.startScan ? 'Scanning' : 'Reading the scan of'} ${label}`, read);
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
    if (isErrorNamed(error, 'AbortError') && options.background) {
      services.log.info(`Stopped waiting for the scan of ${imageLabel(image)}.`);
      return undefined;
    }
    if (isErrorNamed(error, 'ScanTimeoutError')) {
      services.log.warn(error.message);
      void showMessage('warning', error.message, { title: 'Show Scan Findings', run: () => void showScanFindings(services, image, { ...options, startScan: false, background: false, scanExpected: false }) });
      return undefined;
    }
    if (isErrorNamed(error, 'ScanNotStartedError')) {
      services.log.warn(error.message);
      void showMessage('warning', error.message, { title: 'Scan Image', run: () => void showScanFindings(services, image, { ...options, startScan: true, background: false, scanExpected: false }) });
      return undefined;
    }
    if (isErrorNamed(error, 'ScanUnavailableError')) {
      services.log.warn(error.message);
      void vscode.window.showWarningMessage(error.message);
      return undefined;
    }
    throw error;
  }
  return publishResult(services, result, options);
}

async function publishResult(services: ScanFlowServices, result: ScanResult, options: ShowOptions): Promise<number | undefined> {
  const label = shortImageLabel(result.image);
  const findings = normalizeFindings(result);
  const counts = countBySeverity(findings.map((f) => f.severity));
  // What was read reaches the tree's image row even when no Dockerfile is found to place it on.
  services.scanDiagnostics.recordRead(result.image, { status: result.status, counts, completedAt: result.completedAt });
  const located = await locateBuild(services.memory, result.image.repositoryName, options.build);
  if (!('found' in located)) {
    if (located.missing === 'dismissed') return undefined;
    const why = located.missing === 'setting' ? `its Dockerfile ${located.path} (setting ecrDeploy.scan.dockerfiles) is not in this workspace` : `no Dockerfile for ${result.image.repositoryName} was found in this workspace`;
    await showMessage('warning', `${label}: ${findingsSummary(counts)}, but ${why}.`, { title: 'Open Settings', run: () => vscode.commands.executeCommand('workbench.action.openSettings', 'ecrDeploy.scan.dockerfiles') });
    return undefined;
  }
  const location = located.found;
  const source = { reader: workspaceContextReader(location.context), dockerfile: dockerfileRelativePath(location) };
  const { placed, from } = await placeScanFindings(findings, source);
  services.scanDiagnostics.publish(result.image.repositoryName, {
    image: result.image,
    status: result.status,
    completedAt: result.completedAt,
    contextRoot: location.context,
    dockerfile: location.dockerfile,
    from,
    placed,
    replace: () => placeScanFindings(findings, source),
  });
  services.log.info(`${imageLabel(result.image)}: ${findingsSummary(counts)} placed on ${[...new Set(placed.map((p) => p.file))].join(', ') || 'no file'} (scan ${result.status}, ${result.pages} page(s)).`);

  const minimum = normalizeSeverity(settings.scanMinimumSeverity());
  const hidden = placed.length - countAtLeast(placed, minimum);
  const hiddenText = hidden ? `; ${hidden} below the minimum severity ${minimum.toLowerCase()} not shown` : '';
  void showMessage('info', `${label}: ${findingsSummary(counts)}${hiddenText}.`, { title: 'Show Problems', run: () => vscode.commands.executeCommand('workbench.actions.view.problems') });
  return placed.length;
}
