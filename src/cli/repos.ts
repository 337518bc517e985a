// The ECR or ECS edge and the clients, not ../aws/index: this command loads no other SDK package.
import { createAwsClients } from '../aws/clients';
import * as ecr from '../aws/ecr';
import { repositoryFigures, type RepositoryFigures } from '../core/ecr/repositoryFigures';
import { formatBytes } from '../core/text/format';
import { failedCallText } from '../core/errors/awsErrors';
import { requireRegion, table, toJson, type CommandContext, type CommandDefinition } from './framework';

/** DescribeImages walks in flight at once: a registry of hundreds of repositories is counted a few at a time. */
const COUNT_CONCURRENCY = 4;

/**
 * Every image of each repository (all pages), counted and summed. A repository whose images cannot be read
 * (a policy that denies DescribeImages) gets no figures and one line on stderr; the others are still listed.
 */
async function figuresOf(context: CommandContext, clients: ReturnType<typeof createAwsClients>, names: readonly string[]): Promise<Map<string, RepositoryFigures | undefined>> {
  const figures = new Map<string, RepositoryFigures | undefined>();
  const queue = [...names];
  const worker = async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      try {
        figures.set(name, repositoryFigures(await ecr.listImages(clients.ecr, name, { signal: context.signal }), true));
      } catch (error) {
        if (context.signal?.aborted) throw error;
        figures.set(name, undefined);
        context.stderr(`ecr-deploy repos: counting the images of ${name}: ${failedCallText(error)}\n`);
      }
    }
  };
  await Promise.all(Array.from({ length: COUNT_CONCURRENCY }, worker));
  return figures;
}

export const reposCommand: CommandDefinition = {
  name: 'repos',
  summary: 'List the ECR repositories of the registry (every page), with the image count and total size of each.',
  usage: 'repos [--output json|text]',
  options: {},
  optionHelp: [],
  async run(context) {
    requireRegion(context);
    const clients = createAwsClients(context.connection);
    try {
      const repositories = await ecr.listRepositories(clients.ecr, { signal: context.signal });
      const figures = await figuresOf(context, clients, repositories.map((r) => r.repositoryName ?? ''));
      if (context.output === 'json') {
        context.stdout(
          toJson(
            repositories.map((r) => ({
              repositoryName: r.repositoryName,
              repositoryUri: r.repositoryUri,
              repositoryArn: r.repositoryArn,
              registryId: r.registryId,
              imageScanningConfiguration: r.imageScanningConfiguration,
              imageTagMutability: r.imageTagMutability,
              encryptionConfiguration: r.encryptionConfiguration,
              createdAt: r.createdAt,
              // Not AWS fields: counted from DescribeImages (sizes summed; layers images share are counted in each).
              imageCount: figures.get(r.repositoryName ?? '')?.images ?? null,
              imageSizeInBytes: figures.get(r.repositoryName ?? '')?.sizeBytes ?? null,
            })),
          ),
        );
        return;
      }
      context.stdout(
        table(
          ['NAME', 'IMAGES', 'SIZE', 'SCAN ON PUSH', 'TAGS', 'ENCRYPTION', 'URI'],
          repositories.map((r) => [
            r.repositoryName ?? '',
            figures.get(r.repositoryName ?? '')?.images.toString() ?? '?',
            figures.has(r.repositoryName ?? '') && figures.get(r.repositoryName ?? '') ? formatBytes(figures.get(r.repositoryName ?? '')!.sizeBytes) : '?',
            r.imageScanningConfiguration?.scanOnPush ? 'yes' : 'no',
            r.imageTagMutability ?? '',
            r.encryptionConfiguration?.encryptionType ?? 'AES256',
            r.repositoryUri ?? '',
          ]),
        ),
      );
    } finally {
      clients.destroy();
    }
  },
};
