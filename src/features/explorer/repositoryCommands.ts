/** Create and delete repositories, toggle their settings, filter their images. */
import * as vscode from 'vscode';
import type { NewRepository } from '../../aws/ecr';
import { repositoryNameProblem } from '../../core/ecr/inputRules';
import type { Services } from '../context';
import type { CommandTable } from '../commands';
import { isErrorNamed } from '../../core/errors/named';
import { repositoryTarget } from './targets';
import type { RepositoryNode } from './nodes';

type EncryptionChoice = vscode.QuickPickItem & { encryption: NewRepository['encryption'] | 'customKey' };

/** Asks for the name and settings; scan on push is on unless the user turns it off. */
async function askForRepository(): Promise<NewRepository | undefined> {
  const repositoryName = await vscode.window.showInputBox({
    title: 'Create Repository (1/3): name',
    prompt: 'Lower-case letters, digits, . _ - and / between path parts, e.g. team/service-api',
    ignoreFocusOut: true,
    validateInput: (value) => repositoryNameProblem(value.trim()),
  });
  if (!repositoryName) return undefined;
  const settings = await vscode.window.showQuickPick(
    [
      { label: 'Scan images on push', description: 'basic scanning of every pushed image', picked: true, id: 'scan' },
      { label: 'Immutable tags', description: 'a pushed tag can never be moved to another image', picked: false, id: 'immutable' },
    ],
    { title: 'Create Repository (2/3): settings', canPickMany: true, ignoreFocusOut: true },
  );
  if (!settings) return undefined;
  const encryptionChoices: EncryptionChoice[] = [
    { label: 'AES-256', description: 'Amazon S3-managed keys (default)', encryption: { type: 'AES256' } },
    { label: 'AWS KMS', description: 'the AWS-managed key aws/ecr', encryption: { type: 'KMS' } },
    { label: 'AWS KMS with my key…', description: 'a customer-managed KMS key ARN or alias', encryption: 'customKey' },
  ];
  const encryption = await vscode.window.showQuickPick(encryptionChoices, { title: 'Create Repository (3/3): encryption (cannot be changed later)', ignoreFocusOut: true });
  if (!encryption) return undefined;
  let chosen = encryption.encryption;
  if (chosen === 'customKey') {
    const kmsKey = await vscode.window.showInputBox({
      title: 'KMS key',
      prompt: 'Key ARN, key ID or alias (alias/my-key)',
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? undefined : 'Enter a key ARN, key ID or alias.'),
    });
    if (!kmsKey) return undefined;
    chosen = { type: 'KMS', kmsKey: kmsKey.trim() };
  }
  return {
    repositoryName: repositoryName.trim(),
    scanOnPush: settings.some((s) => s.id === 'scan'),
    immutableTags: settings.some((s) => s.id === 'immutable'),
    encryption: chosen,
  };
}

function isSpec(value: unknown): value is NewRepository {
  return typeof value === 'object' && value !== null && typeof (value as NewRepository).repositoryName === 'string' && !('kind' in value);
}

/** With a spec (tests, other features) nothing is asked. */
export async function createRepository(services: Services, spec?: unknown): Promise<string | undefined> {
  const wanted = isSpec(spec) ? spec : await askForRepository();
  if (!wanted) return undefined;
  const problem = repositoryNameProblem(wanted.repositoryName);
  if (problem) throw new Error(problem);
  const { edge, clients } = await services.session.access();
  const created = await edge.ecr.createRepository(clients.ecr, wanted);
  await services.repositoriesView.refreshRegistry();
  void vscode.window.showInformationMessage(`Created repository ${created.repositoryName}${wanted.scanOnPush ? ' (scan on push on)' : ''}.`);
  return created.repositoryUri;
}

/**
 * Deletes a repository after a confirmation. One that holds images needs a second, explicit
 * confirmation, and only then is `force` sent: nobody loses images by a single click.
 */
