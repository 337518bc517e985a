import * as vscode from 'vscode';
import type { PushedImage } from '../../app/scan/findings';
import type { Services } from '../context';
import type { CommandTable } from '../commands';
import { settings } from '../settings';
import { imageFromArgument, pickImage, repositoryFromArgument } from './imageArgument';
import { showScanFindings } from './scanFlow';

export function scanCommands(services: Services): CommandTable {
  const { session, scanDiagnostics } = services;
  const imageFor = async (argument: unknown, title: string) => imageFromArgument(argument) ?? (await pickImage(session, title));
  return {
    'ecrDeploy.showScanFindings': async (argument?: unknown) => {
      const image = await imageFor(argument, 'Show Scan Findings');
      return image ? showScanFindings(services, image, { startScan: false }) : undefined;
    },
    'ecrDeploy.scanImage': async (argument?: unknown) => {
      const image = await imageFor(argument, 'Scan Image');
      return image ? showScanFindings(services, image, { startScan: true }) : undefined;
    },
    'ecrDeploy.clearScanFindings': async (argument?: unknown) => {
      const named = repositoryFromArgument(argument);
      if (named !== undefined) return scanDiagnostics.clear(named);
      const repositories = scanDiagnostics.repositories();
      if (repositories.length <= 1) return scanDiagnostics.clear();
      const all = 'All repositories';
      const picked = await vscode.window.showQuickPick([all, ...repositories], { title: 'Clear Scan Findings' });
      if (picked) scanDiagnostics.clear(picked === all ? undefined : picked);
      return undefined;
    },
    /**
     * For the push flow: when a push starts a scan by itself (scan on push, or an enhanced scanning rule),
     * wait for it in the status bar and show its findings. Nothing happens otherwise.
     */
    'ecrDeploy.showScanFindingsAfterPush': async (pushed: PushedImage) => {
      if (!settings.scanShowAfterPush() || !pushed?.repositoryName) return undefined;
      const { edge, clients } = await session.access();
      if (!(await edge.scan.scansOnPush(clients.ecr, pushed.repositoryName))) return undefined;
      const image = { repositoryName: pushed.repositoryName, imageTag: pushed.imageTag, imageDigest: pushed.imageDigest };
      return showScanFindings(services, image, { startScan: false, background: true, scanExpected: true, build: { dockerfile: pushed.dockerfile, context: pushed.context } });
    },
  };
}
