/**
 * The reference workflow's release pipeline as a GitHub Actions workflow, for both shells
 * (`ecr-deploy init-ci`, Create Release Workflow...): options in, the file's text out, then a write step
 * that never replaces an existing file unless forced.
 *
 * The workflow signs in to AWS with OpenID Connect (`id-token: write` and configure-aws-credentials with
 * `role-to-assume`; never static keys), builds for linux/amd64 and pushes with the reference tags
 * (`commit-<sha7>` always, the version and `latest` on a `v*` tag, `pr-N` for pull requests when asked),
 * gates on the scan findings, deploys with `--rollback-on-failure` (a failed rollout fails the job) and
 * writes a job summary. Every step runs one pinned `ecr-deploy` version.
 */
import { stringify } from 'yaml';
import { SEVERITIES, type Severity } from '../../core/scan/severity';

export const WORKFLOW_PATH = '.github/workflows/release.yml';
export const CHECKOUT_ACTION = 'actions/checkout@v4';
export const SETUP_NODE_ACTION = 'actions/setup-node@v4';
export const AWS_CREDENTIALS_ACTION = 'aws-actions/configure-aws-credentials@v4';

export interface ReleaseWorkflowOptions {
  provider: 'github';
  /** ECR repository name. */
  repository: string;
  cluster: string;
  service: string;
  /** The IAM role the workflow assumes through GitHub's OpenID Connect provider. */
  roleArn: string;
  region: string;
  /** Relative to the repository root, `/`-separated. */
  dockerfile: string;
  /** The build context, relative to the repository root. */
  context: string;
  /** The findings gate: the job fails on a finding at or above. */
  failOn: Severity;
  /** Also run on pull requests to main: build, push `pr-N` and gate, never deploy. */
  pullRequests: boolean;
  /** The `ecr-deploy` version every step runs (`npx ecr-deploy@<version>`). */
  version: string;
}

export type ReleaseWorkflowInput = Partial<Omit<ReleaseWorkflowOptions, 'failOn' | 'provider'>> & { provider?: string; failOn?: string };

export const DEFAULTS = { provider: 'github', dockerfile: 'Dockerfile', context: '.', failOn: 'CRITICAL' as Severity, pullRequests: false } as const;

/** Bad options: what is wrong with each, so the CLI can exit 2 and the editor can re-ask. */
export class WorkflowOptionsError extends Error {
  override name = 'WorkflowOptionsError';
  constructor(readonly problems: string[]) {
    super(problems.join(' '));
  }
}

/** There is already a workflow at the path and `force` was not given. */
export class WorkflowExistsError extends Error {
  override name = 'WorkflowExistsError';
  constructor(readonly path: string) {
    super(`${path} already exists; pass --force to replace it.`);
  }
}

