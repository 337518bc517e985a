/** The questions a log tail asks: which group, which service, which tail, what filter, since when. */
import * as vscode from 'vscode';
import type { LogGroup } from '../../aws/logGroups';
import { parseSince } from '../../core/logs/since';
import type { AwsSession } from '../connection/awsSession';
import type { LogTail } from './logTail';
import type { ServiceRef } from '../../core/ecs/serviceRef';

interface GroupItem extends vscode.QuickPickItem {
  group: string;
}

function groupItem(group: LogGroup): GroupItem {
  const retention = group.retentionInDays ? `kept ${group.retentionInDays} days` : 'kept forever';
  const size = group.storedBytes !== undefined ? `${(group.storedBytes / 1024 / 1024).toFixed(1)} MB` : undefined;
  return { label: group.logGroupName ?? '?', description: [retention, size].filter(Boolean).join(' · '), group: group.logGroupName ?? '' };
}

/**
 * A searchable list of the region's log groups. Typing filters the loaded list at once; when the
 * region has more groups than were loaded, the typed text is also searched on the server as a prefix.
 * A name typed that is not listed can still be tailed (a group that does not exist yet is waited for).
 */
export async function pickLogGroup(session: AwsSession): Promise<string | undefined> {
  const { edge, clients } = await session.access();
  const quickPick = vscode.window.createQuickPick<GroupItem>();
  quickPick.title = 'Tail Log Group';
  quickPick.placeholder = `Type to search the log groups of ${session.connection.region ?? 'this region'}`;
  quickPick.matchOnDescription = true;
  quickPick.busy = true;
  const abort = new AbortController();
  const loaded = new Map<string, GroupItem>();
  let truncated = false;
  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  const render = () => {
    const typed = quickPick.value.trim();
    const typedItem: GroupItem[] = typed && !loaded.has(typed) ? [{ label: `$(search) ${typed}`, description: 'tail this log group name', alwaysShow: true, group: typed }] : [];
    quickPick.items = [...loaded.values(), ...typedItem];
  };
  const add = (groups: LogGroup[]) => {
    for (const g of groups) if (g.logGroupName && !loaded.has(g.logGroupName)) loaded.set(g.logGroupName, groupItem(g));
    render();
  };
  return new Promise<string | undefined>((resolve, reject) => {
    const finish = (value: string | undefined, error?: unknown) => {
      abort.abort();
      if (searchTimer) clearTimeout(searchTimer);
      quickPick.dispose();
      if (error) reject(error);
      else resolve(value);
    };
    quickPick.onDidAccept(() => finish(quickPick.selectedItems[0]?.group));
    quickPick.onDidHide(() => finish(undefined));
    quickPick.onDidChangeValue(() => {
      render();
      if (!truncated || !quickPick.value.trim()) return;
      if (searchTimer) clearTimeout(searchTimer);
      searchTimer = setTimeout(() => {
        quickPick.busy = true;
        edge.logs
          .listLogGroups(clients.logs, { prefix: quickPick.value.trim(), max: 500, signal: abort.signal })
          .then((found) => add(found.groups))
          .catch(() => undefined)
          .finally(() => (quickPick.busy = false));
      }, 300);
    });
    quickPick.show();
    edge.logs
      .listLogGroups(clients.logs, { signal: abort.signal, onPage: add })
      .then((result) => {
        truncated = result.truncated;
        quickPick.busy = false;
        if (!result.groups.length) quickPick.placeholder = `No log groups in ${session.connection.region}: type a group name to tail it when it appears`;
      })
      .catch((error) => {
        if (!abort.signal.aborted) finish(undefined, error);
      });
  });
}

/** A service from every cluster, for "Tail Logs" run without a service node. */
export async function pickService(session: AwsSession): Promise<ServiceRef | undefined> {
  const { edge, clients } = await session.access();
  const quickPick = vscode.window.createQuickPick<vscode.QuickPickItem & { ref: ServiceRef }>();
  quickPick.title = 'Tail Logs of a Service';
  quickPick.placeholder = 'Loading the services of every cluster...';
  quickPick.matchOnDescription = true;
  quickPick.busy = true;
  const abort = new AbortController();
  return new Promise<ServiceRef | undefined>((resolve, reject) => {
    const finish = (value: ServiceRef | undefined, error?: unknown) => {
      abort.abort();
      quickPick.dispose();
      if (error) reject(error);
      else resolve(value);
    };
    quickPick.onDidAccept(() => finish(quickPick.selectedItems[0]?.ref));
    quickPick.onDidHide(() => finish(undefined));
    quickPick.show();
    (async () => {
      for (const cluster of await edge.ecs.listClusters(clients.ecs, { signal: abort.signal })) {
        const clusterName = cluster.clusterName ?? '';
        const services = await edge.ecs.listServices(clients.ecs, cluster.clusterArn ?? clusterName, { signal: abort.signal });
        quickPick.items = [...quickPick.items, ...services.map((s) => ({ label: s.serviceName ?? '?', description: clusterName, ref: { cluster: clusterName, service: s.serviceName ?? '' } }))];
      }
      quickPick.busy = false;
      quickPick.placeholder = quickPick.items.length ? 'Pick a service' : 'No services in this region';
    })().catch((error) => {
      if (!abort.signal.aborted) finish(undefined, error);
    });
  });
}

/** One tail: itself when there is one, else a pick. */
export async function pickTail(tails: LogTail[], title: string): Promise<LogTail | undefined> {
  if (tails.length <= 1) return tails[0];
  const picked = await vscode.window.showQuickPick(
    tails.map((tail) => ({ label: tail.source.label, description: `${tail.eventCount.toLocaleString('en-US')} events · ${tail.activity}`, detail: tail.channelName, tail })),
    { title },
  );
  return picked?.tail;
}

/** The new filter pattern; '' shows every event; undefined when cancelled. */
export function askFilter(current: string | undefined): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: 'Log Tail Filter',
    value: current ?? '',
    prompt: 'CloudWatch Logs filter pattern, passed to the API: ERROR, "GET /healthz", ?ERROR ?WARN, { $.level = "error" }. Empty shows every event.',
  });
}

export function askSince(current: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: 'Log Tail Since',
    value: current,
    prompt: 'A duration back from now (30s, 10m, 1h, 2d) or a time (2026-11-27T10:00:00Z, 2026-11-27 10:00 local).',
    validateInput: (value) => {
      const parsed = parseSince(value, Date.now());
      return parsed.ok ? undefined : parsed.message;
    },
  });
}
