import * as vscode from 'vscode';
import type { Services } from '../context';
import type { CommandTable } from '../commands';
import type { ServiceNode } from '../explorer/nodes';
import type { LogTail } from './logTail';
import type { ServiceRef } from '../../core/ecs/serviceRef';
import { askFilter, askSince, pickLogGroup, pickService, pickTail } from './pickers';

/** A service node of the Services view, or `{ cluster, service }` by name (the deploy feature, tests). */
export type TailLogsTarget = ServiceNode | ServiceRef | { cluster: { clusterName?: string; clusterArn?: string }; service: { serviceName?: string } };

function serviceRef(target: TailLogsTarget): ServiceRef | undefined {
  const cluster = typeof target.cluster === 'string' ? target.cluster : (target.cluster?.clusterName ?? target.cluster?.clusterArn);
  const service = typeof target.service === 'string' ? target.service : target.service?.serviceName;
  return cluster && service ? { cluster, service } : undefined;
}

/** A tail argument: the tail, its id, or nothing (then the only one, or a pick). */
type TailArg = LogTail | string | undefined;

export function logsCommands({ logTails, session }: Services): CommandTable {
  const tailOf = async (arg: TailArg, title: string, candidates = logTails.active()): Promise<LogTail | undefined> => {
    // The manager's own tails, by identity: this table is bundled apart (dist/logs.js), so `instanceof`
    // would compare against another copy of the class than the one the manager constructs with.
    if (arg && typeof arg === 'object' && logTails.list().includes(arg)) return arg;
    if (typeof arg === 'string') return logTails.get(arg);
    if (!candidates.length) void vscode.window.showInformationMessage('No log tail is running. Right-click a service and pick "Tail Logs", or run "Tail Log Group...".');
    return pickTail(candidates, title);
  };

  return {
    'ecrDeploy.tailLogs': async (target?: TailLogsTarget) => {
      const ref = target && typeof target === 'object' ? serviceRef(target) : await pickService(session);
      if (!ref) return undefined;
      return (await logTails.tailService(ref))?.id;
    },
    'ecrDeploy.tailLogGroup': async (logGroupName?: string) => {
      const group = typeof logGroupName === 'string' && logGroupName ? logGroupName : await pickLogGroup(session);
      return group ? logTails.tailGroup(group).id : undefined;
    },
    'ecrDeploy.filterLogTail': async (arg?: TailArg, pattern?: string) => {
      const tail = await tailOf(arg, 'Filter which log tail?');
      const value = typeof pattern === 'string' ? pattern : await askFilter(tail?.filterPattern);
      if (tail && value !== undefined) tail.setFilter(value);
    },
    'ecrDeploy.setLogTailSince': async (arg?: TailArg, since?: string) => {
      const tail = await tailOf(arg, 'Change since for which log tail?');
      const value = typeof since === 'string' ? since : tail && (await askSince(tail.since));
      if (tail && value) tail.setSince(value);
    },
    'ecrDeploy.pauseLogTail': async (arg?: TailArg) => (await tailOf(arg, 'Pause which log tail?', logTails.active().filter((t) => t.state !== 'paused')))?.pause(),
    'ecrDeploy.resumeLogTail': async (arg?: TailArg) => (await tailOf(arg, 'Resume which log tail?', logTails.active().filter((t) => t.state === 'paused')))?.resume(),
    'ecrDeploy.clearLogTail': async (arg?: TailArg) => (await tailOf(arg, 'Clear which log tail?', logTails.list()))?.clear(),
    'ecrDeploy.stopLogTail': async (arg?: TailArg) => (await tailOf(arg, 'Stop which log tail?'))?.stop(),
    'ecrDeploy.stopAllLogTails': () => logTails.stopAll(),
    'ecrDeploy.manageLogTails': async (arg?: TailArg) => {
      const tail = await tailOf(arg, 'Log Tails', logTails.list());
      if (!tail) return;
      const actions: Array<{ label: string; run: () => unknown }> = [
        { label: '$(output) Show Output', run: () => tail.show() },
        ...(tail.running
          ? [
              tail.state === 'paused' ? { label: '$(debug-continue) Resume', run: () => tail.resume() } : { label: '$(debug-pause) Pause', run: () => tail.pause() },
              { label: '$(filter) Filter...', run: () => vscode.commands.executeCommand('ecrDeploy.filterLogTail', tail) },
              { label: '$(history) Since...', run: () => vscode.commands.executeCommand('ecrDeploy.setLogTailSince', tail) },
              { label: '$(clear-all) Clear Output', run: () => tail.clear() },
              { label: '$(debug-stop) Stop', run: () => tail.stop() },
            ]
          : [
              { label: '$(debug-restart) Restart', run: () => tail.start() },
              { label: '$(close) Close Output', run: () => logTails.close(tail) },
            ]),
      ];
      const picked = await vscode.window.showQuickPick(actions, { title: `${tail.channelName} · ${tail.eventCount.toLocaleString('en-US')} events · ${tail.activity}` });
      await picked?.run();
    },
  };
}
