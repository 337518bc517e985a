/**
 * The dry run: everything a deploy would do, computed before anything is sent. The CLI prints it as
 * JSON; the extension shows the current and new revision side by side, then asks.
 */
import type { RegisterTaskDefinitionCommandInput, Tag } from '@aws-sdk/client-ecs';
import { diffValues, formatChange, type Change } from './diff';
import { checkPlatform, type ImagePlatformReading, type PlatformCheck } from './platform';
import { registerInputOf, rewriteImage, taskDefinitionLabel, type DescribedTaskDefinition } from './taskDefinition';

export interface DeploymentPlan {
  cluster: string;
  service: string;
  previousTaskDefinitionArn: string;
  /** `family:revision` of the revision the service runs now. */
  previousLabel: string;
  container: string;
  previousImage: string | undefined;
  image: string;
  /** Exactly what RegisterTaskDefinition will be sent. */
  registerTaskDefinitionInput: RegisterTaskDefinitionCommandInput;
  /** The current revision in the same shape, for a like-for-like diff. */
  currentAsInput: RegisterTaskDefinitionCommandInput;
  diff: Change[];
  platform: PlatformCheck;
  /** Things the user should know before confirming, in words. */
  notes: string[];
}

export interface PlanRequest {
  cluster: string;
  service: string;
  described: DescribedTaskDefinition;
  container: string;
  image: string;
  platform: ImagePlatformReading;
}

export function planDeployment(request: PlanRequest): DeploymentPlan {
  const td = request.described.taskDefinition;
  const current = registerInputOf(request.described);
  const next = rewriteImage(request.described, request.container, request.image);
  const previousImage = td.containerDefinitions?.find((c) => c.name === request.container)?.image;
  const platform = checkPlatform(td.runtimePlatform, request.platform);
  const notes: string[] = [];
  if (previousImage === request.image) {
    notes.push(`Container "${request.container}" already runs ${request.image}: the new revision only makes ECS start fresh tasks (and pull the tag again).`);
  }
  if (next.droppedTags.length) notes.push(`AWS-managed tags are not copied (AWS sets them itself): ${formatTags(next.droppedTags)}.`);
  if (platform.verdict !== 'match') notes.push(platform.message);
  return {
    cluster: request.cluster,
    service: request.service,
    previousTaskDefinitionArn: td.taskDefinitionArn ?? '',
    previousLabel: taskDefinitionLabel(td),
    container: request.container,
    previousImage,
    image: request.image,
    registerTaskDefinitionInput: next.input,
    currentAsInput: current.input,
    diff: diffValues(current.input, next.input),
    platform,
    notes,
  };
}

const formatTags = (tags: Tag[]) => tags.map((t) => `${t.key}=${t.value}`).join(', ');

export function formatPlan(plan: DeploymentPlan): string {
  const lines = [
    `Service:   ${plan.cluster}/${plan.service}`,
    `Current:   ${plan.previousLabel} (${plan.previousTaskDefinitionArn})`,
    `Container: ${plan.container}`,
    `Image:     ${plan.previousImage ?? '(none)'} -> ${plan.image}`,
    `Platform:  ${plan.platform.message}`,
    '',
    `Changes to register as a new revision of ${plan.registerTaskDefinitionInput.family}:`,
    ...(plan.diff.length ? plan.diff.map((c) => `  ${formatChange(c)}`) : ['  (none)']),
  ];
  const notes = plan.notes.filter((n) => n !== plan.platform.message);
  if (notes.length) lines.push('', 'Notes:', ...notes.map((n) => `  - ${n}`));
  return lines.join('\n') + '\n';
}
