/**
 * Every command of the extension, registered in one place under the `ecrDeploy.` prefix. Each feature
 * contributes a table `name -> handler`; package.json declares the same names (the e2e suite checks
 * that every declared command is registered).
 */
import * as vscode from 'vscode';
import type { Services } from './context';
import { buildCommands } from './build/commands';
import { ciCommands } from './ci/commands';
import { connectionCommands } from './connection/commands';
import { deployCommands } from './deploy/commands';
import { showAwsError } from './connection/nextSteps';
import { explorerCommands } from './explorer/commands';
import { logsCommands } from './logs/commands';
import { metricsCommands } from './metrics/commands';
import { scanCommands } from './scan/commands';

export type Handler = (...args: never[]) => unknown;
export type CommandTable = Record<string, Handler>;

function allCommands(services: Services): CommandTable {
  return {
    ...connectionCommands(services),
    ...explorerCommands(services),
    ...buildCommands(services),
    ...deployCommands(services),
    ...logsCommands(services),
    ...metricsCommands(services),
    ...scanCommands(services),
    ...ciCommands(services),
  };
}

export function registerCommands(services: Services): vscode.Disposable[] {
  return Object.entries(allCommands(services)).map(([name, handler]) =>
    vscode.commands.registerCommand(name, async (...args: unknown[]) => {
      try {
        return await (handler as (...a: unknown[]) => unknown)(...args);
      } catch (error) {
        // A command never fails silently nor with a stack trace: the message, and the details in the log.
        services.log.error(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        void showAwsError('ECR Deploy', services.session.describe(error));
        return undefined;
      }
    }),
  );
}
