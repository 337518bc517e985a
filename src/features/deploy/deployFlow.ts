/**
 * "Deploy to Service..." on an image and "Deploy Image..." on a service: choose, read, show the dry
 * run, confirm, then follow. Until the confirmation only reads reach AWS: nothing is registered or
 * updated (for services that are not protected, the dry-run setting can skip the confirmation).
 */
import * as vscode from 'vscode';
import type { AwsAccess } from '../../app/ports';
import type { ContainerDefinition, Service } from '../../aws/deploy';
import { chooseContainer } from '../../core/deploy/containerChoice';
import { toDocument } from '../../core/deploy/diff';
import { imageInRepository, imageVersionLabel, parseEcrRepositoryUri, parseImageReference, repositoryUriOf } from '../../core/ecr/imageReference';
import { planDeployment, type DeploymentPlan } from '../../core/deploy/plan';
import type { ImagePlatformReading } from '../../core/deploy/platform';
import { isProtectedService } from '../../core/deploy/protectedServices';
import type { DescribedTaskDefinition } from '../../core/deploy/taskDefinition';
import { rememberDeployTarget, settings } from '../settings';
import { requireTrust, serviceRefOf, type DeployServices, type ImageNodeArg, type ServiceArg } from './deployContext';
import { withCancellableProgress } from '../progress';
import { pickContainer, pickImage, pickService, pickTag, type ServiceRef } from './pickers';
import { followUpdate } from './rolloutFollow';

const accountOf = (arn: string | undefined) => arn?.split(':')[4];

interface Loaded {
  service: Service;
  described: DescribedTaskDefinition;
}

async function loadService({ edge, clients }: AwsAccess, ref: ServiceRef, signal: AbortSignal): Promise<Loaded> {
  const service = await edge.deploy.requireService(clients.ecs, ref.cluster, ref.service, { signal });
  const described = await edge.deploy.describeTaskDefinition(clients.ecs, service.taskDefinition!, { signal });
  return { service, described };
}

/** The container to change: the remembered or obvious one, else the person's choice. */
async function resolveContainer(containers: readonly ContainerDefinition[], request: { name?: string; repositoryUri?: string; accountId?: string }): Promise<ContainerDefinition | undefined> {
  let choice = chooseContainer(containers, request);
  // A remembered container that is gone from the task definition is a stale memory, not an error.
  if (choice.kind === 'error' && request.name !== undefined) choice = chooseContainer(containers, { ...request, name: undefined });
  if (choice.kind === 'error') throw Object.assign(new Error(choice.message), { name: 'DeployError' });
  if (choice.kind === 'chosen') return choice.container;
  const name = await pickContainer(choice.candidates, choice.preferred, choice.why);
  return containers.find((c) => c.name === name);
}

/** Where the containers log, in words, for "Show Logs" when no log tail is available. */
export function logHintOf(described: DescribedTaskDefinition): string | undefined {
  const groups = (described.taskDefinition.containerDefinitions ?? [])
    .map((c) => c.logConfiguration)
    .filter((l) => l?.logDriver === 'awslogs' && l.options?.['awslogs-group'])
    .map((l) => `CloudWatch Logs group ${l!.options!['awslogs-group']}${l!.options!['awslogs-stream-prefix'] ? ` (stream prefix ${l!.options!['awslogs-stream-prefix']})` : ''}`);
  return [...new Set(groups)].join(', ') || undefined;
}

/** Opens the current and the new revision side by side. */
export async function showDiff(services: DeployServices, left: { name: string; value: unknown }, right: { name: string; value: unknown }, title: string): Promise<void> {
  const leftUri = services.deployDocuments.put(left.name, toDocument(left.value));
  const rightUri = services.deployDocuments.put(right.name, toDocument(right.value));
  await vscode.commands.executeCommand('vscode.diff', leftUri, rightUri, title, { preview: true });
}

/** Protected services always show the dry run and ask; others unless the setting turns that off. */
export function needsConfirmation(ref: ServiceRef): { ask: boolean; isProtected: boolean; pattern: string } {
  const options = settings.deploy();
  const isProtected = isProtectedService(options.protectedServices, ref.cluster, ref.service);
  return { ask: isProtected || options.dryRunForUnprotected, isProtected, pattern: options.protectedServices };
}

async function confirmPlan(services: DeployServices, plan: DeploymentPlan): Promise<boolean> {
  const { ask, isProtected, pattern } = needsConfirmation({ cluster: plan.cluster, service: plan.service });
  if (!ask) return true;
  const family = plan.registerTaskDefinitionInput.family ?? 'task';
  await showDiff(
    services,
    { name: `${family}/${plan.previousLabel.replace(':', '-')}.json`, value: plan.currentAsInput },
    { name: `${family}/new-revision.json`, value: plan.registerTaskDefinitionInput },
    `${plan.previousLabel} ↔ new revision (${imageVersionLabel(plan.image)})`,
  );
  const detail = [
    `Container ${plan.container}: ${plan.previousImage ?? '(no image)'} → ${plan.image}`,
    `Registers a new revision of ${family} (the service runs ${plan.previousLabel}), ${plan.diff.length === 1 ? 'with only this change' : `with ${plan.diff.length} changes`}, and updates ${plan.cluster}/${plan.service}.`,
    ...plan.notes,
    isProtected ? `${plan.service} matches the protected services pattern "${pattern}".` : '',
  ].filter(Boolean);
  const answer = await vscode.window.showWarningMessage(`Deploy ${imageVersionLabel(plan.image)} to ${plan.service}?`, { modal: true, detail: detail.join('\n\n') }, 'Deploy');
  return answer === 'Deploy';
}

