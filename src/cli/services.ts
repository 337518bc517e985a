// The ECR or ECS edge and the clients, not ../aws/index: this command loads no other SDK package.
import { createAwsClients } from '../aws/clients';
import * as ecs from '../aws/ecs';
import { primaryDeployment, taskDefinitionLabel } from '../core/ecs/serviceSummary';
import { requireRegion, table, toJson, UsageError, type CommandDefinition } from './framework';

export const servicesCommand: CommandDefinition = {
  name: 'services',
  summary: 'List the services of an ECS cluster with their deployments (every page).',
  usage: 'services --cluster NAME [--output json|text]',
  options: { cluster: { type: 'string', short: 'c' } },
  optionHelp: [['-c, --cluster NAME', 'Cluster name or ARN (required)']],
  async run(context) {
    requireRegion(context);
    const cluster = context.values.cluster;
    if (typeof cluster !== 'string' || !cluster) throw new UsageError('--cluster is required.');
    const clients = createAwsClients(context.connection);
    try {
      const services = await ecs.listServices(clients.ecs, cluster, { signal: context.signal });
      if (context.output === 'json') {
        context.stdout(
          toJson(
            services.map((s) => ({
              serviceName: s.serviceName,
              serviceArn: s.serviceArn,
              status: s.status,
              taskDefinition: s.taskDefinition,
              desiredCount: s.desiredCount,
              runningCount: s.runningCount,
              pendingCount: s.pendingCount,
              launchType: s.launchType,
              deployments: (s.deployments ?? []).map((d) => ({
                id: d.id,
                status: d.status,
                taskDefinition: d.taskDefinition,
                desiredCount: d.desiredCount,
                runningCount: d.runningCount,
                pendingCount: d.pendingCount,
                failedTasks: d.failedTasks,
                rolloutState: d.rolloutState,
                rolloutStateReason: d.rolloutStateReason,
                createdAt: d.createdAt,
                updatedAt: d.updatedAt,
              })),
            })),
          ),
        );
        return;
      }
      context.stdout(
        table(
          ['NAME', 'STATUS', 'RUNNING', 'TASK DEFINITION', 'ROLLOUT', 'DEPLOYMENTS'],
          services.map((s) => [
            s.serviceName ?? '',
            s.status ?? '',
            `${s.runningCount ?? 0}/${s.desiredCount ?? 0}`,
            taskDefinitionLabel(s.taskDefinition),
            primaryDeployment(s)?.rolloutState ?? '-',
            String(s.deployments?.length ?? 0),
          ]),
        ),
      );
    } finally {
      clients.destroy();
    }
  },
};
