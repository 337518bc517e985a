import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import {
  AWS_CREDENTIALS_ACTION,
  CHECKOUT_ACTION,
  releaseWorkflowText,
  resolveWorkflowOptions,
  WORKFLOW_PATH,
  writeReleaseWorkflow,
  type ReleaseWorkflowInput,
  type WorkflowFiles,
} from '../../src/app/ci/releaseWorkflow';
import { ECR_DEPLOY_VERSION } from '../../src/core/version';
import { REPO_ROOT } from '../support/cliProcess';
import { workflowErrors } from '../support/workflowParser';

const BASE: ReleaseWorkflowInput = {
  repository: 'quilt-mcp-server',
  cluster: 'sales-prod',
  service: 'sales-prod-mcp-server-production',
  roleArn: 'arn:aws:iam::123456789012:role/github-release',
  region: 'us-east-1',
  version: '1.2.3',
};

interface Step {
  name: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  env: Record<string, string>;
  jobs: { release: { steps: Step[] } };
}

const generate = (input: Partial<ReleaseWorkflowInput> = {}) => releaseWorkflowText(resolveWorkflowOptions({ ...BASE, ...input }));
const parsed = (input: Partial<ReleaseWorkflowInput> = {}) => parse(generate(input)) as Workflow;
const stepNamed = (workflow: Workflow, id: string) => workflow.jobs.release.steps.find((s) => s.id === id)!;


