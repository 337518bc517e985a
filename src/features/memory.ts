/**
 * What the extension remembers of a person's choices, in one place: the workspace's state (never its
 * settings, which belong to the person and may be checked in). Settings still win where the person set
 * one (`ecrDeploy.build.repository`, `ecrDeploy.deployTargets`): memory only fills what they left open.
 */
import type * as vscode from 'vscode';

/** Where a repository's images were last deployed. */
export interface DeployTarget {
  cluster: string;
  service: string;
  container?: string;
}

const KEYS = {
  buildRepository: 'ecrDeploy.buildRepository',
  deployTargets: 'ecrDeploy.deployTargets',
  scanDockerfiles: 'ecrDeploy.scanDockerfiles',
} as const;

export class Memory {
  constructor(private readonly state: vscode.Memento) {}

  private read<T>(key: string): Record<string, T> {
    const value = this.state.get<unknown>(key);
    return value && typeof value === 'object' ? (value as Record<string, T>) : {};
  }

  private async write<T>(key: string, name: string, value: T): Promise<void> {
    await this.state.update(key, { ...this.read<T>(key), [name]: value });
  }

  /** The repository last built from a workspace folder (by its URI). */
  buildRepository(folderUri: string): string | undefined {
    return this.read<string>(KEYS.buildRepository)[folderUri];
  }

  rememberBuildRepository(folderUri: string, repository: string): Promise<void> {
    return this.write(KEYS.buildRepository, folderUri, repository);
  }

  /** Where a repository's images were last deployed. */
  deployTarget(repositoryName: string): DeployTarget | undefined {
    return this.read<DeployTarget>(KEYS.deployTargets)[repositoryName];
  }

  rememberDeployTarget(repositoryName: string, target: DeployTarget): Promise<void> {
    return this.write(KEYS.deployTargets, repositoryName, target);
  }

  /** Forgets a target that no longer exists, so it is not offered first again. */
  async forgetDeployTarget(repositoryName: string): Promise<void> {
    const targets = this.read<DeployTarget>(KEYS.deployTargets);
    delete targets[repositoryName];
    await this.state.update(KEYS.deployTargets, targets);
  }

  /** The Dockerfile a repository's images were built from, as chosen for placing scan findings. */
  scanDockerfile(repositoryName: string): string | undefined {
    return this.read<string>(KEYS.scanDockerfiles)[repositoryName];
  }

  rememberScanDockerfile(repositoryName: string, dockerfile: string): Promise<void> {
    return this.write(KEYS.scanDockerfiles, repositoryName, dockerfile);
  }
}
