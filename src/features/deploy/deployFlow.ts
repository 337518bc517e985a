/**
 * "Deploy to Service..." on an image and "Deploy Image..." on a service: the extension's ports of the
 * deploy use case (src/app/deploy/runDeploy.ts). Quick picks choose, the dry run is a diff to review
 * (src/features/deploy/deployReview.ts), the rollout a progress notification. Until the confirmation only reads reach AWS: nothing is
 * registered or updated (for services that are not protected, the dry-run setting can skip the
 * confirmation).
 */
import * as vscode from 'vscode';
import type { AwsAccess } from '../../app/ports';
import { deployTargetOf } from '../../app/deploy/deployTargets';
import type { DeployRequest, PreparedDeploy } from '../../app/deploy/prepareDeploy';
import { deploy, type DeployPorts } from '../../app/deploy/runDeploy';
import { toDocument } from '../../core/deploy/diff';
import { imageInRepository, imageVersionLabel, parseEcrRepositoryUri, parseImageReference, repositoryUriOf } from '../../core/ecr/imageReference';
import { plural, shortDigest } from '../../core/text/format';
import { awaitReview } from './deployReview';
import { readScanGate, scanGateText } from '../../app/scan/scanGate';
import type { DeploymentPlan } from '../../core/deploy/plan';
import { isProtectedService } from '../../core/deploy/protectedServices';
import { readinessErrorsOfRevision } from '../../app/readiness/deployGate';
import type { ServiceRef } from '../../core/ecs/serviceRef';
import { settings } from '../settings';
import { readWithProgress, requireTrust, serviceRefOf, type DeployFlowServices, type DeployServices, type ImageNodeArg, type ServiceArg } from './deployContext';
import { pickContainer, pickImage, pickService, pickTag } from './pickers';
import { followSettings, followUpdate } from './rolloutFollow';

/** Opens the current and the new revision side by side; returns the new side's URI. */
export async function showDiff(services: DeployServices, left: { name: string; value: unknown }, right: { name: string; value: unknown }, title: string, { pinned = false } = {}): Promise<vscode.Uri> {
  const leftUri = services.deployDocuments.put(left.name, toDocument(left.value));
  const rightUri = services.deployDocuments.put(right.name, toDocument(right.value));
  // A review's diff is pinned: a preview tab would be replaced by the next file opened, which cancels the review.
  await vscode.commands.executeCommand('vscode.diff', leftUri, rightUri, title, { preview: !pinned });
  return rightUri;
}

/** Protected services always show the dry run and ask; others unless the setting turns that off. */
export function needsConfirmation(ref: ServiceRef): { ask: boolean; isProtected: boolean; pattern: string } {
  const options = settings.deploy();
  const isProtected = isProtectedService(options.protectedServices, ref.cluster, ref.service);
  return { ask: isProtected || options.dryRunForUnprotected, isProtected, pattern: options.protectedServices };
}

/** The running revision and the one the plan registers, side by side. */
function showPlanDiff(services: DeployServices, plan: DeploymentPlan, options?: { pinned?: boolean }): Promise<vscode.Uri> {
  const family = plan.registerTaskDefinitionInput.family ?? 'task';
  return showDiff(
    services,
    { name: `${family}/${plan.previousLabel.replace(':', '-')}.json`, value: plan.currentAsInput },
    { name: `${family}/new-revision (${imageVersionLabel(plan.image).replace(/[/\\]/g, '-')}).json`, value: plan.registerTaskDefinitionInput },
    `${plan.previousLabel} ↔ new revision (${imageVersionLabel(plan.image)})`,
    options,
  );
}

/** The readiness errors of the revision about to be registered, as the confirmation lists them ('' when none). */
function readinessErrorsText(registerInput: unknown): string {
  const errors = readinessErrorsOfRevision(registerInput, settings.readinessIgnore());
  if (!errors.length) return '';
  return [`Deploy readiness: ${plural(errors.length, 'error')} in the new revision:`, ...errors.map((e) => `• ${e.rule}: ${e.message}`)].join('\n');
}

/** `repo:tag` or `repo@sha256:1a2b3c4d`: the image as a person names it, without the registry host. */
function shortImage(image: string | undefined): string {
  if (!image) return '(no image)';
  const ref = parseImageReference(image);
  const name = ref.repository.slice(ref.repository.lastIndexOf('/') + 1);
  return ref.digest ? `${name}@${shortDigest(ref.digest, 8)}` : `${name}:${ref.tag ?? 'latest'}`;
}

/**
 * The dry run: the diff with Deploy / Cancel in its title bar (no modal over it); a protected service then
 * asks once more, briefly, naming what should stop a deploy (readiness errors).
 */
