/**
 * The deploy readiness check, written once for the CLI (`ecr-deploy check`) and the extension (Check Deploy
 * Readiness): a Dockerfile, a task definition (a file, or the revision a service runs) and the ECR
 * repositories it pulls from, through the pure rules of src/core/readiness. Reads only; AWS is asked only
 * for what was named (a service, a repository) and for the platforms of the task definition's ECR images.
 */
import { getNodeValue } from 'jsonc-parser';
import { isProtectedService } from '../../core/deploy/protectedServices';
import type { ServiceRef } from '../../core/ecs/serviceRef';
import { parseEcrRepositoryUri, repositoryUriOf } from '../../core/ecr/imageReference';
import type { ReadinessFinding } from '../../core/readiness/finding';
import { checkDockerfile } from '../../core/readiness/dockerfileRules';
import { checkRepository } from '../../core/readiness/repositoryRules';
import { suppressDockerfileFindings, withoutIgnored } from '../../core/readiness/suppression';
import { checkTaskDefinition, parseTaskDefinitionText } from '../../core/readiness/taskDefinitionRules';
import type { AwsClients } from '../../aws/clients';
import type { AwsEdge, Work } from '../ports';

export interface ReadinessEdge {
  ecs: Pick<AwsEdge['ecs'], 'requireService' | 'describeTaskDefinition'>;
  ecr: Pick<AwsEdge['ecr'], 'describeRepository' | 'getLifecyclePolicy' | 'getRepositoryPolicy'>;
  deploy: Pick<AwsEdge['deploy'], 'readImagePlatform'>;
}

export interface ReadinessAccess {
  edge: ReadinessEdge;
  clients: Pick<AwsClients, 'ecs' | 'ecr' | 'connection'>;
}

export interface TextInput {
  /** As the user named it (a path relative to where they are), the finding's `file`. */
  file: string;
  text: string;
}

export interface ReadinessRequest {
  dockerfile?: TextInput;
  /** A task definition file; exclusive with `service`. */
  taskDefinition?: TextInput;
  /** A service whose deployed revision is checked (and its ECR repositories). */
  service?: ServiceRef;
  /** Repositories to check; without any, those the task definition's ECR images come from. */
  repositories?: readonly string[];
  /** Rule ids to leave out (the setting, `--ignore`). */
  ignore?: readonly string[];
  /** The protected-services patterns (`*prod*`): mutable tags matter more there. */
  protectedServices: string;
}

/** The deployed revision as the checks read it: the document findings are placed in. */
export interface DeployedRevision {
  /** `family:revision`. */
  label: string;
  /** The describe-task-definition `taskDefinition`, as pretty JSON. */
  text: string;
  serviceName: string;
  protectedService: boolean;
}

export interface ReadinessReport {
  findings: ReadinessFinding[];
  revision?: DeployedRevision;
  repositories: string[];
  /** What could not be checked and why (an image's platform unreadable, a repository not found). */
  notes: string[];
}

/** Where the deployed revision's findings are filed. */
export const revisionFile = (label: string) => `task definition ${label}`;

interface ContainerImage {
  image: string;
  healthCheck: boolean;
}

function containersOf(text: string): ContainerImage[] {
  const node = parseTaskDefinitionText(text);
  const value = node ? (getNodeValue(node) as { containerDefinitions?: Array<{ image?: unknown; healthCheck?: unknown }> }) : undefined;
  return (value?.containerDefinitions ?? []).map((c) => ({ image: typeof c.image === 'string' ? c.image : '', healthCheck: c.healthCheck !== undefined }));
}

export async function checkReadiness(access: ReadinessAccess | undefined, request: ReadinessRequest, work: Work = {}): Promise<ReadinessReport> {
  const { signal } = work;
  const notes: string[] = [];
  const findings: ReadinessFinding[] = [];
  let taskDefinition = request.taskDefinition;
  let revision: DeployedRevision | undefined;
  let protectedService = false;

  if (request.service) {
    if (!access) throw new Error('checking a service needs AWS access');
    work.progress?.(`Reading ${request.service.service}`);
    const service = await access.edge.ecs.requireService(access.clients.ecs, request.service.cluster, request.service.service, { signal });
    const { taskDefinition: described } = await access.edge.ecs.describeTaskDefinition(access.clients.ecs, service.taskDefinition!, { signal });
    const serviceName = service.serviceName ?? request.service.service;
    protectedService = isProtectedService(request.protectedServices, request.service.cluster.split('/').pop()!, serviceName);
    const label = `${described.family}:${described.revision}`;
    revision = { label, text: `${JSON.stringify(described, null, 2)}\n`, serviceName, protectedService };
    taskDefinition = { file: revisionFile(label), text: revision.text };
  }

  const containers = taskDefinition ? containersOf(taskDefinition.text) : [];
  if (taskDefinition) {
    const imagePlatforms: Record<string, string[]> = {};
    if (access) {
      for (const { image } of containers) {
        if (!parseEcrRepositoryUri(repositoryUriOf(image)) || imagePlatforms[image]) continue;
        work.progress?.(`Reading the platform of ${image}`);
        try {
          const reading = await access.edge.deploy.readImagePlatform(access.clients.ecr, image, { signal, region: access.clients.connection.region });
          if (reading.kind === 'known') imagePlatforms[image] = reading.platforms.map((p) => [p.os, p.architecture, p.variant].filter(Boolean).join('/'));
          else notes.push(`The platform of ${image} was not checked: ${reading.reason}.`);
        } catch (error) {
          if (signal?.aborted) throw error;
          notes.push(`The platform of ${image} was not checked: ${(error as Error).message}`);
        }
      }
    }
    findings.push(...checkTaskDefinition(taskDefinition.text, taskDefinition.file, { protectedService, imagePlatforms }));
  }

  if (request.dockerfile) {
    const all = checkDockerfile(request.dockerfile.text, request.dockerfile.file, { taskDefinitionHasHealthCheck: containers.some((c) => c.healthCheck) });
    findings.push(...suppressDockerfileFindings(request.dockerfile.text, all));
  }

  const region = access?.clients.connection.region;
  const fromImages = containers
    .map((c) => parseEcrRepositoryUri(repositoryUriOf(c.image)))
    .filter((r): r is NonNullable<typeof r> => Boolean(r) && (!region || r!.region === region))
    .map((r) => r.repositoryName);
  const repositories = [...new Set(request.repositories?.length ? request.repositories : fromImages)];
  if (repositories.length && access) {
    for (const name of repositories) {
      work.progress?.(`Reading repository ${name}`);
      const repository = await access.edge.ecr.describeRepository(access.clients.ecr, name, { signal });
      if (!repository) {
        notes.push(`Repository ${name} was not found in ${region ?? 'this region'}; its checks were skipped.`);
        continue;
      }
      const [lifecyclePolicyText, repositoryPolicyText] = await Promise.all([
        access.edge.ecr.getLifecyclePolicy(access.clients.ecr, name, { signal }),
        access.edge.ecr.getRepositoryPolicy(access.clients.ecr, name, { signal }),
      ]);
      findings.push(
        ...checkRepository({
          name,
          scanOnPush: repository.imageScanningConfiguration?.scanOnPush,
          imageTagMutability: repository.imageTagMutability,
          encryptionType: repository.encryptionConfiguration?.encryptionType,
          lifecyclePolicyText,
          repositoryPolicyText,
          protectedService,
        }),
      );
    }
  }
  return { findings: withoutIgnored(findings, request.ignore ?? []), ...(revision ? { revision } : {}), repositories: access ? repositories : [], notes };
}
