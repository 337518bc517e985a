/**
 * Everything a deploy decides before it changes anything: load the service and its task definition,
 * choose the container, find the image, read its platform, plan the new revision, and refuse a
 * platform mismatch. Only reads reach AWS. The shells answer the questions: which container when it
 * is not obvious (CLI: "Pass --container NAME"; extension: a quick pick), which image when none was
 * given (extension: the repository's tags).
 */
import type { ContainerDefinition, Service } from '@aws-sdk/client-ecs';
import { chooseContainer } from '../../core/deploy/containerChoice';
import { DeployError, DeployInputError } from '../../core/deploy/deployError';
import { planDeployment, type DeploymentPlan } from '../../core/deploy/plan';
import type { ImagePlatformReading } from '../../core/deploy/platform';
import { logHintOf, type DescribedTaskDefinition } from '../../core/deploy/taskDefinition';
import { imageInRepository, imageVersionLabel, parseEcrRepositoryUri, repositoryUriOf } from '../../core/ecr/imageReference';
import { accountOfArn, type ServiceRef } from '../../core/ecs/serviceRef';
import type { DeployAccess, RunRead } from './access';

export interface LoadedService {
  service: Service;
  described: DescribedTaskDefinition;
}

async function loadService({ edge, clients }: DeployAccess, ref: ServiceRef, signal: AbortSignal | undefined): Promise<LoadedService> {
  const service = await edge.ecs.requireService(clients.ecs, ref.cluster, ref.service, { signal });
  const described = await edge.ecs.describeTaskDefinition(clients.ecs, service.taskDefinition!, { signal });
  return { service, described };
}

/** The image to deploy: a full reference, or a tag of the repository the chosen container runs now. */
export type ImageRequest = { image: string } | { tag: string };

export interface DeployRequest {
  ref: ServiceRef;
  /** Undefined: the shell's `chooseImage` is asked once the container is known. */
  image?: ImageRequest;
  /** A container asked for by name (`--container`): not in the task definition is an error. */
  container?: string;
  /** The container remembered for this target: one gone from the task definition is forgotten, not an error. */
  rememberedContainer?: string;
}

export interface ContainerQuestion {
  candidates: ContainerDefinition[];
  /** The likeliest one (runs an image from the repository), offered first. */
  preferred: ContainerDefinition | undefined;
  why: string;
}

export interface PrepareDeployPorts {
  read: RunRead;
  /** Which container gets the image, when that is not obvious; undefined: the person cancelled. */
  chooseContainer(question: ContainerQuestion): Promise<string | undefined>;
  /** The image for `container` when the request names none; undefined: the person cancelled. */
  chooseImage?(container: ContainerDefinition): Promise<string | undefined>;
}

export interface PreparedDeploy extends LoadedService {
  ref: ServiceRef;
  container: string;
  /** Why that container, in words ("the only container"). */
  containerWhy: string;
  image: string;
  plan: DeploymentPlan;
  /** Set when the image's platform does not match the task definition's: deploying it would fail to start. */
  refusal?: string;
  /** The ECR repository the image comes from (to remember the target for). */
  repositoryName?: string;
  /** Where the containers log, for "Show Logs" without a log tail. */
  logHint?: string;
}

interface ContainerRequest {
  name?: string;
  remembered?: string;
  repositoryUri?: string;
  accountId?: string;
}

/** The container to change: the named, remembered or obvious one, else the person's choice. */
async function resolveContainer(containers: readonly ContainerDefinition[], request: ContainerRequest, ports: PrepareDeployPorts): Promise<{ container: ContainerDefinition; why: string } | undefined> {
  let choice = chooseContainer(containers, { ...request, name: request.name ?? request.remembered });
  // A remembered container that is gone from the task definition is a stale memory, not an error.
  if (choice.kind === 'error' && request.name === undefined && request.remembered !== undefined) choice = chooseContainer(containers, { ...request, name: undefined });
  if (choice.kind === 'error') throw new DeployError(choice.message);
  if (choice.kind === 'chosen') return { container: choice.container, why: choice.why };
  const name = await ports.chooseContainer({ candidates: choice.candidates, preferred: choice.preferred, why: choice.why });
  const container = containers.find((c) => c.name === name);
  return container ? { container, why: `container "${name}" as chosen` } : undefined;
}

function imageOf(request: ImageRequest, container: ContainerDefinition): string {
  if ('image' in request) return request.image;
  try {
    return imageInRepository(repositoryUriOf(container.image ?? ''), { tag: request.tag });
  } catch (error) {
    throw new DeployInputError((error as Error).message);
  }
}

/** Reads and plans a deploy; undefined when the person cancelled a question. */
export async function prepareDeploy(access: DeployAccess, request: DeployRequest, ports: PrepareDeployPorts): Promise<PreparedDeploy | undefined> {
  const { ref } = request;
  const readPlatform = (image: string, signal: AbortSignal | undefined) => access.edge.deploy.readImagePlatform(access.clients.ecr, image, { signal, region: access.clients.connection.region });
  const given = request.image && 'image' in request.image ? request.image.image : undefined;
  let platform: ImagePlatformReading | undefined;
  let loaded: LoadedService;
  if (given) [loaded, platform] = await ports.read(`Reading ${ref.service} and the image`, (signal) => Promise.all([loadService(access, ref, signal), readPlatform(given, signal)]));
  else loaded = await ports.read(`Reading ${ref.service}`, (signal) => loadService(access, ref, signal));

  const chosen = await resolveContainer(
    loaded.described.taskDefinition.containerDefinitions ?? [],
    { name: request.container, remembered: request.rememberedContainer, repositoryUri: given ? repositoryUriOf(given) : undefined, accountId: accountOfArn(loaded.service.serviceArn) },
    ports,
  );
  if (!chosen?.container.name) return undefined;
  const image = request.image ? imageOf(request.image, chosen.container) : await ports.chooseImage?.(chosen.container);
  if (!image) return undefined;
  platform ??= await ports.read(`Reading ${imageVersionLabel(image)}`, (signal) => readPlatform(image, signal));

  const plan = planDeployment({ cluster: ref.cluster, service: loaded.service.serviceName ?? ref.service, described: loaded.described, container: chosen.container.name, image, platform });
  return {
    ...loaded,
    ref,
    container: chosen.container.name,
    containerWhy: chosen.why,
    image,
    plan,
    refusal: plan.platform.verdict === 'mismatch' ? plan.platform.message : undefined,
    repositoryName: parseEcrRepositoryUri(repositoryUriOf(image))?.repositoryName,
    logHint: logHintOf(loaded.described),
  };
}

/** Whether a service still exists (a remembered deploy target may have been deleted since). */
export async function serviceExists({ edge, clients }: DeployAccess, ref: ServiceRef, signal: AbortSignal | undefined): Promise<boolean> {
  const found = await edge.ecs.describeService(clients.ecs, ref.cluster, ref.service, { signal });
  return found !== undefined && found.status !== 'INACTIVE';
}
