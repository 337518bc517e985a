/**
 * `ecr-deploy continue`: answers the PAUSE lifecycle hook that holds a service's deployment, CONTINUE
 * (the default) or ROLLBACK. Exit 1 when nothing is paused: a pipeline step that expected a pause
 * should not pass quietly.
 */
import * as edge from '../aws/index';
import { answerPausedDeployment } from '../app/deploy/pausedDeployment';
import { CommandError, requireRegion, toJson, UsageError, type CommandDefinition } from './framework';

export const continueCommand: CommandDefinition = {
  name: 'continue',
  summary: 'Continue (or with --rollback, roll back) the deployment a PAUSE lifecycle hook holds.',
  usage: 'continue --cluster C --service S [--rollback]',
  options: { cluster: { type: 'string' }, service: { type: 'string' }, rollback: { type: 'boolean' } },
  optionHelp: [
    ['--cluster NAME', 'ECS cluster (name or ARN)'],
    ['--service NAME', 'ECS service (name or ARN)'],
    ['--rollback', 'Roll the paused deployment back instead of continuing it'],
  ],
  async run(context) {
    const cluster = typeof context.values.cluster === 'string' ? context.values.cluster.trim() : '';
    const service = typeof context.values.service === 'string' ? context.values.service.trim() : '';
    if (!cluster) throw new UsageError('--cluster is required.');
    if (!service) throw new UsageError('--service is required.');
    requireRegion(context);
    const action = context.values.rollback ? 'ROLLBACK' : 'CONTINUE';
    const clients = edge.createAwsClients(context.connection);
    try {
      const answer = await answerPausedDeployment({ edge, clients }, { cluster, service }, action, { signal: context.signal });
      if (answer.kind !== 'answered') throw new CommandError(answer.why);
      const { serviceDeploymentArn, hook } = answer.paused;
      if (context.output === 'json') {
        context.stdout(toJson({ cluster, service, serviceDeploymentArn, hookId: hook.hookId, lifecycleStage: hook.stage ?? null, action }));
      } else {
        context.stdout(`${action === 'CONTINUE' ? 'Continued' : 'Rolling back'} ${service}: the deployment held at ${hook.stage ?? 'its hook'} (${serviceDeploymentArn}).\n`);
      }
      return 0;
    } finally {
      clients.destroy();
    }
  },
};
