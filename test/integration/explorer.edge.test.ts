/** The explorer's AWS edge against a real moto_server seeded with the reference world. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { PutImageCommand } from '@aws-sdk/client-ecr';
import * as ecr from '../../src/aws/ecr';
import * as ecs from '../../src/aws/ecs';
import { previewLifecyclePolicy } from '../../src/app/lifecycle/preview';
import * as edge from '../../src/aws/index';
import { formatLifecyclePolicy, parseLifecyclePolicy, REFERENCE_LIFECYCLE_POLICY } from '../../src/core/lifecycle/policy';
import { imageTagOf, primaryContainer } from '../../src/core/ecs/serviceSummary';
import { REFERENCE } from '../support/referenceWorld';
import { useReferenceMoto } from '../support/referenceMoto';
import { waitFor } from '../support/localAws';

describe('explorer AWS edge against moto', () => {
  // Two running tasks per service, as moto reports them (it runs none).
  const world = useReferenceMoto();

  describe('ECR', () => {
    it('lists the registry, the repository and its images with their tags', async () => {
      const page = await ecr.listRepositoriesPage(world.clients.ecr);
      assert.deepEqual(page.items.map((r) => r.repositoryName), [REFERENCE.repository]);
      assert.equal(page.items[0].registryId, '123456789012');
      assert.equal(await ecr.registryId(world.clients.ecr), '123456789012');
      const images = await ecr.listImages(world.clients.ecr, REFERENCE.repository);
      const tags = images.map((i) => (i.imageTags ?? []).slice().sort().join(','));
      assert.deepEqual(tags.sort(), ['auto-role-assumption', 'commit-abc123', 'dev', 'improved-error-handling', 'jwt-auth-v1.0.0', 'latest,v1.0.0', 'pr-123']);
      assert.ok(images.every((i) => i.imageDigest?.startsWith('sha256:') && i.imagePushedAt instanceof Date));
      assert.equal(await ecr.hasImages(world.clients.ecr, REFERENCE.repository), true);
    });

    it('creates a repository with scan on push, immutable tags and KMS, and reads it back', async () => {
      const created = await ecr.createRepository(world.clients.ecr, { repositoryName: 'team/new-service', scanOnPush: true, immutableTags: true, encryption: { type: 'KMS' } });
      assert.equal(created.repositoryName, 'team/new-service');
      const read = await ecr.describeRepository(world.clients.ecr, 'team/new-service');
      assert.equal(read?.imageScanningConfiguration?.scanOnPush, true);
      assert.equal(read?.imageTagMutability, 'IMMUTABLE');
      assert.equal(read?.encryptionConfiguration?.encryptionType, 'KMS');
      assert.equal(await ecr.hasImages(world.clients.ecr, 'team/new-service'), false);
    });

    it('refuses to delete a repository with images unless forced', async () => {
      await assert.rejects(ecr.deleteRepository(world.clients.ecr, REFERENCE.repository, false), { name: 'RepositoryNotEmptyException' });
      assert.ok(await ecr.describeRepository(world.clients.ecr, REFERENCE.repository), 'still there');
      await ecr.deleteRepository(world.clients.ecr, REFERENCE.repository, true);
      assert.equal(await ecr.describeRepository(world.clients.ecr, REFERENCE.repository), undefined, 'a missing repository reads as undefined, not as an error');
    });

    it('deletes an image by digest with all its tags', async () => {
      const images = await ecr.listImages(world.clients.ecr, REFERENCE.repository);
      const latest = images.find((i) => i.imageTags?.includes('latest'))!;
      const result = await ecr.deleteImages(world.clients.ecr, REFERENCE.repository, [latest.imageDigest!]);
      assert.deepEqual(result.failures, []);
      const after = await ecr.listImages(world.clients.ecr, REFERENCE.repository);
      assert.equal(after.length, images.length - 1);
      assert.ok(!after.some((i) => i.imageTags?.includes('latest') || i.imageTags?.includes('v1.0.0')));
    });

    it('toggles scan on push and tag immutability', async () => {
      await ecr.setScanOnPush(world.clients.ecr, REFERENCE.repository, false);
      await ecr.setImmutableTags(world.clients.ecr, REFERENCE.repository, true);
      let read = await ecr.describeRepository(world.clients.ecr, REFERENCE.repository);
      assert.equal(read?.imageScanningConfiguration?.scanOnPush, false);
      assert.equal(read?.imageTagMutability, 'IMMUTABLE');
      await ecr.setScanOnPush(world.clients.ecr, REFERENCE.repository, true);
      await ecr.setImmutableTags(world.clients.ecr, REFERENCE.repository, false);
      read = await ecr.describeRepository(world.clients.ecr, REFERENCE.repository);
      assert.equal(read?.imageScanningConfiguration?.scanOnPush, true);
      assert.equal(read?.imageTagMutability, 'MUTABLE');
    });

    it('gets, puts and deletes the lifecycle policy', async () => {
      const seeded = await ecr.getLifecyclePolicy(world.clients.ecr, REFERENCE.repository);
      assert.deepEqual(JSON.parse(seeded!), REFERENCE_LIFECYCLE_POLICY);
      const keepTen = formatLifecyclePolicy({ rules: [{ rulePriority: 1, description: 'keep 10', selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 10 }, action: { type: 'expire' } }] });
      await ecr.putLifecyclePolicy(world.clients.ecr, REFERENCE.repository, keepTen);
      assert.equal(JSON.parse((await ecr.getLifecyclePolicy(world.clients.ecr, REFERENCE.repository))!).rules[0].description, 'keep 10');
      await ecr.deleteLifecyclePolicy(world.clients.ecr, REFERENCE.repository);
      assert.equal(await ecr.getLifecyclePolicy(world.clients.ecr, REFERENCE.repository), undefined);
      await ecr.deleteLifecyclePolicy(world.clients.ecr, REFERENCE.repository);
    });

    it('rejects what the core check rejects, and accepts what it accepts (the shape moto checks)', async () => {
      const rule = (selection: Record<string, unknown>, extra: Record<string, unknown> = {}) => JSON.stringify({ rules: [{ rulePriority: 1, selection, action: { type: 'expire' }, ...extra }] });
      const cases = [
        formatLifecyclePolicy(REFERENCE_LIFECYCLE_POLICY),
        rule({ tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 1 }),
        rule({ tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 1 }, { bogus: true }),
        rule({ tagStatus: 'weird', countType: 'imageCountMoreThan', countNumber: 1 }),
        rule({ tagStatus: 'untagged', countType: 'sinceForever', countNumber: 1 }),
        rule({ tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 0 }),
        rule({ tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'weeks', countNumber: 1 }),
        '{"rules": "not a list", "padding": "................................................................................"}',
        'not json at all, but long enough for the length limit of the API .....................................',
      ];
      for (const text of cases) {
        const coreAccepts = parseLifecyclePolicy(text).policy !== undefined;
        let motoAccepts = true;
        try {
          await ecr.putLifecyclePolicy(world.clients.ecr, REFERENCE.repository, text);
        } catch (error) {
          assert.equal((error as Error).name, 'InvalidParameterException');
          motoAccepts = false;
        }
        assert.equal(coreAccepts, motoAccepts, text);
      }
    });

    it('previews with the local evaluator because moto answers the preview API with 500', async () => {
      // Moto stamps every push "now": an age rule expires nothing, a count rule shows the evaluation at work.
      const keepThree = formatLifecyclePolicy({ rules: [{ rulePriority: 1, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 3 }, action: { type: 'expire' } }] });
      const preview = await previewLifecyclePolicy({ edge, clients: world.clients }, REFERENCE.repository, keepThree);
      assert.equal(preview.source, 'local');
      assert.match(preview.fallbackReason ?? '', /HTTP 500/);
      assert.equal(preview.imagesConsidered, REFERENCE.images.length);
      assert.equal(preview.results.length, REFERENCE.images.length - 3);
      const reference = await previewLifecyclePolicy({ edge, clients: world.clients }, REFERENCE.repository, formatLifecyclePolicy(REFERENCE_LIFECYCLE_POLICY));
      assert.deepEqual(reference.results, [], 'nothing in the reference world is old enough');
    });

    it('reads the platforms of a manifest list, and nothing for a single image', async () => {
      const index = JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [
          { mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 100, digest: `sha256:${'a'.repeat(64)}`, platform: { os: 'linux', architecture: 'amd64' } },
          { mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 100, digest: `sha256:${'b'.repeat(64)}`, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
        ],
      });
      await world.clients.ecr.send(new PutImageCommand({ repositoryName: REFERENCE.repository, imageManifest: index, imageManifestMediaType: 'application/vnd.oci.image.index.v1+json', imageTag: 'multi' }));
      const images = await ecr.listImages(world.clients.ecr, REFERENCE.repository);
      const multi = images.find((i) => i.imageTags?.includes('multi'))!;
      assert.deepEqual(await ecr.imagePlatforms(world.clients.ecr, REFERENCE.repository, multi), ['linux/amd64', 'linux/arm64/v8']);
      assert.deepEqual([...(await ecr.manifestListChildren(world.clients.ecr, REFERENCE.repository, images))].sort(), [`sha256:${'a'.repeat(64)}`, `sha256:${'b'.repeat(64)}`]);
      const single = images.find((i) => i.imageTags?.includes('dev'))!;
      assert.equal(await ecr.imagePlatforms(world.clients.ecr, REFERENCE.repository, single), undefined);
    });
  });

  describe('ECS', () => {
    it('lists clusters and services with counts, deployments and the primary container tag', async () => {
      const clusters = await ecs.listClusters(world.clients.ecs);
      assert.deepEqual(clusters.map((c) => c.clusterName), [REFERENCE.cluster]);
      // The local AWS starts the service's tasks as ECS does: a moment after the service is created.
      const services = await waitFor(
        () => ecs.listServices(world.clients.ecs, clusters[0].clusterArn!),
        (listed) => listed[0]?.runningCount === 2,
        { what: 'the service running its 2 tasks' },
      );
      assert.equal(services.length, 1);
      const service = services[0];
      assert.equal(service.serviceName, REFERENCE.service);
      assert.equal(service.desiredCount, 2);
      assert.equal(service.pendingCount, 0);
      assert.equal(service.deployments?.[0].status, 'PRIMARY');
      const { taskDefinition: definition } = await ecs.describeTaskDefinition(world.clients.ecs, service.taskDefinition!);
      assert.equal(imageTagOf(primaryContainer(definition, service)?.image), 'v1.0.0');
      const fresh = await ecs.describeService(world.clients.ecs, REFERENCE.cluster, REFERENCE.service);
      assert.equal(fresh?.serviceArn, service.serviceArn);
    });

    it("lists the service's tasks, running the service's revision", async () => {
      const tasks = await waitFor(
        () => ecs.listServiceTasks(world.clients.ecs, REFERENCE.cluster, REFERENCE.service),
        (listed) => listed.filter((t) => t.lastStatus === 'RUNNING').length === 2,
        { what: '2 running tasks' },
      );
      assert.deepEqual(new Set(tasks.map((t) => t.taskDefinitionArn)), new Set([world.seeded.taskDefinitionArn]));
      assert.ok(tasks.every((t) => t.group === `service:${REFERENCE.service}`), 'every task is in the service group');
    });

    it('says which cluster does not exist', async () => {
      await assert.rejects(ecs.listServices(world.clients.ecs, 'no-such-cluster'), { name: 'ClusterNotFoundException' });
    });
  });
});
