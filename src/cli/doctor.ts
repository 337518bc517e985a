/**
 * `ecr-deploy doctor`: why a service will not start or stay healthy, as checks (ok, problem, unknown) with
 * their evidence and next step. Read-only. Exit 1 when any check is a problem, 0 otherwise.
 */
import * as edge from '../aws/index';
import { diagnoseService } from '../app/doctor/diagnose';
import { hasProblem, reportText, type DoctorReport } from '../app/doctor/report';
import { requiredServiceRef, toJson, withAwsClients, type CommandDefinition } from './framework';

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
    const ref = requiredServiceRef(context);
    const report: DoctorReport = await withAwsClients(context, edge, (access) => diagnoseService(access, ref, { signal: context.signal }));
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
