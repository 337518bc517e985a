// The ECR or ECS edge and the clients, not ../aws/index: this command loads no other SDK package.
import { createAwsClients } from '../aws/clients';
import * as ecr from '../aws/ecr';
import { requireRegion, table, toJson, type CommandDefinition } from './framework';

export const reposCommand: CommandDefinition = {
  name: 'repos',
  summary: 'List the ECR repositories of the registry (every page).',
  usage: 'repos [--output json|text]',
  options: {},
  optionHelp: [],
  async run(context) {
    requireRegion(context);
    const clients = createAwsClients(context.connection);
    try {
      const repositories = await ecr.listRepositories(clients.ecr, { signal: context.signal });
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
            })),
          ),
        );
        return;
      }
      context.stdout(
        table(
          ['NAME', 'SCAN ON PUSH', 'TAGS', 'ENCRYPTION', 'URI'],
          repositories.map((r) => [
            r.repositoryName ?? '',
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