export async function deleteRepository(services: Services, target: unknown): Promise<boolean> {
  const resolved = await repositoryTarget(services, target, 'Delete Repository');
  if (!resolved) return false;
  const name = resolved.repository.repositoryName ?? '';
  const { edge, clients } = await services.session.access();
  const withImages = await edge.ecr.hasImages(clients.ecr, name);
  const first = await vscode.window.showWarningMessage(
    `Delete repository ${name}?`,
    { modal: true, detail: withImages ? 'It holds images: you will be asked again before anything is deleted.' : 'It holds no images. This cannot be undone.' },
    'Delete',
  );
  if (first !== 'Delete') return false;
  if (withImages) {
    const second = await vscode.window.showWarningMessage(
      `Delete ${name} AND every image in it?`,
      { modal: true, detail: 'All tags and images of this repository are deleted with it. Services that pull these images will fail to start new tasks. This cannot be undone.' },
      'Delete Repository and Images',
    );
    if (second !== 'Delete Repository and Images') return false;
  }
  try {
    await edge.ecr.deleteRepository(clients.ecr, name, withImages);
  } catch (error) {
    // An image pushed between the check and the delete: say so rather than force it.
    if (isErrorNamed(error, 'RepositoryNotEmptyException')) {
      void vscode.window.showWarningMessage(`${name} received images while you confirmed; nothing was deleted. Run Delete Repository again.`);
      return false;
    }
    throw error;
  }
  services.repositoriesView.removeRepository(resolved.repository);
  void vscode.window.showInformationMessage(`Deleted repository ${name}.`);
  return true;
}

export async function toggleScanOnPush(services: Services, target: unknown): Promise<boolean | undefined> {
  const resolved = await repositoryTarget(services, target, 'Toggle Scan on Push');
  if (!resolved) return undefined;
  const { edge, clients } = await services.session.access();
  // The row may be older than a change made elsewhere (console, another tool): toggle what is true now.
  const current = (await edge.ecr.describeRepository(clients.ecr, resolved.repository.repositoryName ?? '')) ?? resolved.repository;
  const enable = !current.imageScanningConfiguration?.scanOnPush;
  await edge.ecr.setScanOnPush(clients.ecr, resolved.repository.repositoryName ?? '', enable);
  if (resolved.node) services.repositoriesView.updateRepository(resolved.node, { imageScanningConfiguration: { scanOnPush: enable } });
  vscode.window.setStatusBarMessage(`Scan on push ${enable ? 'on' : 'off'} for ${resolved.repository.repositoryName}`, 5000);
  return enable;
}

export async function toggleTagImmutability(services: Services, target: unknown): Promise<boolean | undefined> {
  const resolved = await repositoryTarget(services, target, 'Toggle Tag Immutability');
  if (!resolved) return undefined;
  const { edge, clients } = await services.session.access();
  const current = (await edge.ecr.describeRepository(clients.ecr, resolved.repository.repositoryName ?? '')) ?? resolved.repository;
  const immutable = !current.imageTagMutability?.startsWith('IMMUTABLE');
  await edge.ecr.setImmutableTags(clients.ecr, resolved.repository.repositoryName ?? '', immutable);
  if (resolved.node) services.repositoriesView.updateRepository(resolved.node, { imageTagMutability: immutable ? 'IMMUTABLE' : 'MUTABLE' });
  vscode.window.setStatusBarMessage(`Tags of ${resolved.repository.repositoryName} are now ${immutable ? 'immutable' : 'mutable'}`, 5000);
  return immutable;
}

/** With a string argument the filter is set without asking ('' clears it). */
export async function filterImages(services: Services, node: RepositoryNode | undefined, text?: unknown): Promise<void> {
  const resolved = await repositoryTarget(services, node, 'Filter Images by Tag');
  if (!resolved?.node) return;
  const filter =
    typeof text === 'string'
      ? text
      : await vscode.window.showInputBox({
          title: `Filter images of ${resolved.repository.repositoryName} by tag`,
          prompt: 'Text a tag contains (case-insensitive), e.g. dev- or v1.2; <untagged> finds untagged images; empty clears the filter',
          value: services.repositoriesView.filterOf(resolved.node),
        });
  if (filter === undefined) return;
  services.repositoriesView.setFilter(resolved.node, filter);
}

export function repositoryCommands(services: Services): CommandTable {
  return {
    'ecrDeploy.createRepository': (spec?: unknown) => createRepository(services, spec),
    'ecrDeploy.deleteRepository': (target?: unknown) => deleteRepository(services, target),
    'ecrDeploy.toggleScanOnPush': (target?: unknown) => toggleScanOnPush(services, target),
    'ecrDeploy.toggleTagImmutability': (target?: unknown) => toggleTagImmutability(services, target),
    'ecrDeploy.filterImages': (node?: RepositoryNode, text?: unknown) => filterImages(services, node, text),
    'ecrDeploy.clearImageFilter': (node?: RepositoryNode) => filterImages(services, node, ''),
  };
}