async function confirmPlan(services: DeployServices, plan: DeploymentPlan): Promise<boolean> {
  const { ask, isProtected, pattern } = needsConfirmation({ cluster: plan.cluster, service: plan.service });
  if (!ask) return true;
  const modified = await showPlanDiff(services, plan, { pinned: true });
  const change = `${plan.container}: ${shortImage(plan.previousImage)} → ${shortImage(plan.image)}, ${plural(plan.diff.length, 'change')} in the revision`;
  const notes = plan.notes.map((note) => (plan.platform.verdict === 'unknown' && note === plan.platform.message ? plan.platform.brief : note));
  const message = [`${change}.`, ...notes, "Deploy or Cancel in the diff's title bar."].join(' ');
  const answer = await awaitReview(modified, `Review: deploy ${imageVersionLabel(plan.image)} to ${plan.service}`, message);
  if (answer !== 'deploy') {
    services.log.info(`Deploy to ${plan.cluster}/${plan.service} cancelled at the review: nothing was registered or updated.`);
    return false;
  }
  if (!isProtected) return true;
  // What should stop a deploy to production: the image's critical and high findings (one read, never a wait).
  const gate = await readScanGate(await services.session.access(), plan.image).catch(() => undefined);
  const detail = [`${plan.service} is protected ("${pattern}").`, scanGateText(gate), readinessErrorsText(plan.registerTaskDefinitionInput)].filter(Boolean);
  const confirmed = await vscode.window.showWarningMessage(`Deploy ${imageVersionLabel(plan.image)} to ${plan.service}?`, { modal: true, detail: detail.join('\n\n') }, 'Deploy');
  return confirmed === 'Deploy';
}

/** The extension's answers to the deploy use case: quick picks, the diff and modal, the progress notification. */
function extensionPorts(services: DeployFlowServices, chooseImage?: DeployPorts['chooseImage']): DeployPorts {
  return {
    read: readWithProgress,
    chooseContainer: ({ candidates, preferred, why }) => pickContainer(candidates, preferred, why),
    chooseImage,
    async confirm({ plan, refusal }: PreparedDeploy) {
      services.log.info(`Dry run for ${plan.cluster}/${plan.service}: ${plan.diff.length} change(s); platform: ${plan.platform.message}`);
      if (refusal) {
        const answer = await vscode.window.showErrorMessage(`Refusing to deploy ${imageVersionLabel(plan.image)}: wrong platform.`, { modal: true, detail: refusal }, 'Deploy Anyway');
        if (answer !== 'Deploy Anyway') return 'stop';
      }
      if (!(await confirmPlan(services, plan))) return 'stop';
      return refusal ? 'deploy-anyway' : 'deploy';
    },
    async follow(prepared, run) {
      const { ref, container, image } = prepared;
      if (prepared.repositoryName) await services.memory.rememberDeployTarget(prepared.repositoryName, { cluster: ref.cluster, service: ref.service, container });
      const ecr = parseEcrRepositoryUri(repositoryUriOf(image));
      const what = `${ecr?.repositoryName ?? parseImageReference(image).repository}:${imageVersionLabel(image)}`;
      const request = {
        kind: 'deploy' as const,
        ref,
        service: prepared.service,
        target: { register: prepared.plan.registerTaskDefinitionInput },
        what,
        container,
        image,
        logHint: prepared.logHint,
        showDiff: () => showPlanDiff(services, prepared.plan),
      };
      return followUpdate(services, request, run);
    },
  };
}

async function runDeploy(services: DeployFlowServices, access: AwsAccess, request: DeployRequest, chooseImage?: DeployPorts['chooseImage']): Promise<void> {
  await deploy(access, request, followSettings('deploy'), extensionPorts(services, chooseImage));
}

/** "Deploy to Service..." on an image node. */
export async function deployImageNode(services: DeployFlowServices, node: ImageNodeArg | undefined): Promise<void> {
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
  const remembered = await deployTargetOf(access, repositoryName, { configured: settings.deployTargets()[repositoryName], memory: services.memory, read: readWithProgress });
  const ref = await pickService(access, `Deploy ${repositoryName}:${imageVersionLabel(image)}`, remembered);
  if (!ref) return;
  const sameTarget = remembered && remembered.cluster === ref.cluster && remembered.service === ref.service;
  await runDeploy(services, access, { ref, image: { image }, rememberedContainer: sameTarget ? remembered.container : undefined });
}

/** "Deploy Image..." on a service node (or from the palette: the service is picked first). */
export async function deployToServiceNode(services: DeployFlowServices, arg: ServiceArg): Promise<void> {
  if (!(await requireTrust('Deploying'))) return;
  const access = await services.session.access();
  const ref = serviceRefOf(arg) ?? (await pickService(access, 'Deploy Image'));
  if (!ref) return;
  await runDeploy(services, access, { ref }, async (container) => {
    const repositoryUri = repositoryUriOf(container.image ?? '');
    const ecr = parseEcrRepositoryUri(repositoryUri);
    if (ecr) {
      const images = access.edge.deploy.taggedImages(access.clients.ecr, { registryId: ecr.registryId, repositoryName: ecr.repositoryName });
      const picked = await pickImage(images, ecr.repositoryName);
      if (!picked) return undefined;
      return 'tag' in picked ? imageInRepository(repositoryUri, { tag: picked.tag }) : picked.image;
    }
    return (await vscode.window.showInputBox({ prompt: `Image for container ${container.name} (now ${container.image})`, value: container.image, ignoreFocusOut: true }))?.trim() || undefined;
  });
}
