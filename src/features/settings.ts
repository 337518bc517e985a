/**
 * Typed access to the `ecrDeploy.*` settings: the only place that reads them, so every default and
 * every name lives here (package.json declares them).
 */
import * as vscode from 'vscode';
import type { ConnectionSettings } from '../aws/connection';
import { isContainerCli, type ContainerCli } from '../docker/commandLine';
import { DEFAULT_PLATFORM } from '../docker/commands';
import type { DeployTarget } from './memory';
import { DEFAULT_VERIFY_THRESHOLDS, MAX_VERIFY_MINUTES, type VerifyThresholds } from '../core/metrics/verify';

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
  /** Times everywhere in UTC rather than local time (named for the log lines it first applied to). */
  timestampsInUtc(): boolean {
    return config().get<boolean>('logs.timestampsInUtc', false);
  },
  logs(): LogTailSettings {
    const c = config();
    const mechanism = c.get<string>('logs.mechanism', 'auto');
    return {
      since: c.get<string>('logs.since', '10m') || '10m',
      timestampsInUtc: c.get<boolean>('logs.timestampsInUtc', false),
      maxLineLength: Math.max(0, c.get<number>('logs.maxLineLength', 4000)),
      maxChannelLines: Math.max(1000, c.get<number>('logs.maxChannelLines', 20_000)),
      mechanism: mechanism === 'liveTail' || mechanism === 'polling' ? mechanism : 'auto',
    };
  },
  /** Repository name -> its Dockerfile (and build context), for mapping scan findings. */
  scanDockerfiles(): Record<string, ScanDockerfileSetting> {
    const value = config().get<unknown>('scan.dockerfiles', {});
    return value && typeof value === 'object' ? (value as Record<string, ScanDockerfileSetting>) : {};
  },
  scanMinimumSeverity(): string {
    return config().get<string>('scan.minimumSeverity', 'UNDEFINED');
  },
  scanShowAfterPush(): boolean {
    return config().get<boolean>('scan.showAfterPush', true);
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
  deploy(): DeploySettings {
    const c = config();
    return {
      protectedServices: c.get<string>('deploy.protectedServices', '*prod*'),
      dryRunForUnprotected: c.get<boolean>('deploy.dryRunForUnprotected', true),
      autoRollback: c.get<boolean>('deploy.autoRollback', false),
      timeoutMinutes: Math.max(1, c.get<number>('deploy.timeoutMinutes', 15)),
      forceNewDeployment: c.get<boolean>('deploy.forceNewDeployment', false),
      pollIntervalSeconds: Math.max(1, c.get<number>('deploy.pollIntervalSeconds', 5)),
      verifyMinutes: Math.min(MAX_VERIFY_MINUTES, Math.max(0, c.get<number>('deploy.verifyMinutes', 0) || 0)),
      verifyThresholds: {
        errorRateIncreasePoints: nonNegative(c.get<number>('deploy.verify5xxRateIncrease'), DEFAULT_VERIFY_THRESHOLDS.errorRateIncreasePoints),
        responseTimeIncreasePercent: nonNegative(c.get<number>('deploy.verifyResponseTimeIncrease'), DEFAULT_VERIFY_THRESHOLDS.responseTimeIncreasePercent),
        healthyHostsDecreasePercent: nonNegative(c.get<number>('deploy.verifyHealthyHostsDecrease'), DEFAULT_VERIFY_THRESHOLDS.healthyHostsDecreasePercent),
        utilizationIncreasePoints: nonNegative(c.get<number>('deploy.verifyUtilizationIncrease'), DEFAULT_VERIFY_THRESHOLDS.utilizationIncreasePoints),
      },
    };
  },
  /** The person's own deploy targets per repository: they win over the remembered ones (Memory). */
  deployTargets(): Record<string, DeployTarget> {
    const value = config().get<unknown>('deployTargets', {});
    return value && typeof value === 'object' ? (value as Record<string, DeployTarget>) : {};
  },
  /** Readiness rule ids left out everywhere (`ecrDeploy.readiness.ignore`). */
  readinessIgnore(scope?: vscode.Uri): string[] {
    const value = vscode.workspace.getConfiguration('ecrDeploy', scope).get<unknown>('readiness.ignore', []);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  },
};

export interface DeploySettings {
  /** Glob patterns (comma-separated) of services that always show the dry run and ask. */
  protectedServices: string;
  /** Show the dry run and ask for other services too. */
  dryRunForUnprotected: boolean;
  autoRollback: boolean;
  timeoutMinutes: number;
  forceNewDeployment: boolean;
  pollIntervalSeconds: number;
  /** Minutes to watch the figures after a successful rollout; 0 is off. */
  verifyMinutes: number;
  verifyThresholds: VerifyThresholds;
}

/** A threshold typed in settings.json: a number of 0 or more, else the default. */
function nonNegative(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

export interface LogTailSettings {
  since: string;
  timestampsInUtc: boolean;
  maxLineLength: number;
  maxChannelLines: number;
  mechanism: 'auto' | 'liveTail' | 'polling';
}

/** A path to the Dockerfile, or the Dockerfile and its build context; relative paths are from the workspace folder. */
export type ScanDockerfileSetting = string | { dockerfile: string; context?: string };

export const SCAN_MINIMUM_SEVERITY = `${SECTION}.scan.minimumSeverity`;

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
