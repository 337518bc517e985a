/**
 * Typed access to the `ecrDeploy.*` settings: the only place that reads them, so every default and
 * every name lives here (package.json declares them).
 */
import * as vscode from 'vscode';
import type { ConnectionSettings } from '../aws/connection';

const SECTION = 'ecrDeploy';

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION);
}

export const settings = {
  connection(): ConnectionSettings {
    const c = config();
    return {
      profile: c.get<string>('profile', ''),
      region: c.get<string>('region', ''),
      endpointUrl: c.get<string>('endpointUrl', ''),
      maxAttempts: c.get<number>('maxAttempts', 0) || undefined,
    };
  },
  registryEndpoint(): string {
    return config().get<string>('registryEndpoint', '');
  },
  /** Rows per page in the explorer (ECR's largest page is 1,000). */
  explorerPageSize(): number {
    const value = config().get<number>('explorer.pageSize', 1000);
    return Math.min(1000, Math.max(10, Math.floor(value) || 1000));
  },
  /** Seconds between automatic refreshes of the visible explorer views; 0 turns it off. */
  explorerRefreshIntervalSeconds(): number {
    const value = config().get<number>('explorer.refreshIntervalSeconds', 0);
    return value > 0 ? Math.max(15, value) : 0;
  },
};

export const EXPLORER_SETTINGS = ['explorer.pageSize', 'explorer.refreshIntervalSeconds'].map((s) => `${SECTION}.${s}`);

/** Settings whose change means new AWS clients and fresh views. */
export const CONNECTION_SETTINGS = ['profile', 'region', 'endpointUrl', 'maxAttempts', 'registryEndpoint'].map((s) => `${SECTION}.${s}`);

export function affectsConnection(event: vscode.ConfigurationChangeEvent): boolean {
  return CONNECTION_SETTINGS.some((s) => event.affectsConfiguration(s));
}

/**
 * Writes a setting where it is in effect now: a workspace value is changed in the workspace, anything
 * else globally, so the switch always takes effect.
 */
export async function updateSetting(name: 'profile' | 'region', value: string): Promise<void> {
  const c = config();
  const inspected = c.inspect<string>(name);
  const target =
    inspected?.workspaceFolderValue !== undefined
      ? vscode.ConfigurationTarget.WorkspaceFolder
      : inspected?.workspaceValue !== undefined
        ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
  await c.update(name, value, target);
}
