/**
 * Every command of the extension, registered in one place under the `ecrDeploy.` prefix. package.json
 * declares the same names (the e2e suite checks that every declared command is registered).
 *
 * Activation only registers: a feature's command table lives in its `lazy.ts`, bundled apart as
 * dist/<feature>.js (scripts/lib/lazyParts.mjs) and loaded on the first call of any of its commands.
 * The ids are listed here because registering must not load the table; a table that lacks a listed id,
 * or has one not listed, fails that feature's first command with the difference named.
 */
import * as vscode from 'vscode';
import type { Services } from './context';
import { connectionCommands } from './connection/commands';
import { showAwsError } from './connection/nextSteps';

export type Handler = (...args: never[]) => unknown;
export type CommandTable = Record<string, Handler>;
/** What a feature's `lazy.ts` exports: its command table, built once on first use. */
export type LazyFeatureModule = { commands(services: Services): CommandTable };

interface LazyFeature {
  ids: readonly string[];
  load(): Promise<LazyFeatureModule>;
}

export const LAZY_FEATURES: Record<string, LazyFeature> = {
  explorer: {
    load: () => import('./explorer/lazy'),
    ids: [
      'ecrDeploy.refreshRepositories',
      'ecrDeploy.refreshServices',
      'ecrDeploy.refresh',
      'ecrDeploy.loadMore',
      'ecrDeploy.createRepository',
      'ecrDeploy.deleteRepository',
      'ecrDeploy.toggleScanOnPush',
      'ecrDeploy.toggleTagImmutability',
      'ecrDeploy.filterImages',
      'ecrDeploy.clearImageFilter',
      'ecrDeploy.copyImageUri',
      'ecrDeploy.copyImageDigest',
      'ecrDeploy.deleteImage',
      'ecrDeploy.editLifecyclePolicy',
      'ecrDeploy.previewLifecyclePolicy',
      'ecrDeploy.deleteLifecyclePolicy',
      'ecrDeploy.showImageDetails',
      'ecrDeploy.editRepositoryPolicy',
      'ecrDeploy.deleteRepositoryPolicy',
    ],
  },
  build: { load: () => import('./build/lazy'), ids: ['ecrDeploy.buildAndPush'] },
  deploy: {
    load: () => import('./deploy/lazy'),
    ids: [
      'ecrDeploy.deployToService',
      'ecrDeploy.deployImage',
      'ecrDeploy.validateDeployment',
      'ecrDeploy.rollBack',
      'ecrDeploy.showServiceEvents',
      'ecrDeploy.showDeploymentHistory',
      'ecrDeploy.continueDeployment',
      'ecrDeploy.rollBackPausedDeployment',
      'ecrDeploy.stopDeployment',
      'ecrDeploy.deployReviewed',
      'ecrDeploy.cancelReview',
    ],
  },
  logs: {
    load: () => import('./logs/lazy'),
    ids: [
      'ecrDeploy.tailLogs',
      'ecrDeploy.tailLogGroup',
      'ecrDeploy.filterLogTail',
      'ecrDeploy.setLogTailSince',
      'ecrDeploy.pauseLogTail',
      'ecrDeploy.resumeLogTail',
      'ecrDeploy.clearLogTail',
      'ecrDeploy.stopLogTail',
      'ecrDeploy.stopAllLogTails',
      'ecrDeploy.manageLogTails',
    ],
  },
  scan: { load: () => import('./scan/lazy'), ids: ['ecrDeploy.showScanFindings', 'ecrDeploy.scanImage', 'ecrDeploy.clearScanFindings', 'ecrDeploy.showScanFindingsAfterPush'] },
  release: { load: () => import('./ci/lazy'), ids: ['ecrDeploy.createReleaseWorkflow'] },
  metrics: { load: () => import('./metrics/lazy'), ids: ['ecrDeploy.showMetrics'] },
  readiness: { load: () => import('./readiness/lazy'), ids: ['ecrDeploy.checkDeployReadiness', 'ecrDeploy.pinBaseImageDigest', 'ecrDeploy.ignoreReadinessRule'] },
  doctor: { load: () => import('./doctor/lazy'), ids: ['ecrDeploy.diagnoseService'] },
};

/** The ids a loaded table disagrees on with its listing, as a sentence; undefined when they agree. */
export function tableMismatch(feature: string, ids: readonly string[], table: CommandTable): string | undefined {
  const missing = ids.filter((id) => !(id in table));
  const unlisted = Object.keys(table).filter((id) => !ids.includes(id));
  if (!missing.length && !unlisted.length) return undefined;
  return `The ${feature} feature's command table and LAZY_FEATURES disagree: ${[missing.length ? `listed but not in the table: ${missing.join(', ')}` : '', unlisted.length ? `in the table but not listed: ${unlisted.join(', ')}` : ''].filter(Boolean).join('; ')}.`;
}

function lazyTable(feature: string, { ids, load }: LazyFeature, services: Services): () => Promise<CommandTable> {
  let table: Promise<CommandTable> | undefined;
  return () =>
    (table ??= load().then((module) => {
      const loaded = module.commands(services);
      const mismatch = tableMismatch(feature, ids, loaded);
      if (mismatch) throw new Error(mismatch);
      return loaded;
    })).catch((error: unknown) => {
      // A failed load is tried again on the next call, not remembered.
      table = undefined;
      throw error;
    });
}

function register(name: string, services: Services, handlerOf: () => Handler | Promise<Handler>): vscode.Disposable {
  return vscode.commands.registerCommand(name, async (...args: unknown[]) => {
    try {
      const handler = (await handlerOf()) as (...a: unknown[]) => unknown;
      return await handler(...args);
    } catch (error) {
      // A command never fails silently nor with a stack trace: the message, and the details in the log.
      services.log.error(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      void showAwsError('ECR Deploy', services.session.describe(error));
      return undefined;
    }
  });
}

export function registerCommands(services: Services): vscode.Disposable[] {
  const eager = Object.entries(connectionCommands(services)).map(([name, handler]) => register(name, services, () => handler));
  const lazy = Object.entries(LAZY_FEATURES).flatMap(([feature, definition]) => {
    const tableOf = lazyTable(feature, definition, services);
    return definition.ids.map((name) => register(name, services, async () => (await tableOf())[name]!));
  });
  return [...eager, ...lazy];
}
