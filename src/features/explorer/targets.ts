/**
 * What a command acts on: the tree node it was invoked on, a repository name (other features,
 * tests, keybindings), a lifecycle or repository policy document, or, from the command palette, a repository picked
 * from a list.
 */
import * as vscode from 'vscode';
import type { Repository } from '../../aws/ecr';
import type { Services } from '../context';
import { LIFECYCLE_SCHEME, policyLocation } from './lifecycle/lifecycleDocuments';
import { REPOSITORY_POLICY_SCHEME, repositoryPolicyLocation } from './repositoryPolicy/repositoryPolicyDocuments';
import type { ExplorerNode, RepositoryNode } from './nodes';

export interface RepositoryTarget {
  repository: Repository;
  /** The row in the Repositories view, when it is shown. */
  node?: RepositoryNode;
}

function isNode(value: unknown): value is ExplorerNode {
  return typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string';
}

async function byName({ session, repositoriesView }: Services, repositoryName: string): Promise<RepositoryTarget | undefined> {
  const node = repositoriesView.repositoryNode(repositoryName);
  if (node) return { repository: node.repository, node };
  const { edge, clients } = await session.access();
  const repository = await edge.ecr.describeRepository(clients.ecr, repositoryName);
  return repository ? { repository } : undefined;
}

async function pick(services: Services, title: string): Promise<RepositoryTarget | undefined> {
  const items = (async () => {
    let repositories = services.repositoriesView.loadedRepositories();
    if (!repositories.length) {
      const { edge, clients } = await services.session.access();
      repositories = await edge.ecr.listRepositories(clients.ecr);
    }
    return repositories.map((repository) => ({ label: repository.repositoryName ?? '?', description: repository.repositoryUri, repository }));
  })();
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Repository', matchOnDescription: true });
  if (!picked) return undefined;
  return { repository: picked.repository, node: services.repositoriesView.repositoryNode(picked.label) };
}

export async function repositoryTarget(services: Services, target: unknown, title: string): Promise<RepositoryTarget | undefined> {
  if (isNode(target)) {
    if (target.kind === 'repository') return { repository: target.repository, node: target };
    if (target.kind === 'lifecyclePolicy' || target.kind === 'image') {
      return { repository: target.repository, node: services.repositoriesView.repositoryNode(target.repository.repositoryName ?? '') };
    }
  }
  if (target instanceof vscode.Uri && target.scheme === LIFECYCLE_SCHEME) return byName(services, policyLocation(target).repositoryName);
  if (target instanceof vscode.Uri && target.scheme === REPOSITORY_POLICY_SCHEME) return byName(services, repositoryPolicyLocation(target).repositoryName);
  if (typeof target === 'string' && target) return byName(services, target);
  return pick(services, title);
}