const ECR_REPOSITORY = /^(?=.{2,256}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const ECS_NAME = /^[A-Za-z0-9_-]{1,255}$/;
const ROLE_ARN = /^arn:aws(?:-[a-z]+)*:iam::\d{12}:role\/[A-Za-z0-9+=,.@_/-]{1,512}$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
const VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

/** A relative path inside the repository: no `..`, not absolute, nothing a shell or YAML would read twice. */
function relativePathProblem(flag: string, value: string): string | undefined {
  const path = value.replace(/\\/g, '/');
  if (!/^[A-Za-z0-9._/@+-]+$/.test(path)) return `${flag} must be a path relative to the repository with letters, digits and ._/@+- only, not "${value}".`;
  if (path.startsWith('/') || path.split('/').includes('..')) return `${flag} must stay inside the repository (relative, no ".."), not "${value}".`;
  return undefined;
}

function normalizePath(value: string): string {
  const cleaned = value.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  return cleaned === '' ? '.' : cleaned;
}

/** Checks and completes the options; throws WorkflowOptionsError listing every problem. */
export function resolveWorkflowOptions(input: ReleaseWorkflowInput): ReleaseWorkflowOptions {
  const problems: string[] = [];
  const text = (value: string | undefined) => (value ?? '').trim();
  const provider = text(input.provider) || DEFAULTS.provider;
  if (provider !== 'github') problems.push(`--provider must be github (the only CI this version writes), not "${provider}".`);
  const repository = text(input.repository);
  const cluster = text(input.cluster);
  const service = text(input.service);
  const roleArn = text(input.roleArn);
  const region = text(input.region);
  if (!repository) problems.push('--repository is required.');
  else if (!ECR_REPOSITORY.test(repository)) problems.push(`--repository "${repository}" is not an ECR repository name (lowercase letters, digits, . _ - and / between parts).`);
  for (const [flag, value] of [['--cluster', cluster], ['--service', service]] as const) {
    if (!value) problems.push(`${flag} is required.`);
    else if (!ECS_NAME.test(value)) problems.push(`${flag} "${value}" is not an ECS name (letters, digits, - and _).`);
  }
  if (!roleArn) problems.push('--role-arn is required: the IAM role GitHub\'s OpenID Connect provider may assume (arn:aws:iam::ACCOUNT:role/NAME).');
  else if (!ROLE_ARN.test(roleArn)) problems.push(`--role-arn "${roleArn}" is not an IAM role ARN (arn:aws:iam::123456789012:role/NAME).`);
  if (!region) problems.push('a region is required: pass --region (or set AWS_REGION).');
  else if (!REGION.test(region)) problems.push(`--region "${region}" is not an AWS region (like us-east-1).`);
  const dockerfile = normalizePath(text(input.dockerfile) || DEFAULTS.dockerfile);
  // The build context: given, else the Dockerfile's folder (as `ecr-deploy findings` reads it).
  const context = normalizePath(text(input.context) || (dockerfile.includes('/') ? dockerfile.slice(0, dockerfile.lastIndexOf('/')) : DEFAULTS.context));
  for (const [flag, value] of [['--dockerfile', dockerfile], ['--context', context]] as const) {
    const problem = relativePathProblem(flag, value);
    if (problem) problems.push(problem);
  }
  const failOnText = text(input.failOn) || DEFAULTS.failOn;
  const failOn = SEVERITIES.find((s) => s === failOnText.toUpperCase());
  if (!failOn) problems.push(`--fail-on must be one of ${SEVERITIES.join(', ').toLowerCase()}, not "${failOnText}".`);
  const version = text(input.version);
  if (!VERSION.test(version)) problems.push(`the ecr-deploy version to pin must be a semantic version, not "${version}".`);
  if (problems.length) throw new WorkflowOptionsError(problems);
  return { provider: 'github', repository, cluster, service, roleArn, region, dockerfile, context, failOn: failOn!, pullRequests: input.pullRequests === true, version };
}

/** The shell of the step that picks the tags: one `--tag` per line of `$GITHUB_OUTPUT`'s `args`. */
const TAGS_SCRIPT = `set -euo pipefail
primary="commit-\${GITHUB_SHA::7}"
tags="$primary"
if [ "$GITHUB_EVENT_NAME" = pull_request ]; then
  tags="$tags pr-$PR_NUMBER"
fi
case "$GITHUB_REF" in
  refs/tags/v*) tags="$tags $GITHUB_REF_NAME latest" ;;
esac
args=""
for tag in $tags; do args="$args --tag $tag"; done
echo "primary=$primary" >> "$GITHUB_OUTPUT"
echo "args=\${args# }" >> "$GITHUB_OUTPUT"
echo "Image tags: $tags"
`;

const SUMMARY_SCRIPT = `{
  echo "## Release of $ECR_REPOSITORY"
  echo ""
  echo "| | |"
  echo "| --- | --- |"
  echo "| Image | \\\`$ECR_REPOSITORY:$PRIMARY_TAG\\\` ($TAG_ARGS) |"
  echo "| Build and push | $BUILD_OUTCOME |"
  echo "| Findings gate (fail on $FAIL_ON) | $FINDINGS_OUTCOME |"
  echo "| Deploy to $ECS_CLUSTER/$ECS_SERVICE | $DEPLOY_OUTCOME |"
} >> "$GITHUB_STEP_SUMMARY"
`;

/** The workflow as data: what `releaseWorkflowText` writes and what a test can read back. */
export function releaseWorkflow(options: ReleaseWorkflowOptions): Record<string, unknown> {
  const cli = `npx --yes ecr-deploy@${options.version}`;
  const source = `--dockerfile "$DOCKERFILE" --context "$BUILD_CONTEXT"`;
  const on: Record<string, unknown> = { push: { branches: ['main'], tags: ['v*'] } };
  if (options.pullRequests) on.pull_request = { branches: ['main'] };
  on.workflow_dispatch = {};
  const notPullRequest = "github.event_name != 'pull_request'";
  return {
    name: 'Release',
    on,
    permissions: { 'id-token': 'write', contents: 'read' },
    concurrency: { group: 'release-${{ github.ref }}', 'cancel-in-progress': false },
    env: {
      AWS_REGION: options.region,
      ECR_REPOSITORY: options.repository,
      ECS_CLUSTER: options.cluster,
      ECS_SERVICE: options.service,
      DOCKERFILE: options.dockerfile,
      BUILD_CONTEXT: options.context,
      FAIL_ON: options.failOn.toLowerCase(),
      ECR_DEPLOY: cli,
    },
    jobs: {
      release: {
        name: 'Build, scan and deploy',
        'runs-on': 'ubuntu-latest',
        'timeout-minutes': 45,
        steps: [
          { name: 'Check out', uses: CHECKOUT_ACTION },
          { name: 'Set up Node.js', uses: SETUP_NODE_ACTION, with: { 'node-version': 20 } },
          {
            name: 'Configure AWS credentials (OpenID Connect)',
            uses: AWS_CREDENTIALS_ACTION,
            with: { 'role-to-assume': options.roleArn, 'aws-region': '${{ env.AWS_REGION }}' },
          },
          { name: 'Choose image tags', id: 'tags', env: { PR_NUMBER: '${{ github.event.pull_request.number }}' }, run: TAGS_SCRIPT },
          {
            name: 'Build for linux/amd64 and push',
            id: 'build',
            env: { TAG_ARGS: '${{ steps.tags.outputs.args }}' },
            run: `$ECR_DEPLOY build-and-push --repository "$ECR_REPOSITORY" $TAG_ARGS ${source} --platform linux/amd64`,
          },
          {
            name: 'Scan findings gate',
            id: 'findings',
            env: { PRIMARY_TAG: '${{ steps.tags.outputs.primary }}' },
            run: `$ECR_DEPLOY findings --repository "$ECR_REPOSITORY" --tag "$PRIMARY_TAG" ${source} --scan --fail-on "$FAIL_ON"`,
          },
          {
            name: 'Deploy to ECS',
            id: 'deploy',
            if: notPullRequest,
            env: { PRIMARY_TAG: '${{ steps.tags.outputs.primary }}' },
            run: '$ECR_DEPLOY deploy --cluster "$ECS_CLUSTER" --service "$ECS_SERVICE" --tag "$PRIMARY_TAG" --rollback-on-failure',
          },
          {
            name: 'Job summary',
            if: 'always()',
            env: {
              PRIMARY_TAG: '${{ steps.tags.outputs.primary }}',
              TAG_ARGS: '${{ steps.tags.outputs.args }}',
              BUILD_OUTCOME: '${{ steps.build.outcome }}',
              FINDINGS_OUTCOME: '${{ steps.findings.outcome }}',
              DEPLOY_OUTCOME: '${{ steps.deploy.outcome }}',
            },
            run: SUMMARY_SCRIPT,
          },
        ],
      },
    },
  };
}

/** The file's text: a header that says where it came from, then the workflow. */
export function releaseWorkflowText(options: ReleaseWorkflowOptions): string {
  const header = [
    `# Written by ecr-deploy ${options.version} (ecr-deploy init-ci / Create Release Workflow...).`,
    '# Signs in with OpenID Connect: the role must trust token.actions.githubusercontent.com for this repository.',
    '# Tags: commit-<sha7> always; the version and latest on a v* tag' + (options.pullRequests ? '; pr-N on pull requests.' : '.'),
  ].join('\n');
  return `${header}\n${stringify(releaseWorkflow(options), { lineWidth: 0 })}`;
}

/** What the write step needs of a file system (node:fs in the CLI, workspace.fs in the editor). */
export interface WorkflowFiles {
  exists(path: string): Promise<boolean>;
  /** Creates the parent folders. */
  write(path: string, text: string): Promise<void>;
}

export interface WriteRequest {
  /** The repository root; the workflow goes to `<root>/.github/workflows/release.yml`. */
  root: string;
  text: string;
  force: boolean;
  join(...parts: string[]): string;
}

/** Writes the workflow; refuses (WorkflowExistsError) when a file is there and `force` is not set. */
export async function writeReleaseWorkflow(request: WriteRequest, files: WorkflowFiles): Promise<{ path: string; replaced: boolean }> {
  const target = request.join(request.root, ...WORKFLOW_PATH.split('/'));
  const existed = await files.exists(target);
  if (existed && !request.force) throw new WorkflowExistsError(target);
  await files.write(target, request.text);
  return { path: target, replaced: existed };
}
