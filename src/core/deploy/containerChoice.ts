/**
 * Which container of a task definition gets the new image. An explicit name wins; a single container
 * is obvious; otherwise the one whose current image comes from the repository being deployed. When
 * that still leaves a choice, the caller asks (the extension) or refuses with the names (the CLI).
 */
import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { isFromRepository, parseEcrRepositoryUri, repositoryUriOf } from '../ecr/imageReference';
import { containerNames } from './taskDefinition';

export type ContainerChoice =
  | { kind: 'chosen'; container: ContainerDefinition; why: string }
  | { kind: 'ask'; candidates: ContainerDefinition[]; preferred: ContainerDefinition | undefined; why: string }
  | { kind: 'error'; message: string };

export interface ContainerChoiceRequest {
  /** `--container NAME`, or the name remembered for this target. */
  name?: string;
  /**
   * The repository of the image being deployed. Undefined when only a tag is known (`--tag`): then the
   * container is the only one running an image from this account's ECR registry, if there is exactly one.
   */
  repositoryUri?: string;
  /** The service's account: sidecars often come from AWS's own ECR accounts (FireLens, X-Ray). */
  accountId?: string;
}

function inAccountRegistry(image: string | undefined, accountId: string | undefined): boolean {
  const ecr = image === undefined ? undefined : parseEcrRepositoryUri(repositoryUriOf(image));
  return ecr !== undefined && (accountId === undefined || ecr.registryId === accountId);
}

export function chooseContainer(containers: readonly ContainerDefinition[], request: ContainerChoiceRequest): ContainerChoice {
  if (containers.length === 0) return { kind: 'error', message: 'The task definition has no container definitions.' };
  if (request.name !== undefined) {
    const named = containers.find((c) => c.name === request.name);
    return named
      ? { kind: 'chosen', container: named, why: `container "${request.name}" as asked` }
      : { kind: 'error', message: `No container "${request.name}" in the task definition; it has ${containerNames(containers)}.` };
  }
  if (containers.length === 1) return { kind: 'chosen', container: containers[0], why: 'the only container' };
  const source = request.repositoryUri ?? `the ECR registry of ${request.accountId ? `account ${request.accountId}` : 'any account'}`;
  const fromRepository = containers.filter((c) => (request.repositoryUri ? isFromRepository(c.image, request.repositoryUri) : inAccountRegistry(c.image, request.accountId)));
  if (fromRepository.length === 1) {
    return { kind: 'chosen', container: fromRepository[0], why: `the only container running an image from ${source}` };
  }
  const why =
    fromRepository.length > 1
      ? `${fromRepository.length} containers run images from ${source}: ${containerNames(fromRepository)}`
      : `${containers.length} containers and none runs an image from ${source}: ${containerNames(containers)}`;
  return { kind: 'ask', candidates: [...containers], preferred: fromRepository[0], why };
}