describe('release workflow generator', () => {
  it('triggers on push to main, v* tags and manual dispatch; pull requests only when asked', () => {
    const workflow = parsed();
    assert.deepEqual(workflow.on, { push: { branches: ['main'], tags: ['v*'] }, workflow_dispatch: {} });
    assert.deepEqual(parsed({ pullRequests: true }).on.pull_request, { branches: ['main'] });
  });

  it('signs in with OpenID Connect only: id-token write, contents read, role-to-assume and aws-region, no keys', () => {
    const workflow = parsed();
    assert.deepEqual(workflow.permissions, { 'id-token': 'write', contents: 'read' });
    const steps = workflow.jobs.release.steps;
    assert.equal(steps[0].uses, CHECKOUT_ACTION);
    const credentials = steps.find((s) => s.uses === AWS_CREDENTIALS_ACTION)!;
    assert.deepEqual(credentials.with, { 'role-to-assume': BASE.roleArn, 'aws-region': '${{ env.AWS_REGION }}' });
    assert.equal(workflow.env.AWS_REGION, 'us-east-1');
    assert.doesNotMatch(generate(), /aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/);
  });

  it('runs build-and-push (linux/amd64), the findings gate, then deploy with --rollback-on-failure, with one pinned version', () => {
    const workflow = parsed({ failOn: 'high' });
    const runs = workflow.jobs.release.steps.filter((s) => s.run).map((s) => s.id ?? s.name);
    assert.deepEqual(runs, ['tags', 'build', 'findings', 'deploy', 'Job summary']);
    assert.equal(workflow.env.ECR_DEPLOY, 'npx --yes ecr-deploy@1.2.3');
    assert.match(stepNamed(workflow, 'build').run!, /^\$ECR_DEPLOY build-and-push --repository "\$ECR_REPOSITORY" \$TAG_ARGS .*--platform linux\/amd64$/);
    assert.match(stepNamed(workflow, 'findings').run!, /^\$ECR_DEPLOY findings .*--tag "\$PRIMARY_TAG" .*--fail-on "\$FAIL_ON"$/);
    assert.equal(workflow.env.FAIL_ON, 'high');
    const deploy = stepNamed(workflow, 'deploy');
    assert.match(deploy.run!, /^\$ECR_DEPLOY deploy --cluster "\$ECS_CLUSTER" --service "\$ECS_SERVICE" --tag "\$PRIMARY_TAG" --rollback-on-failure$/);
    assert.equal(deploy.if, "github.event_name != 'pull_request'");
    const summary = workflow.jobs.release.steps.at(-1)!;
    assert.equal(summary.if, 'always()');
    assert.match(summary.run!, /GITHUB_STEP_SUMMARY/);
    assert.equal(parsed({ failOn: undefined }).env.FAIL_ON, 'critical', 'the gate defaults to critical');
  });

  it('puts the Dockerfile and its folder (the context) in the environment of the steps', () => {
    assert.deepEqual([parsed().env.DOCKERFILE, parsed().env.BUILD_CONTEXT], ['Dockerfile', '.']);
    const nested = parsed({ dockerfile: './services/api/Dockerfile' });
    assert.deepEqual([nested.env.DOCKERFILE, nested.env.BUILD_CONTEXT], ['services/api/Dockerfile', 'services/api']);
  });

  it('chooses the reference tags in its shell: commit-<sha7> always, the version and latest on v*, pr-N on pull requests', async () => {
    const { execFileSync } = await import('node:child_process');
    const script = stepNamed(parsed({ pullRequests: true }), 'tags').run!;
    const tagsFor = (env: Record<string, string>) => {
      const output = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tags-')), 'out');
      fs.writeFileSync(output, '');
      execFileSync('bash', ['-c', script], { env: { PATH: process.env.PATH, GITHUB_SHA: 'abc1234def5678', GITHUB_OUTPUT: output, GITHUB_REF: 'refs/heads/main', GITHUB_REF_NAME: 'main', GITHUB_EVENT_NAME: 'push', ...env } });
      return Object.fromEntries(fs.readFileSync(output, 'utf8').trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    };
    assert.deepEqual(tagsFor({}), { primary: 'commit-abc1234', args: '--tag commit-abc1234' });
    assert.deepEqual(tagsFor({ GITHUB_REF: 'refs/tags/v1.0.0', GITHUB_REF_NAME: 'v1.0.0' }), { primary: 'commit-abc1234', args: '--tag commit-abc1234 --tag v1.0.0 --tag latest' });
    assert.deepEqual(tagsFor({ GITHUB_EVENT_NAME: 'pull_request', PR_NUMBER: '123', GITHUB_REF: 'refs/pull/123/merge' }), { primary: 'commit-abc1234', args: '--tag commit-abc1234 --tag pr-123' });
  });

  it('parses with GitHub\'s own workflow parser with no error, for each option', () => {
    for (const input of [{}, { pullRequests: true }, { dockerfile: 'services/api/Dockerfile', failOn: 'medium' }, { region: 'eu-west-3', repository: 'team/api' }]) {
      assert.deepEqual(workflowErrors(generate(input)), [], JSON.stringify(input));
    }
    assert.notDeepEqual(workflowErrors('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - bogus: 1\n'), [], 'the parser does report a broken workflow');
  });

  it('refuses bad input, naming every problem', () => {
    assert.throws(
      () => resolveWorkflowOptions({ ...BASE, provider: 'gitlab', repository: 'Has Space', cluster: '', roleArn: 'arn:aws:iam::1:user/me', region: 'mars', dockerfile: '../Dockerfile', failOn: 'urgent' }),
      (error: Error & { problems?: string[] }) => {
        assert.equal(error.name, 'WorkflowOptionsError');
        assert.equal(error.problems!.length, 8, error.message); // the context (the Dockerfile's folder, "..") too
        return true;
      },
    );
    assert.throws(() => resolveWorkflowOptions({ ...BASE, dockerfile: 'Dockerfile\nrun: evil' }), /--dockerfile/);
    assert.throws(() => resolveWorkflowOptions({ ...BASE, version: 'latest' }), /semantic version/);
  });

  it('never replaces an existing workflow without force', async () => {
    const written = new Map<string, string>([['/repo/.github/workflows/release.yml', 'old']]);
    const files: WorkflowFiles = { exists: async (p) => written.has(p), write: async (p, t) => void written.set(p, t) };
    const request = { root: '/repo', text: 'new', force: false, join: path.posix.join };
    await assert.rejects(writeReleaseWorkflow(request, files), { name: 'WorkflowExistsError' });
    assert.equal(written.get('/repo/' + WORKFLOW_PATH), 'old');
    assert.deepEqual(await writeReleaseWorkflow({ ...request, force: true }, files), { path: '/repo/.github/workflows/release.yml', replaced: true });
    assert.equal(written.get('/repo/' + WORKFLOW_PATH), 'new');
    assert.deepEqual(await writeReleaseWorkflow({ ...request, root: '/other' }, files), { path: '/other/.github/workflows/release.yml', replaced: false });
  });

  it('pins the version package.json declares', () => {
    assert.equal(ECR_DEPLOY_VERSION, (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version);
  });
});
