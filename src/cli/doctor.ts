/**
 * `ecr-deploy doctor`: why a service will not start or stay healthy, as checks (ok, problem, unknown) with
 * their evidence and next step. Read-only. Exit 1 when any check is a problem, 0 otherwise.
 */
import * as edge from '../aws/index';
import { diagnoseService } from '../app/doctor/diagnose';
import { hasProblem, reportText, type DoctorReport } from '../app/doctor/report';
import { isPhrased } from '../core/errors/named';
import { CommandError, UsageError, requireRegion, toJson, type CommandDefinition } from './framework';

export const doctorCommand: CommandDefinition = {
  name: 'doctor',
  summary: "Why a service will not start: its image, execution role, secrets, log group, platform, stopped tasks and health checks, each ok, problem or unknown.",
  usage: 'doctor --cluster C --service S [--output text|json]',
  options: { cluster: { type: 'string', short: 'c' }, service: { type: 'string', short: 's' } },
  optionHelp: [
    ['-c, --cluster NAME', 'ECS cluster (name or ARN, required)'],
    ['-s, --service NAME', 'ECS service (name or ARN, required)'],
  ],
  async run(context) {
    const cluster = context.values.cluster;
    const service = context.values.service;
    if (typeof cluster !== 'string' || !cluster.trim()) throw new UsageError('--cluster is required.');
    if (typeof service !== 'string' || !service.trim()) throw new UsageError('--service is required.');
    requireRegion(context);
    const clients = edge.createAwsClients(context.connection);
    let report: DoctorReport;
    try {
      report = await diagnoseService({ edge, clients }, { cluster: cluster.trim(), service: service.trim() }, { signal: context.signal });
    } catch (error) {
      if (isPhrased(error)) throw new CommandError(error.message);
      throw error;
    } finally {
      clients.destroy();
    }
    if (context.output === 'json') {
      context.stdout(
        toJson({
          cluster: report.cluster,
          service: report.service,
          taskDefinitionArn: report.taskDefinitionArn,
          checks: report.checks.map(({ id, status, message, evidence, next }) => ({ id, status, message, evidence, ...(next ? { next } : {}) })),
        }),
      );
    } else context.stdout(reportText(report));
    return hasProblem(report) ? 1 : 0;
  },
};
