/**
 * `ecr-deploy check`: the deploy readiness checks before a deploy, on a Dockerfile, a task definition (a file,
 * or the revision a service runs) and its ECR repositories. Exit 1 when a finding is at or above --fail-on
 * (default error), 0 otherwise, 2 on bad flags. Read-only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as edge from '../aws/index';
import { checkReadiness, type ReadinessAccess, type TextInput } from '../app/readiness/checkReadiness';
import { isPhrased } from '../core/errors/named';
import type { ReadinessSeverity } from '../core/readiness/finding';
import { countAtOrAbove, readinessToSarif, textLine, toRow } from '../core/readiness/report';
import { RULE_IDS } from '../core/readiness/rules';
import { plural } from '../core/text/format';
import { ECR_DEPLOY_VERSION } from '../core/version';
import { CommandError, requireRegion, toJson, UsageError, type CommandContext, type CommandDefinition } from './framework';

/** The extension's default for `ecrDeploy.deploy.protectedServices`: the CLI judges services alike. */
const PROTECTED_SERVICES = '*prod*';
const SEVERITIES: readonly ReadinessSeverity[] = ['error', 'warning', 'info'];

function stringOption(context: CommandContext, name: string): string | undefined {
  const value = context.values[name];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function readInput(file: string, what: string, flag: string): TextInput {
  try {
    return { file, text: fs.readFileSync(path.resolve(file), 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read the ${what} ${file} (${code ?? 'error'}): check ${flag}.`);
  }
}

export const checkCommand: CommandDefinition = {
  name: 'check',
  summary: 'Deploy readiness: check a Dockerfile, a task definition (or a service\'s deployed revision) and its ECR repositories before a deploy.',
  usage: 'check [--dockerfile F] [--task-definition FILE | --cluster C --service S] [--repository R] [--fail-on error|warning] [--ignore RULE] [--output text|json|sarif]',
  extraOutputs: ['sarif'],
  options: {
    dockerfile: { type: 'string' },
    'task-definition': { type: 'string' },
    cluster: { type: 'string' },
    service: { type: 'string' },
    repository: { type: 'string' },
    'fail-on': { type: 'string' },
    ignore: { type: 'string', multiple: true },
  },
  optionHelp: [
    ['--dockerfile F', 'The Dockerfile (default: ./Dockerfile when nothing else is named)'],
    ['--task-definition FILE', 'A task definition JSON file (a RegisterTaskDefinition input or describe-task-definition output)'],
    ['--cluster C --service S', 'Check the revision the service runs, its images\' platforms and their ECR repositories'],
    ['--repository R', 'Check this ECR repository (default: the task definition\'s ECR repositories)'],
    ['--fail-on error|warning', 'Exit 1 when a finding is at or above this severity (default: error)'],
    ['--ignore RULE', 'Leave out a rule (repeatable): --ignore taskdef/no-health-check'],
    ['--output sarif', 'SARIF 2.1.0 for GitHub code scanning, paths relative to the repository (GITHUB_WORKSPACE, else the current folder)'],
  ],
  async run(context) {
    const failOnText = stringOption(context, 'fail-on') ?? 'error';
    if (failOnText !== 'error' && failOnText !== 'warning') throw new UsageError(`--fail-on must be error or warning, not "${failOnText}".`);
    const failOn: ReadinessSeverity = failOnText;
    const ignore = (Array.isArray(context.values.ignore) ? context.values.ignore : []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
    const unknown = ignore.find((rule) => !RULE_IDS.has(rule));
    if (unknown) throw new UsageError(`--ignore: no rule "${unknown}". Rules: ${[...RULE_IDS].join(', ')}.`);

    const cluster = stringOption(context, 'cluster');
    const service = stringOption(context, 'service');
    const taskDefinitionFile = stringOption(context, 'task-definition');
    const repository = stringOption(context, 'repository');
    let dockerfileFile = stringOption(context, 'dockerfile');
    if (Boolean(cluster) !== Boolean(service)) throw new UsageError('give --cluster and --service together.');
    if (taskDefinitionFile && service) throw new UsageError('give either --task-definition or --cluster and --service, not both.');
    if (!dockerfileFile && !taskDefinitionFile && !service && !repository) {
      if (!fs.existsSync('Dockerfile')) throw new UsageError('nothing to check: pass --dockerfile, --task-definition, --cluster and --service, or --repository.');
      dockerfileFile = 'Dockerfile';
    }
    const dockerfile = dockerfileFile ? readInput(dockerfileFile, 'Dockerfile', '--dockerfile') : undefined;
    const taskDefinition = taskDefinitionFile ? readInput(taskDefinitionFile, 'task definition', '--task-definition') : undefined;

    // AWS only for what lives there: files alone are checked offline (and an image's platform is then not read).
    const needsAws = Boolean(service || repository);
    if (needsAws) requireRegion(context);
    const clients = needsAws ? edge.createAwsClients(context.connection) : undefined;
    const access: ReadinessAccess | undefined = clients ? { edge, clients } : undefined;
    let report;
    try {
      report = await checkReadiness(
        access,
        { dockerfile, taskDefinition, service: service ? { cluster: cluster!, service } : undefined, repositories: repository ? [repository] : undefined, ignore, protectedServices: PROTECTED_SERVICES },
        { signal: context.signal },
      );
    } catch (error) {
      if (isPhrased(error)) throw new CommandError(error.message);
      throw error;
    } finally {
      clients?.destroy();
    }
    const { findings } = report;

    if (context.output === 'json') {
      context.stdout(toJson(findings.map(toRow)));
    } else if (context.output === 'sarif') {
      // SARIF paths are relative to the repository root; AWS resources stay names (logical locations).
      const root = path.resolve(context.env?.GITHUB_WORKSPACE || '.');
      const inRoot = new Map([dockerfile?.file, taskDefinition?.file].filter((f): f is string => Boolean(f)).map((f) => [f, path.relative(root, path.resolve(f)).split(path.sep).join('/')]));
      const placed = findings.map((f) => ({ ...f, file: inRoot.get(f.file) ?? f.file }));
      const files = new Set(inRoot.values());
      context.stdout(toJson(readinessToSarif(placed, { toolVersion: ECR_DEPLOY_VERSION, isFile: (f) => files.has(f) })));
    } else {
      for (const f of findings) context.stdout(`${textLine(f)}\n`);
      const checked = [dockerfile?.file, taskDefinition?.file, report.revision ? `${report.revision.label} (the revision ${report.revision.serviceName} runs)` : undefined, ...report.repositories.map((r) => `repository ${r}`)].filter(Boolean);
      const counts = SEVERITIES.map((s) => (s === 'info' ? `${findings.filter((f) => f.severity === s).length} info` : plural(findings.filter((f) => f.severity === s).length, s))).join(', ');
      context.stdout(`${plural(findings.length, 'finding')} (${counts}) in ${checked.join(', ')}.\n`);
    }
    for (const note of report.notes) context.stderr(`ecr-deploy check: ${note}\n`);
    const failing = countAtOrAbove(findings, failOn);
    if (failing > 0) {
      context.stderr(`ecr-deploy check: ${plural(failing, 'finding')} at or above ${failOn}.\n`);
      return 1;
    }
    return 0;
  },
};
