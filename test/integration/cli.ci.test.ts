import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { REFERENCE } from '../support/referenceWorld';
import { useReferenceMoto } from '../support/referenceMoto';
import { REPO_ROOT, runCliProcess } from '../support/cliProcess';
import { injectReferenceScanFindings } from '../support/scanFindings';
import { workflowErrors } from '../support/workflowParser';

const DEMO = path.join(REPO_ROOT, 'test/fixtures/demo-workspace');
const ROLE = 'arn:aws:iam::123456789012:role/github-release';
const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-deploy-ci-'));

describe('ecr-deploy --version', () => {
  it('prints the version of package.json and exits 0', async () => {
    const result = await runCliProcess(['--version']);
    assert.deepEqual(result, { code: 0, stdout: `${(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version}\n`, stderr: '' });
  });
});

describe('ecr-deploy init-ci', () => {
  const initCi = (dir: string, ...args: string[]) =>
    runCliProcess(['init-ci', '--provider', 'github', '--repository', REFERENCE.repository, '--cluster', 'sales-prod', '--service', 'sales-prod-mcp-server-production', '--role-arn', ROLE, '--dir', dir, ...args]);

  it('writes .github/workflows/release.yml that GitHub\'s parser accepts, with the region of the connection', async () => {
    const dir = tempDir();
    const result = await initCi(dir, '--dockerfile', 'Dockerfile', '--fail-on', 'high', '--pull-requests', '--output', 'json');
    assert.equal(result.code, 0, result.stderr);
    const file = path.join(dir, '.github/workflows/release.yml');
    assert.deepEqual(JSON.parse(result.stdout), { path: file, replaced: false, version: '0.1.0' });
    const text = fs.readFileSync(file, 'utf8');
    assert.deepEqual(workflowErrors(text), []);
    const workflow = parse(text) as { env: Record<string, string>; on: Record<string, unknown> };
    assert.equal(workflow.env.AWS_REGION, 'us-east-1', 'from AWS_REGION of the test environment');
    assert.equal(workflow.env.FAIL_ON, 'high');
    assert.ok('pull_request' in workflow.on);
    assert.equal((await initCi(dir, '--region', 'eu-west-3')).code, 1, 'an existing workflow is not replaced');
    assert.equal(fs.readFileSync(file, 'utf8'), text);
  });

  it('refuses to replace a workflow without --force (exit 1, the file untouched) and replaces it with --force', async () => {
    const dir = tempDir();
    const file = path.join(dir, '.github/workflows/release.yml');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'name: mine\n');
    const refused = await initCi(dir);
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr, `ecr-deploy init-ci: ${file} already exists; pass --force to replace it.\n`);
    assert.equal(fs.readFileSync(file, 'utf8'), 'name: mine\n');
    const forced = await initCi(dir, '--force');
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(forced.stdout, `Replaced ${file} (ecr-deploy 0.1.0).\n`);
    assert.match(fs.readFileSync(file, 'utf8'), /role-to-assume: arn:aws:iam::123456789012:role\/github-release/);
  });

  it('bad input: exit 2, one clear line, nothing written', async () => {
    for (const [args, message] of [
      [['--role-arn', 'not-an-arn'], /--role-arn "not-an-arn" is not an IAM role ARN/],
      [['--provider', 'gitlab'], /--provider must be github/],
      [['--dockerfile', '../Dockerfile'], /--dockerfile must stay inside the repository/],
      [['--fail-on', 'urgent'], /--fail-on must be one of critical/],
      [['--region', 'mars'], /--region "mars" is not an AWS region/],
    ] as const) {
      const dir = tempDir();
      const result = await initCi(dir, ...args);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, /^ecr-deploy init-ci: /);
      assert.match(result.stderr, message);
      assert.equal(result.stderr.split('\n').length, 2, 'one line');
      assert.deepEqual(fs.readdirSync(dir), [], 'nothing written');
    }
    const dir = tempDir();
    const missing = await runCliProcess(['init-ci', '--provider', 'github', '--repository', 'x1', '--dir', dir]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--cluster is required\. --service is required\. --role-arn is required/);
    const noProvider = await runCliProcess(['init-ci', '--repository', 'x1', '--cluster', 'c', '--service', 's', '--role-arn', ROLE, '--dir', dir]);
    assert.equal(noProvider.code, 2);
    assert.match(noProvider.stderr, /--provider is required/);
    assert.deepEqual(fs.readdirSync(dir), []);
  });
});

