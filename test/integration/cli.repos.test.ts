import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { CreateRepositoryCommand, DescribeImagesCommand, type ImageDetail } from '@aws-sdk/client-ecr';
import { REFERENCE } from '../support/referenceWorld';
import { useReferenceMoto } from '../support/referenceMoto';
import { runCliProcess } from '../support/cliProcess';

describe('ecr-deploy repos against moto', () => {
  const world = useReferenceMoto();

  it('lists what moto holds as JSON with the AWS field names', async () => {
    await world.clients.ecr.send(new CreateRepositoryCommand({ repositoryName: 'other-service', imageTagMutability: 'IMMUTABLE', encryptionConfiguration: { encryptionType: 'KMS' } }));
    const result = await runCliProcess(['repos', '--endpoint-url', world.moto.endpoint, '--region', 'us-east-1', '--output', 'json']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    const repos = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    assert.deepEqual(repos.map((r) => r.repositoryName).sort(), ['other-service', REFERENCE.repository]);
    const quilt = repos.find((r) => r.repositoryName === REFERENCE.repository)!;
    assert.match(String(quilt.repositoryUri), /^123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/quilt-mcp-server$/);
    assert.deepEqual(quilt.imageScanningConfiguration, { scanOnPush: true });
    assert.equal(quilt.imageTagMutability, 'MUTABLE');
    assert.ok(!Number.isNaN(Date.parse(String(quilt.createdAt))), 'createdAt is an ISO date');
    const other = repos.find((r) => r.repositoryName === 'other-service')!;
    assert.equal(other.imageTagMutability, 'IMMUTABLE');
    assert.equal((other.encryptionConfiguration as { encryptionType: string }).encryptionType, 'KMS');
    // The figures are counted from every image ECR lists (read here page by page, independently of the CLI).
    const images: ImageDetail[] = [];
    let nextToken: string | undefined;
    do {
      const page = await world.clients.ecr.send(new DescribeImagesCommand({ repositoryName: REFERENCE.repository, maxResults: 2, nextToken }));
      images.push(...(page.imageDetails ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    assert.ok(images.length >= 2, 'the reference world has images');
    assert.equal(quilt.imageCount, new Set(images.map((i) => i.imageDigest)).size);
    assert.equal(quilt.imageSizeInBytes, images.reduce((sum, i) => sum + (i.imageSizeInBytes ?? 0), 0));
    assert.equal(other.imageCount, 0);
    assert.equal(other.imageSizeInBytes, 0);
  });

  it('prints a table in text mode', async () => {
    const result = await runCliProcess(['repos', '--endpoint-url', world.moto.endpoint, '--region', 'us-east-1']);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    assert.match(lines[0], /^NAME\s+IMAGES\s+SIZE\s+SCAN ON PUSH\s+TAGS\s+ENCRYPTION\s+URI$/);
    assert.match(lines[1], /^quilt-mcp-server\s+\d+\s+\d+(\.\d)? (B|kB|MB)\s+yes\s+MUTABLE\s+AES256\s+123456789012\.dkr/);
  });

  it('honours AWS_ENDPOINT_URL with no flag, like the SDK', async () => {
    const result = await runCliProcess(['repos', '--output', 'json'], { AWS_ENDPOINT_URL: world.moto.endpoint });
    assert.equal(result.code, 0, result.stderr);
    assert.equal((JSON.parse(result.stdout) as unknown[]).length, 1);
  });

  it('reads the profile from AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, with its region and endpoint_url', async () => {
    const { files, cleanup } = await writeSharedFiles({
      config: `[profile moto]\nregion = us-east-1\nendpoint_url = ${world.moto.endpoint}\n`,
      credentials: '[moto]\naws_access_key_id = fromfile\naws_secret_access_key = fromfile\n',
    });
    try {
      const result = await runCliProcess(['repos', '--profile', 'moto', '--output', 'json'], {
        AWS_CONFIG_FILE: files.config,
        AWS_SHARED_CREDENTIALS_FILE: files.credentials,
        AWS_ACCESS_KEY_ID: '',
        AWS_SECRET_ACCESS_KEY: '',
        AWS_REGION: '',
      });
      assert.equal(result.code, 0, result.stderr);
      assert.equal((JSON.parse(result.stdout) as Array<{ repositoryName: string }>)[0].repositoryName, REFERENCE.repository);
    } finally {
      await cleanup();
    }
  });

  it('fails with one clear line and exit 1 when the endpoint is unreachable', async () => {
    const result = await runCliProcess(['repos', '--endpoint-url', 'http://127.0.0.1:9', '--region', 'us-east-1'], { AWS_MAX_ATTEMPTS: '1' });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.match(result.stderr, /^ecr-deploy repos: Cannot reach http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\)/);
  });

  it('fails with the next step when a profile has no credentials', async () => {
    const { files, cleanup } = await writeSharedFiles({ config: '[profile empty]\nregion = us-east-1\n', credentials: '' });
    try {
      const result = await runCliProcess(['repos', '--profile', 'empty', '--endpoint-url', world.moto.endpoint], {
        AWS_CONFIG_FILE: files.config,
        AWS_SHARED_CREDENTIALS_FILE: files.credentials,
        AWS_ACCESS_KEY_ID: '',
        AWS_SECRET_ACCESS_KEY: '',
      });
      assert.equal(result.code, 1);
      assert.match(result.stderr, /No AWS credentials found for profile "empty".*aws configure --profile empty/);
      assert.equal(result.stderr.trim().split('\n').length, 1);
    } finally {
      await cleanup();
    }
  });

  it('says "run aws sso login" for an SSO profile that is not signed in', async () => {
    const { files, cleanup } = await writeSharedFiles({
      config: '[profile work]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\nregion = us-east-1\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n',
      credentials: '',
    });
    try {
      const result = await runCliProcess(['repos', '--profile', 'work', '--endpoint-url', world.moto.endpoint], {
        AWS_CONFIG_FILE: files.config,
        AWS_SHARED_CREDENTIALS_FILE: files.credentials,
        AWS_ACCESS_KEY_ID: '',
        AWS_SECRET_ACCESS_KEY: '',
      });
      assert.equal(result.code, 1);
      assert.match(result.stderr, /aws sso login --profile work/);
    } finally {
      await cleanup();
    }
  });

  it('exits 2 on bad usage', async () => {
    const result = await runCliProcess(['repos', '--output', 'yaml']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--output must be json or text/);
  });
});

async function writeSharedFiles(content: { config: string; credentials: string }) {
  const fs = await import('node:fs/promises');
  const os = await import('node:os');
  const path = await import('node:path');
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ecr-deploy-aws-'));
  const files = { config: path.join(dir, 'config'), credentials: path.join(dir, 'credentials') };
  await fs.writeFile(files.config, content.config);
  await fs.writeFile(files.credentials, content.credentials);
  return { files, cleanup: () => fs.rm(dir, { recursive: true, force: true }) };
}