async function refusePlatformMismatch(plan: DeploymentPlan): Promise<boolean> {
  if (plan.platform.verdict !== 'mismatch') return false;
  const answer = await vscode.window.showErrorMessage(`Refusing to deploy ${imageVersionLabel(plan.image)}: wrong platform.`, { modal: true, detail: plan.platform.message }, 'Deploy Anyway');
  return answer !== 'Deploy Anyway';
}

interface DeployChoice {
  ref: ServiceRef;
  loaded: Loaded;
  container: string;
  image: string;
  platform: ImagePlatformReading;
  /** The ECR repository the image comes from, to remember the target for. */
  repositoryName?: string;
}

async function planConfirmAndFollow(services: DeployServices, choice: DeployChoice): Promise<void> {
  const plan = planDeployment({ cluster: choice.ref.cluster, service: choice.ref.service, described: choice.loaded.described, container: choice.container, image: choice.image, platform: choice.platform });
  services.log.info(`Dry run for ${plan.cluster}/${plan.service}: ${plan.diff.length} change(s); platform: ${plan.platform.message}`);
  if (await refusePlatformMismatch(plan)) return;
  if (!(await confirmPlan(services, plan))) return;
  if (choice.repositoryName) await rememberDeployTarget(choice.repositoryName, { cluster: choice.ref.cluster, service: choice.ref.service, container: choice.container });
  const ecr = parseEcrRepositoryUri(repositoryUriOf(choice.image));
  await followUpdate(services, {
    kind: 'deploy',
    ref: choice.ref,
    service: choice.loaded.service,
    target: { register: plan.registerTaskDefinitionInput },
    what: `${ecr?.repositoryName ?? parseImageReference(choice.image).repository}:${imageVersionLabel(choice.image)}`,
    container: choice.container,
    image: choice.image,
    logHint: logHintOf(choice.loaded.described),
  });
}

/** "Deploy to Service..." on an image node. */
export async function deployImageNode(services: DeployServices, node: ImageNodeArg | undefined): Promise<void> {
  if (!(await requireTrust('Deploying'))) return;
  if (!node?.repository?.repositoryUri || !node.image) {
    void vscode.window.showInformationMessage('Right-click an image in the ECR Deploy Repositories view to deploy it, or use "Deploy Image..." on a service.');
    return;
  }
  const repositoryName = node.repository.repositoryName ?? '';
  const tags = node.image.imageTags ?? [];
  const tag = await pickTag(tags);
  if (tags.length && !tag) return;
  const image = imageInRepository(node.repository.repositoryUri, tag ? { tag } : { digest: node.image.imageDigest });
  const access = await services.session.access();
  const remembered = settings.deployTargets()[repositoryName];
  const ref = await pickService(access, `Deploy ${repositoryName}:${imageVersionLabel(image)}`, remembered);
  if (!ref) return;
  const [loaded, platform] = await withCancellableProgress(`Reading ${ref.service} and the image`, (signal) =>
    Promise.all([loadService(access, ref, signal), access.edge.deploy.readImagePlatform(access.clients.ecr, image, { signal, region: access.clients.connection.region })]),
  );
  const sameTarget = remembered && remembered.cluster === ref.cluster && remembered.service === ref.service;
  const container = await resolveContainer(loaded.described.taskDefinition.containerDefinitions ?? [], {
    name: sameTarget ? remembered.container : undefined,
    repositoryUri: node.repository.repositoryUri,
  });
  if (!container?.name) return;
  await planConfirmAndFollow(services, { ref, loaded, container: container.name, image, platform, repositoryName });
}

/** "Deploy Image..." on a service node (or from the palette: the service is picked first). */
export async function deployToServiceNode(services: DeployServices, arg: ServiceArg): Promise<void> {
  if (!(await requireTrust('Deploying'))) return;
  const access = await services.session.access();
  const ref = serviceRefOf(arg) ?? (await pickService(access, 'Deploy Image'));
  if (!ref) return;
  const loaded = await withCancellableProgress(`Reading ${ref.service}`, (signal) => loadService(access, ref, signal));
  const container = await resolveContainer(loaded.described.taskDefinition.containerDefinitions ?? [], { accountId: accountOf(loaded.service.serviceArn) });
  if (!container?.name) return;
  const repositoryUri = repositoryUriOf(container.image ?? '');
  const ecr = parseEcrRepositoryUri(repositoryUri);
  let image: string | undefined;
  if (ecr) {
    const images = access.edge.deploy.taggedImages(access.clients.ecr, { registryId: ecr.registryId, repositoryName: ecr.repositoryName });
    const picked = await pickImage(images, ecr.repositoryName);
    if (!picked) return;
    image = 'tag' in picked ? imageInRepository(repositoryUri, { tag: picked.tag }) : picked.image;
  } else {
    image = (await vscode.window.showInputBox({ prompt: `Image for container ${container.name} (now ${container.image})`, value: container.image, ignoreFocusOut: true }))?.trim();
  }
  if (!image) return;
  const newImage = image;
  const platform = await withCancellableProgress(`Reading ${imageVersionLabel(newImage)}`, (signal) =>
    access.edge.deploy.readImagePlatform(access.clients.ecr, newImage, { signal, region: access.clients.connection.region }),
  );
  const repositoryName = parseEcrRepositoryUri(repositoryUriOf(newImage))?.repositoryName;
  await planConfirmAndFollow(services, { ref, loaded, container: container.name, image: newImage, platform, repositoryName });
}
