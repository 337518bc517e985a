/**
 * Typed access to the `ecrDeploy.*` settings: the only place that reads them, so every default and
 * every name lives here (package.json declares them).
 */
import * as vscode from 'vscode';
import type { ConnectionSettings } from '../aws/connection';
import { isContainerCli, type ContainerCli } from '../docker/commandLine';
import { DEFAULT_PLATFORM } from '../docker/commands';

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
  containerCli(): ContainerCli {
    const value = config().get<string>('containerCli', 'docker');
    return isContainerCli(value) ? value : 'docker';
  },
  buildPlatform(folder?: vscode.Uri): string {
    return vscode.workspace.getConfiguration(SECTION, folder).get<string>('build.platform', '').trim() || DEFAULT_PLATFORM;
  },
  /** The repository builds of this folder go to; empty: the one last picked there. */
  buildRepository(folder?: vscode.Uri): string {
    return vscode.workspace.getConfiguration(SECTION, folder).get<string>('build.repository', '').trim();
  },
  tagLatest(folder?: vscode.Uri): boolean {
    return vscode.workspace.getConfiguration(SECTION, folder).get<boolean>('build.tagLatest', false);
  },
};

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
