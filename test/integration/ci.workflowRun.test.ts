/**
 * The release pipeline, run: `npm pack` makes the CLI's package, it is installed into an empty folder with
 * `npm install --omit=dev` (nothing else is downloaded: every library is inside dist/cli/main.js), its own
 * `init-ci` writes the workflow, and the workflow's `run:` steps are executed in order as GitHub's runner would
 * (test/support/workflowRunner.ts) against the local AWS and the private Docker engine and registry: tags,
 * build for linux/amd64 and push, the findings gate, the deploy that follows the rollout, the job summary.
 *
 * What cannot run here is stood in for, and only that: `npx ecr-deploy@<version>` would download the published
 * package, so an `npx` on PATH runs the installed tarball instead (and fails on any other package or version);
 * the `uses:` steps (checkout, setup-node, configure-aws-credentials) leave what they would have left: the
 * checkout, Node on PATH, and credentials in AWS_* variables (the local AWS checks no signature).
 *
 * No Docker engine here: before() fails, so every test fails (never skips).
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { parse } from 'yaml';
import { REPO_ROOT } from '../support/cliProcess';
import { startDockerWorld, type DockerWorld } from '../support/docker';
import { startLocalAws, type LocalAws } from '../support/localAws';
import { REFERENCE } from '../support/referenceWorld';
import { runWorkflowJob } from '../support/workflowRunner';

const VERSION = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const ROLE = 'arn:aws:iam::123456789012:role/github-release';
const SHA = '0123456789abcdef0123456789abcdef01234567';

describe('the generated release workflow, run step by step against the local AWS and a real Docker engine', () => {
  let aws: LocalAws;
  let docker: DockerWorld;
  let dir: string;
  let installed: string;

  before(async () => {
    [aws, docker] = await Promise.all([startLocalAws({ args: [] }), startDockerWorld({ baseImageTag: 'busybox-base' })]);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-deploy-workflow-'));
    execFileSync('npm', ['pack', REPO_ROOT, '--pack-destination', dir, '--silent'], { cwd: dir, stdio: 'pipe' });
    installed = path.join(dir, 'installed');
    fs.mkdirSync(installed);
    fs.writeFileSync(path.join(installed, 'package.json'), '{"private": true}\n');
    execFileSync('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--offline', path.join(dir, `ecr-deploy-${VERSION}.tgz`)], { cwd: installed, stdio: 'pipe' });
  });
  after(async () => {
    await Promise.all([aws?.stop(), docker?.stop()]);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the package installs with no dependency to fetch and its ecr-deploy runs: --version, and repos against the local AWS', () => {
    assert.deepEqual(fs.readdirSync(path.join(installed, 'node_modules')).filter((n) => !n.startsWith('.')), ['ecr-deploy'], 'nothing but the package itself');
    const bin = path.join(installed, 'node_modules', '.bin', 'ecr-deploy');
    assert.equal(execFileSync(bin, ['--version'], { encoding: 'utf8' }), `${VERSION}\n`);
    // The package ships the bundle's V8 code cache, and this Node takes it (src/cliLauncher.ts).
    const launcher = path.join(installed, 'node_modules', 'ecr-deploy', 'dist', 'cli.js');
    assert.equal(execFileSync(process.execPath, ['-e', 'console.log(require(process.argv[1]).loadCli().cache)', launcher], { encoding: 'utf8' }).trim(), 'used');
    const repos = JSON.parse(execFileSync(bin, ['repos', '--endpoint-url', aws.endpoint, '--region', 'us-east-1', '--output', 'json'], { encoding: 'utf8', env: { ...process.env } })) as Array<{ repositoryName: string }>;
    assert.ok(repos.some((r) => r.repositoryName === REFERENCE.repository), JSON.stringify(repos));
  });

  it('a push to main: tags, build and push for linux/amd64, the findings gate, the deploy followed to success, and the summaries', async () => {
    const bin = path.join(installed, 'node_modules', '.bin', 'ecr-deploy');
    // The repository as actions/checkout leaves it: a Dockerfile at the root of the workspace.
    const workspace = path.join(dir, 'checkout');
    fs.mkdirSync(workspace);
    fs.writeFileSync(path.join(workspace, 'Dockerfile'), 'FROM busybox-base\nRUN echo release > /release.txt\nCMD ["sh", "-c", "while :; do cat /release.txt; sleep 5; done"]\n');
    execFileSync(bin, ['init-ci', '--provider', 'github', '--repository', REFERENCE.repository, '--cluster', REFERENCE.cluster, '--service', REFERENCE.service, '--role-arn', ROLE, '--region', 'us-east-1', '--dir', workspace], { encoding: 'utf8' });
    const workflow = parse(fs.readFileSync(path.join(workspace, '.github/workflows/release.yml'), 'utf8')) as Parameters<typeof runWorkflowJob>[0] & { env: Record<string, string> };
    assert.equal(workflow.env.ECR_DEPLOY, `npx --yes ecr-deploy@${VERSION}`);

    // npx, as far as this run needs it: the pinned version of ecr-deploy, from the installed tarball.
    const shims = path.join(dir, 'bin');
    fs.mkdirSync(shims);
    fs.writeFileSync(path.join(shims, 'npx'), `#!/bin/sh\n[ "$1" = --yes ] && shift\n[ "$1" = "ecr-deploy@${VERSION}" ] || { echo "npx: not this package: $1" >&2; exit 127; }\nshift\nexec "${bin}" "$@"\n`, { mode: 0o755 });
    const runnerTemp = path.join(dir, 'runner-temp');
    fs.mkdirSync(runnerTemp);
    const actions: string[] = [];
    const run = await runWorkflowJob(workflow, {
      job: 'release',
      eventName: 'push',
      workspace,
      runnerTemp,
      env: {
        PATH: `${shims}:${path.dirname(process.execPath)}:${process.env.PATH}`,
        HOME: process.env.HOME ?? dir,
        GITHUB_SHA: SHA,
        GITHUB_REF: 'refs/heads/main',
        GITHUB_REF_NAME: 'main',
        // What configure-aws-credentials exports, for the local AWS: it reads no signature.
        AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'example',
        AWS_SESSION_TOKEN: 'example',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_EC2_METADATA_DISABLED: 'true',
        // The job pointed at the local emulators, as a CI job against LocalStack would be.
        AWS_ENDPOINT_URL: aws.endpoint,
        ECR_DEPLOY_REGISTRY_ENDPOINT: docker.registry.endpoint,
        ...docker.env,
      },
      onAction(step) {
        actions.push(step.uses!);
        if (step.uses!.startsWith('aws-actions/configure-aws-credentials@')) assert.equal(step.with?.['role-to-assume'], ROLE, 'OpenID Connect with the role, no keys');
      },
    });
    const failed = run.steps.find((s) => s.outcome === 'failure');
    assert.equal(failed, undefined, failed && `${failed.name} failed:\n${failed.output}`);
    assert.deepEqual(run.steps.map((s) => [s.name, s.outcome]), [
      ['Check out', 'success'],
      ['Set up Node.js', 'success'],
      ['Configure AWS credentials (OpenID Connect)', 'success'],
      ['Choose image tags', 'success'],
      ['Build for linux/amd64 and push', 'success'],
      ['Scan findings gate', 'success'],
      ['Deploy to ECS', 'success'],
      ['Job summary', 'success'],
    ]);
    assert.deepEqual(actions.map((a) => a.split('@')[0]), ['actions/checkout', 'actions/setup-node', 'aws-actions/configure-aws-credentials']);
    const tag = `commit-${SHA.slice(0, 7)}`;
    assert.match(run.steps[4].output, new RegExp(`--platform linux/amd64[\\s\\S]*Pushed .*${tag}`));

    // The service runs the image the workflow built: its new revision names the commit tag.
    const [service] = (await aws.ecs.send(new DescribeServicesCommand({ cluster: REFERENCE.cluster, services: [REFERENCE.service] }))).services ?? [];
    const { taskDefinition } = await aws.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: service.taskDefinition }));
    assert.match(taskDefinition?.containerDefinitions?.find((c) => c.name === REFERENCE.container)?.image ?? '', new RegExp(`/${REFERENCE.repository}(:${tag}|@sha256:[0-9a-f]{64})$`));
    assert.match(run.steps[6].output, /Result: succeeded\./);

    // One summary: findings, the deploy's verdict with revision and console link, then the job's table.
    assert.match(run.summary, /### Scan findings of `quilt-mcp-server:commit-0123456/);
    assert.match(run.summary, /### Deploy to `sales-prod\/sales-prod-mcp-server-production`\n\n\| \| \|\n\| --- \| --- \|\n\| Verdict \| \*\*succeeded\*\*: /);
    assert.match(run.summary, /\| Revision \| mcp-server-production:\d+ → mcp-server-production:\d+ \|/);
    assert.match(run.summary, new RegExp(`## Release of ${REFERENCE.repository}\\n[\\s\\S]*\\| Image \\| \`${REFERENCE.repository}:${tag}\` \\(--tag ${tag}\\) \\|[\\s\\S]*\\| Deploy to sales-prod/sales-prod-mcp-server-production \\| success \\|`));
  });
});
