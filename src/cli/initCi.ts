import * as fs from 'node:fs';
import * as path from 'node:path';
import { releaseWorkflowText, resolveWorkflowOptions, writeReleaseWorkflow, type WorkflowFiles } from '../app/ci/releaseWorkflow';
import { isErrorNamed } from '../core/errors/named';
import { ECR_DEPLOY_VERSION } from '../core/version';
import { CommandError, toJson, UsageError, type CommandDefinition } from './framework';

export const nodeWorkflowFiles: WorkflowFiles = {
  exists: async (file) => fs.existsSync(file),
  async write(file, text) {
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    await fs.promises.writeFile(file, text, 'utf8');
  },
};

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

export const initCiCommand: CommandDefinition = {
  name: 'init-ci',
  summary: 'Write the release workflow (.github/workflows/release.yml): OIDC, build for linux/amd64, push, findings gate, deploy.',
  usage: 'init-ci --provider github --repository R --cluster C --service S --role-arn ARN [--region REGION] [--dockerfile F] [--dir DIR] [--fail-on SEVERITY] [--pull-requests] [--force]',
  options: {
    provider: { type: 'string' },
    repository: { type: 'string' },
    cluster: { type: 'string' },
    service: { type: 'string' },
    'role-arn': { type: 'string' },
    dockerfile: { type: 'string' },
    dir: { type: 'string' },
    'fail-on': { type: 'string' },
    'pull-requests': { type: 'boolean' },
    force: { type: 'boolean' },
  },
  optionHelp: [
    ['--provider github', 'The CI to write for (github, the only one)'],
    ['--repository R', 'ECR repository the workflow pushes to'],
    ['--cluster C', 'ECS cluster'],
    ['--service S', 'ECS service the workflow deploys'],
    ['--role-arn ARN', 'IAM role assumed with GitHub OpenID Connect (no static keys)'],
    ['--dockerfile F', 'Dockerfile, relative to the repository (default: Dockerfile; the context is its folder)'],
    ['--dir DIR', 'Repository root to write into (default: .)'],
    ['--fail-on SEVERITY', 'Findings gate of the workflow (default: critical)'],
    ['--pull-requests', 'Also run on pull requests to main: push pr-N and gate, never deploy'],
    ['--force', 'Replace an existing release.yml'],
  ],
  async run(context) {
    const v = context.values;
    if (text(v.provider) === undefined) throw new UsageError('--provider is required (github).');
    let options;
    try {
      options = resolveWorkflowOptions({
        provider: text(v.provider),
        repository: text(v.repository),
        cluster: text(v.cluster),
        service: text(v.service),
        roleArn: text(v['role-arn']),
        region: context.connection.region,
        dockerfile: text(v.dockerfile),
        failOn: text(v['fail-on']),
        pullRequests: v['pull-requests'] === true,
        version: ECR_DEPLOY_VERSION,
      });
    } catch (error) {
      if (isErrorNamed(error, 'WorkflowOptionsError')) throw new UsageError(error.message);
      throw error;
    }
    const root = path.resolve(text(v.dir) ?? '.');
    if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new UsageError(`--dir ${root} is not a folder.`);
    const workflow = releaseWorkflowText(options);
    // GitHub's own parser, before anything is written: a workflow it would reject never lands in the repository.
    // Loaded here, not with the command table: no other command pays for it.
    const { workflowProblems } = await import('../app/ci/workflowCheck');
    const problems = workflowProblems(workflow);
    if (problems.length) throw new CommandError(`GitHub's workflow parser rejects the generated workflow: ${problems.join(' ')}`);
    try {
      const written = await writeReleaseWorkflow({ root, text: workflow, force: v.force === true, join: path.join }, nodeWorkflowFiles);
      if (context.output === 'json') context.stdout(toJson({ path: written.path, replaced: written.replaced, version: options.version }));
      else context.stdout(`${written.replaced ? 'Replaced' : 'Wrote'} ${written.path} (ecr-deploy ${options.version}).\n`);
    } catch (error) {
      if (isErrorNamed(error, 'WorkflowExistsError')) throw new CommandError(error.message);
      throw error;
    }
  },
};
