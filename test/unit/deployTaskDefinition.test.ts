import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { TaskDefinition } from '@aws-sdk/client-ecs';
import { READ_ONLY_TASK_DEFINITION_FIELDS, healthCheckedContainers, registerInputOf, rewriteImage } from '../../src/core/deploy/taskDefinition';
import { diffValues } from '../../src/core/deploy/diff';
import { APP_REPOSITORY_URI, cloudFormationInactive, deepFreeze, ec2Bridge, fargateWithSidecars } from '../support/ecsFixtures';

const NEW_IMAGE = `${APP_REPOSITORY_URI}:v1.1.0`;

/**
 * The property every redeploy must have: the input equals the described revision minus exactly the
 * read-only fields, with one container's image replaced, and nothing else touched.
 */
function assertOnlyImageChanged(td: TaskDefinition, sent: object, container: string, image: string): void {
  const input = sent as Record<string, unknown>;
  for (const field of READ_ONLY_TASK_DEFINITION_FIELDS) assert.ok(!(field in input), `${field} is dropped`);
  for (const [key, value] of Object.entries(td)) {
    if ((READ_ONLY_TASK_DEFINITION_FIELDS as readonly string[]).includes(key) || key === 'containerDefinitions') continue;
    assert.deepEqual(input[key], value, `${key} is kept as it was`);
  }
  const before = td.containerDefinitions ?? [];
  const after = input.containerDefinitions as typeof before;
  assert.equal(after.length, before.length, 'no container added or removed');
  after.forEach((c, i) => {
    assert.equal(c.name, before[i].name, 'container order kept');
    if (c.name === container) assert.deepEqual(c, { ...before[i], image });
    else assert.deepEqual(c, before[i]);
  });
}

describe('task definition rewrite', () => {
  it('Fargate with sidecars: changes only the app container image, keeps secrets, health checks, FireLens, EFS, tags', () => {
    const described = deepFreeze(fargateWithSidecars());
    const { input, droppedTags } = rewriteImage(described, 'mcp-server', NEW_IMAGE);
    assertOnlyImageChanged(described.taskDefinition, input, 'mcp-server', NEW_IMAGE);
    assert.deepEqual(input.tags, [{ key: 'team', value: 'sales' }, { key: 'cost-center', value: 'cc-1234' }]);
    assert.deepEqual(droppedTags, []);
    // Spot checks of what matters most in production, beyond the generic property.
    const app = input.containerDefinitions!.find((c) => c.name === 'mcp-server')!;
    assert.deepEqual(app.secrets?.map((s) => s.name), ['JWT_SECRET', 'DB_PASSWORD']);
    assert.deepEqual(app.healthCheck?.command, ['CMD-SHELL', 'curl -f http://localhost:8000/healthz || exit 1']);
    assert.equal(input.containerDefinitions![1].image, 'public.ecr.aws/datadog/agent:7.52.0');
    assert.deepEqual(input.runtimePlatform, { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' });
    assert.equal(input.enableFaultInjection, false);
    assert.deepEqual(diffValues(registerInputOf(described).input, input), [
      { path: 'containerDefinitions[mcp-server].image', kind: 'changed', before: `${APP_REPOSITORY_URI}:v1.0.0`, after: NEW_IMAGE },
    ]);
  });

  it('can change a sidecar instead, leaving the app container alone', () => {
    const described = deepFreeze(fargateWithSidecars());
    const { input } = rewriteImage(described, 'datadog-agent', 'public.ecr.aws/datadog/agent:7.53.0');
    assertOnlyImageChanged(described.taskDefinition, input, 'datadog-agent', 'public.ecr.aws/datadog/agent:7.53.0');
  });

  it('EC2 bridge without runtimePlatform and with an empty tag list: sends no tags and adds no runtimePlatform', () => {
    const described = deepFreeze(ec2Bridge());
    const { input } = rewriteImage(described, 'worker', `${APP_REPOSITORY_URI.replace('quilt-mcp-server', 'reports-worker')}:2024.12.1`);
    assertOnlyImageChanged(described.taskDefinition, input, 'worker', `${APP_REPOSITORY_URI.replace('quilt-mcp-server', 'reports-worker')}:2024.12.1`);
    assert.ok(!('tags' in input), 'no tags key when the revision has none');
    assert.ok(!('runtimePlatform' in input));
    assert.deepEqual(input.placementConstraints, [{ type: 'memberOf', expression: 'attribute:ecs.instance-type =~ m6i.*' }]);
    assert.deepEqual(input.containerDefinitions![0].links, ['redis:cache']);
  });

  it('described without tags (no include TAGS): no tags key at all', () => {
    const { taskDefinition } = fargateWithSidecars();
    const { input } = rewriteImage(deepFreeze({ taskDefinition }), 'mcp-server', NEW_IMAGE);
    assert.ok(!('tags' in input));
  });

  it('drops the read-only fields of an INACTIVE revision and the AWS-managed tags RegisterTaskDefinition refuses, and says which', () => {
    const described = deepFreeze(cloudFormationInactive());
    const { input, droppedTags } = rewriteImage(described, 'mcp-server', NEW_IMAGE);
    assertOnlyImageChanged(described.taskDefinition, input, 'mcp-server', NEW_IMAGE);
    assert.deepEqual(input.tags, [{ key: 'team', value: 'sales' }]);
    assert.deepEqual(droppedTags.map((t) => t.key), ['aws:cloudformation:stack-name', 'aws:cloudformation:logical-id']);
  });

  it('drops exactly the documented read-only fields', () => {
    assert.deepEqual([...READ_ONLY_TASK_DEFINITION_FIELDS].sort(), [
      'compatibilities', 'deleteRequestedAt', 'deregisteredAt', 'registeredAt', 'registeredBy', 'requiresAttributes', 'revision', 'status', 'taskDefinitionArn',
    ]);
  });

  it('refuses a container the task definition does not have, naming the ones it has', () => {
    assert.throws(() => rewriteImage(fargateWithSidecars(), 'app', NEW_IMAGE), /no container "app" \(it has "mcp-server", "datadog-agent", "log-router"\)/);
  });

  it('lists the containers with health checks', () => {
    assert.deepEqual(healthCheckedContainers(fargateWithSidecars().taskDefinition), ['mcp-server', 'datadog-agent']);
    assert.deepEqual(healthCheckedContainers(ec2Bridge().taskDefinition), ['redis']);
  });

  it('keeps any field, including ones newer than this code, for any container choice (property)', () => {
    const jsonValue = fc.jsonValue({ maxDepth: 3 });
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !['containerDefinitions', '__proto__', 'tags'].includes(k) && !(READ_ONLY_TASK_DEFINITION_FIELDS as readonly string[]).includes(k)), jsonValue, { maxKeys: 6 }),
        fc.integer({ min: 0, max: 2 }),
        fc.webSegment().filter((s) => s.length > 0),
        (extra, index, tag) => {
          const base = fargateWithSidecars();
          const td = { ...base.taskDefinition, ...extra } as TaskDefinition;
          const container = td.containerDefinitions![index].name!;
          const image = `${APP_REPOSITORY_URI}:${tag}`;
          const { input } = rewriteImage(deepFreeze({ taskDefinition: td, tags: base.tags }), container, image);
          assertOnlyImageChanged(td, input, container, image);
          const changes = diffValues(registerInputOf({ taskDefinition: td, tags: base.tags }).input, input);
          const unchanged = td.containerDefinitions![index].image === image;
          assert.deepEqual(changes.map((c) => c.path), unchanged ? [] : [`containerDefinitions[${container}].image`]);
        },
      ),
      { numRuns: 200 },
    );
  });
});