describe('ecr-deploy findings in CI (SARIF, annotations, step summary) against moto', () => {
  const world = useReferenceMoto();
  const cli = (env: Record<string, string>, ...args: string[]) =>
    runCliProcess(['findings', '--endpoint-url', world.moto.endpoint, '--region', 'us-east-1', '--repository', REFERENCE.repository, '--tag', 'dev', '--dockerfile', path.join(DEMO, 'Dockerfile'), ...args], env);

  it('--output sarif: SARIF 2.1.0 with rules per CVE and results on the Dockerfile line, paths from the repository root', async () => {
    await injectReferenceScanFindings(world.moto.endpoint, world.clients.ecr);
    const result = await cli({ GITHUB_WORKSPACE: REPO_ROOT }, '--output', 'sarif', '--fail-on', 'critical');
    assert.equal(result.code, 1, 'the gate still decides the exit code');
    const sarif = JSON.parse(result.stdout) as { version: string; runs: Array<{ tool: { driver: { name: string; rules: Array<{ id: string }> } }; results: Array<{ ruleId: string; level: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }> }> };
    assert.equal(sarif.version, '2.1.0');
    const [run] = sarif.runs;
    assert.equal(run.tool.driver.name, 'ecr-deploy');
    assert.deepEqual(run.tool.driver.rules.map((r) => r.id), ['CVE-2024-2398', 'CVE-2023-45853', 'CVE-2024-5535']);
    const from = fs.readFileSync(path.join(DEMO, 'Dockerfile'), 'utf8').split('\n').findIndex((l) => /^FROM /.test(l)) + 1;
    assert.deepEqual(
      run.results.map((r) => [r.ruleId, r.level, r.locations[0].physicalLocation.artifactLocation.uri, r.locations[0].physicalLocation.region.startLine]),
      [
        ['CVE-2024-2398', 'error', 'test/fixtures/demo-workspace/Dockerfile', from],
        ['CVE-2023-45853', 'error', 'test/fixtures/demo-workspace/Dockerfile', from],
        ['CVE-2024-5535', 'note', 'test/fixtures/demo-workspace/Dockerfile', from],
      ],
    );
    assert.equal(result.stderr, 'ecr-deploy findings: 1 finding at or above critical.\n');
  });

  it('with GITHUB_ACTIONS=true: ::error/::notice lines with file, line and the CVE as title; a Markdown step summary', async () => {
    await injectReferenceScanFindings(world.moto.endpoint, world.clients.ecr);
    const summary = path.join(tempDir(), 'summary.md');
    fs.writeFileSync(summary, '# earlier step\n');
    const result = await cli({ GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: REPO_ROOT, GITHUB_STEP_SUMMARY: summary }, '--fail-on', 'high');
    assert.equal(result.code, 1);
    const annotations = result.stdout.split('\n').filter((l) => l.startsWith('::'));
    assert.equal(annotations.length, 3);
    assert.match(annotations[0], /^::error file=test\/fixtures\/demo-workspace\/Dockerfile,line=\d+,title=CVE-2024-2398::CVE-2024-2398 curl /);
    assert.match(annotations[2], /^::notice file=test\/fixtures\/demo-workspace\/Dockerfile,line=\d+,title=CVE-2024-5535::/);
    const written = fs.readFileSync(summary, 'utf8');
    assert.match(written, /^# earlier step\n### Scan findings of `quilt-mcp-server:dev@sha256:[0-9a-f]{64}`\n\n\*\*failed: 2 findings at or above high\*\* · 3 findings \(1 critical · 1 high · 1 low\)/);
    assert.match(written, /\| Where \|\n\| --- \| --- \| --- \| --- \|\n\| critical \| CVE-2023-45853 \| zlib \| `test\/fixtures\/demo-workspace\/Dockerfile:\d+` \|\n\| high \| CVE-2024-2398 /);

    const plain = await cli({ GITHUB_ACTIONS: '' });
    assert.equal(plain.code, 0, plain.stderr);
    assert.doesNotMatch(plain.stdout, /^::/m, 'no workflow commands outside GitHub Actions');
  });
});
