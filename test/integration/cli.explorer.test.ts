/** `ecr-deploy images` and `ecr-deploy services`: the built CLI as a process against moto. */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { createAwsClients, type AwsClients } from '../../src/aws/clients';
import { resolveConnection } from '../../src/aws/connection';
import { REFERENCE, seedReferenceWorld } from '../support/referenceWorld';
import { startMoto, TEST_AWS_ENV, type MotoServer } from '../support/moto';
import { runCliProcess } from '../support/cliProcess';

describe('ecr-deploy images / services against moto', () => {
  let moto: MotoServer;
  let clients: AwsClients;
  const connection = () => ['--endpoint-url', moto.endpoint, '--region', 'us-east-1'];

  before(async () => {
    moto = await startMoto({ MOTO_ECS_SERVICE_RUNNING: '2' });
    Object.assign(process.env, TEST_AWS_ENV);
    clients = createAwsClients(resolveConnection({ endpointUrl: moto.endpoint, region: 'us-east-1', maxAttempts: 1 }));
    await seedReferenceWorld(clients);
  });
  after(async () => {
    clients?.destroy();
    await moto?.stop();
  });

  it('images: JSON with the AWS field names, newest push first', async () => {
    const result = await runCliProcess(['images', '--repository', REFERENCE.repository, ...connection(), '--output', 'json']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    const images = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    assert.equal(images.length, REFERENCE.images.length);
    for (const image of images) {
      assert.match(String(image.imageDigest), /^sha256:[0-9a-f]{64}$/);
      assert.ok(Array.isArray(image.imageTags));
      assert.ok(!Number.isNaN(Date.parse(String(image.imagePushedAt))));
      assert.equal(typeof image.imageSizeInBytes, 'number');
      // moto reports no scan: the fields are absent, not invented.
      assert.ok(!('imageScanStatus' in image) && !('imageScanFindingsSummary' in image));
    }
    const pushed = images.map((i) => Date.parse(String(i.imagePushedAt)));
    assert.deepEqual(pushed, [...pushed].sort((a, b) => b - a));
    assert.deepEqual((images.find((i) => (i.imageTags as string[]).includes('latest'))!.imageTags as string[]).sort(), ['latest', 'v1.0.0']);
  });

  it('images: a filter and a text table', async () => {
    const json = await runCliProcess(['images', '-r', REFERENCE.repository, '--filter', 'PR-', ...connection(), '-o', 'json']);
    assert.deepEqual((JSON.parse(json.stdout) as Array<{ imageTags: string[] }>).map((i) => i.imageTags), [['pr-123']]);
    const text = await runCliProcess(['images', '-r', REFERENCE.repository, ...connection()]);
    assert.equal(text.code, 0, text.stderr);
    const lines = text.stdout.trim().split('\n');
    assert.match(lines[0], /^TAGS\s+PUSHED\s+SIZE\s+SCAN\s+DIGEST$/);
    assert.equal(lines.length, 1 + REFERENCE.images.length);
    assert.ok(lines.some((l) => /^latest, v1\.0\.0\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\s+[\d.]+ [kM]?B\s+-\s+sha256:[0-9a-f]{16}$/.test(l)), text.stdout);
  });

  it('images: usage and a missing repository fail in one line', async () => {
    const usage = await runCliProcess(['images', ...connection()]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /^ecr-deploy images: --repository is required\.\n$/);
    const missing = await runCliProcess(['images', '-r', 'nope', ...connection()]);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr.trim().split('\n').length, 1);
    assert.match(missing.stderr, /RepositoryNotFoundException/);
  });

  it('services: JSON with the AWS field names and deployments', async () => {
    const result = await runCliProcess(['services', '--cluster', REFERENCE.cluster, ...connection(), '--output', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const services = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    assert.equal(services.length, 1);
    const service = services[0];
    assert.equal(service.serviceName, REFERENCE.service);
    assert.equal(service.status, 'ACTIVE');
    assert.match(String(service.taskDefinition), /task-definition\/mcp-server-production:1$/);
    assert.equal(service.desiredCount, 2);
    assert.equal(service.runningCount, 2);
    const deployments = service.deployments as Array<Record<string, unknown>>;
    assert.equal(deployments.length, 1);
    assert.equal(deployments[0].status, 'PRIMARY');
    assert.equal(deployments[0].taskDefinition, service.taskDefinition);
  });

  it('services: a text table, usage and a missing cluster', async () => {
    const text = await runCliProcess(['services', '-c', REFERENCE.cluster, ...connection()]);
    assert.equal(text.code, 0, text.stderr);
    const [header, row] = text.stdout.trim().split('\n');
    assert.match(header, /^NAME\s+STATUS\s+RUNNING\s+TASK DEFINITION\s+ROLLOUT\s+DEPLOYMENTS$/);
    assert.match(row, /^sales-prod-mcp-server-production\s+ACTIVE\s+2\/2\s+mcp-server-production:1\s+\S+\s+1$/);
    assert.equal((await runCliProcess(['services', ...connection()])).code, 2);
    const missing = await runCliProcess(['services', '-c', 'nope', ...connection()]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^ecr-deploy services: \w+ failed \(ClusterNotFoundException\): /);
  });
});
