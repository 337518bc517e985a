/**
 * Issue 12, item 5: every failure of the built CLI is one line on stderr that names what failed, its
 * code and the next step — an HTML 5xx from the fault proxy (test/support/faultProxy.ts) in front of the
 * local AWS, a wrong region, credential failures with their real cause, bad input refused (exit 2) before
 * anything is sent. Each case asserts the exact line and, where AWS is reached, what the proxy saw.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REFERENCE } from '../support/referenceWorld';
import { useReferenceMoto } from '../support/referenceMoto';
import { runCliProcess } from '../support/cliProcess';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy';

describe('errors: one line, the step named, the real cause, bad input refused before sending', () => {
  const env = useReferenceMoto();
  let proxy: FaultProxy;
  let awsDir: string;
  before(async () => {
    proxy = await startFaultProxy(env.moto.endpoint);
    awsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-deploy-faults-'));
    fs.writeFileSync(
      path.join(awsDir, 'config'),
      [
        '[profile static]',
        'region = us-east-1',
        'aws_access_key_id = test',
        'aws_secret_access_key = test',
        '[profile failing-process]',
        'region = us-east-1',
        `credential_process = ${process.execPath} -e "process.stderr.write('token service said no\\n'); process.exit(3)"`,
        '[profile orphan-role]',
        'region = us-east-1',
        'role_arn = arn:aws:iam::123456789012:role/deployer',
        'source_profile = not-there',
        '',
      ].join('\n'),
    );
    fs.writeFileSync(path.join(awsDir, 'credentials'), '');
  });
  after(async () => {
    await proxy.stop();
    fs.rmSync(awsDir, { recursive: true, force: true });
  });

  /** The proxy's endpoint comes first, so an --endpoint-url a case gives wins (commander keeps the last). */
  const cli = (args: string[], extraEnv: Record<string, string> = {}) => runCliProcess([args[0], '--endpoint-url', proxy.endpoint, ...args.slice(1)], extraEnv);
  const withProfile = (profile: string, args: string[], keys: 'env-keys' | 'no-env-keys') =>
    cli([...args, '--profile', profile], {
      AWS_CONFIG_FILE: path.join(awsDir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(awsDir, 'credentials'),
      AWS_REGION: '',
      ...(keys === 'no-env-keys' ? { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' } : {}),
    });
  const host = () => new URL(proxy.endpoint).host;

  it('an HTML 500 page is "DescribeRepositories failed (HTTP 500 from host)", one line, never the JSON parser\'s complaint', async () => {
    proxy.plan([{ operation: 'DescribeRepositories', occurrences: 'all', fault: { kind: 'html', status: 500 } }]);
    const result = await cli(['repos', '--region', 'us-east-1']);
    assert.equal(result.code, 1);
    assert.equal(result.stderr, `ecr-deploy repos: DescribeRepositories failed (HTTP 500 from ${host()}): the answer was not from AWS. Retry; if it persists, check the endpoint URL and any proxy.\n`);
    assert.equal(proxy.count('DescribeRepositories'), 1, 'AWS_MAX_ATTEMPTS=1: sent once');
  });

  it('a name in the wrong region: the NotFound says which region was looked in and how to change it', async () => {
    proxy.plan([]);
    const images = await cli(['images', '--repository', REFERENCE.repository, '--region', 'eu-west-1']);
    assert.equal(images.code, 1);
    assert.equal(
      images.stderr,
      `ecr-deploy images: DescribeImages failed (RepositoryNotFoundException): The repository with name '${REFERENCE.repository}' does not exist in the registry with id '123456789012' (looked in region eu-west-1: if it is in another region, pass --region or choose the region)\n`,
    );
    // (ECS services are the local AWS's rollout engine's, which keeps one region: ECR, moto's, tells regions apart.)
  });

  it('--profile with AWS_ACCESS_KEY_ID also set: the profile is used and the SDK\'s 8-line warning is not printed', async () => {
    proxy.plan([]);
    const result = await withProfile('static', ['repos', '--output', 'json'], 'env-keys');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    assert.ok(Array.isArray(JSON.parse(result.stdout)));
  });

  it('a failing credential_process is named with its stderr; a missing source_profile is named, not "aws configure"', async () => {
    proxy.plan([]);
    const failing = await withProfile('failing-process', ['repos'], 'no-env-keys');
    assert.equal(failing.code, 1);
    assert.equal(failing.stderr, 'ecr-deploy repos: No AWS credentials for profile "failing-process": credential_process failed: token service said no. Fix the profile in the AWS config file, or choose another profile.\n');
    const orphan = await withProfile('orphan-role', ['repos'], 'no-env-keys');
    assert.equal(orphan.code, 1);
    assert.equal(orphan.stderr, 'ecr-deploy repos: No AWS credentials for profile "orphan-role": its source_profile "not-there" is missing or has no credentials in the shared config or credentials files. Fix the profile in the AWS config file, or choose another profile.\n');
    assert.equal(proxy.calls().length, 0, 'nothing was sent without credentials');
  });

  it('bad input exits 2 with the rule it broke, one line, control characters escaped, nothing sent', async () => {
    proxy.plan([]);
    const target = ['--region', 'us-east-1', '--cluster', REFERENCE.cluster, '--service', REFERENCE.service];
    const cases: Array<[string[], string]> = [
      [['repos', '--region', 'us-east-1', '--endpoint-url', 'ht tp://x'], 'ecr-deploy repos: --endpoint-url "ht tp://x" is not a URL; write it as http(s)://host[:port], for example https://ecs.us-east-1.amazonaws.com.'],
      [['repos', '--region', 'us-east-1', '--endpoint-url', 'ftp://x'], 'ecr-deploy repos: --endpoint-url "ftp://x" must start with http:// or https://.'],
      [['repos', '--region', 'Us-East-1'], 'ecr-deploy repos: --region "Us-East-1" is not an AWS region code such as us-east-1 or eu-west-2.'],
      [['services', '--region', 'us-east-1', '--cluster', 'sales\nprod'], 'ecr-deploy services: --cluster "sales\\nprod" is not a cluster name: letters, digits, "_" and "-", at most 255 characters, or its ARN.'],
      [['validate', ...target.slice(0, 4), '--service', 'arn:aws:ecs:us-east-1:123456789012:cluster/x'], 'ecr-deploy validate: --service "arn:aws:ecs:us-east-1:123456789012:cluster/x" is not an ECS service ARN (arn:aws:ecs:REGION:ACCOUNT:service/...).'],
      [['deploy', ...target, '--tag', 'v1', '--container', 'my app'], 'ecr-deploy deploy: --container "my app" is not a container name: letters, digits, "_" and "-", at most 255 characters.'],
      [['deploy', ...target, '--tag', 'v1', '--timeout', '1e9'], 'ecr-deploy deploy: --timeout must be between 0.001 and 604800 seconds, not "1e9".'],
      [['deploy', ...target, '--tag', 'v1', '--poll-interval', 'soon'], 'ecr-deploy deploy: --poll-interval must be a positive number of seconds, not "soon".'],
      [['deploy', ...target, '--tag', '-x'], 'ecr-deploy deploy: option \'--tag\' needs a value, but "-x" follows it: give the value, or write --tag=-x if that is the value. Run `ecr-deploy deploy --help`.'],
      [['repos', '--region', 'us-east-1', '--output', 'x\u001b[2J'], 'ecr-deploy repos: --output "x\\u001b[2J" contains a line break or control character; AWS names and values have none.'],
      [['images', '--region', 'us-east-1', '--repository', 'Quilt'], 'ecr-deploy images: --repository: The repository name "Quilt" has capitals: use lower-case letters, ECR repository names are lower case.'],
    ];
    for (const [args, line] of cases) {
      const result = await cli(args);
      assert.equal(result.code, 2, `${JSON.stringify(args)}: ${result.stderr}`);
      assert.equal(result.stderr, `${line}\n`, JSON.stringify(args));
    }
    assert.equal(proxy.calls().length, 0, 'nothing reached AWS');
  });
});
