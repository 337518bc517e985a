import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { imageInRepository, imageVersionLabel, isFromRepository, parseEcrRepositoryUri, parseImageReference } from '../../src/core/ecr/imageReference';
import { chooseContainer } from '../../src/core/deploy/containerChoice';
import { checkPlatform, platformOfConfig, platformsInManifest, requiredPlatform } from '../../src/core/deploy/platform';
import { diffValues, formatChange } from '../../src/core/deploy/diff';
import { formatPlan, planDeployment } from '../../src/core/deploy/plan';
import { isProtectedService } from '../../src/core/deploy/protectedServices';
import { describeDeploymentRecord, HISTORY_PER_SERVICE, historyOf, parseHistory, recordDeployment, type DeploymentRecord } from '../../src/core/deploy/history';
import { defaultRollbackTarget, describeRevision, revisionArn, rollbackTargets, summariseRevision } from '../../src/core/deploy/revisions';
import { APP_REPOSITORY_URI, ECR_HOST, cloudFormationInactive, ec2Bridge, fargateWithSidecars } from '../support/ecsFixtures';

describe('image references', () => {
  it('parses registry, repository, tag and digest, with ports and nested paths', () => {
    assert.deepEqual(parseImageReference(`${APP_REPOSITORY_URI}:v1.0.0`), { registry: ECR_HOST, repository: 'quilt-mcp-server', tag: 'v1.0.0', digest: undefined });
    assert.deepEqual(parseImageReference('localhost:5000/team/app@sha256:' + 'a'.repeat(64)), { registry: 'localhost:5000', repository: 'team/app', tag: undefined, digest: 'sha256:' + 'a'.repeat(64) });
    assert.deepEqual(parseImageReference('redis:7-alpine'), { registry: undefined, repository: 'redis', tag: '7-alpine', digest: undefined });
    assert.deepEqual(parseImageReference('library/nginx'), { registry: undefined, repository: 'library/nginx', tag: undefined, digest: undefined });
    assert.equal(parseImageReference('127.0.0.1:5000/app:dev').tag, 'dev');
  });

  it('tells whether an image comes from a repository, ignoring tag and digest', () => {
    assert.ok(isFromRepository(`${APP_REPOSITORY_URI}:v1.0.0`, APP_REPOSITORY_URI));
    assert.ok(isFromRepository(`${APP_REPOSITORY_URI}@sha256:${'b'.repeat(64)}`, APP_REPOSITORY_URI));
    assert.ok(!isFromRepository(`${APP_REPOSITORY_URI}-sidecar:v1`, APP_REPOSITORY_URI));
    assert.ok(!isFromRepository(undefined, APP_REPOSITORY_URI));
  });

  it('builds the new image from a tag or a digest, and rejects what ECR would', () => {
    assert.equal(imageInRepository(APP_REPOSITORY_URI, { tag: 'jwt-auth-v1.0.0' }), `${APP_REPOSITORY_URI}:jwt-auth-v1.0.0`);
    assert.equal(imageInRepository(APP_REPOSITORY_URI, { digest: `sha256:${'c'.repeat(64)}` }), `${APP_REPOSITORY_URI}@sha256:${'c'.repeat(64)}`);
    assert.throws(() => imageInRepository(APP_REPOSITORY_URI, { tag: '-bad' }), /not a valid image tag/);
    assert.throws(() => imageInRepository(APP_REPOSITORY_URI, { tag: 'a b' }), /not a valid image tag/);
    assert.throws(() => imageInRepository(APP_REPOSITORY_URI, { digest: 'sha256:xyz' }), /not an image digest/);
    assert.throws(() => imageInRepository(APP_REPOSITORY_URI, {}), /needs a tag or a digest/);
  });

  it('reads ECR repository URIs and labels versions', () => {
    assert.deepEqual(parseEcrRepositoryUri(APP_REPOSITORY_URI), { registryId: '123456789012', region: 'us-east-1', repositoryName: 'quilt-mcp-server' });
    assert.deepEqual(parseEcrRepositoryUri('123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/team/app'), { registryId: '123456789012', region: 'cn-north-1', repositoryName: 'team/app' });
    assert.equal(parseEcrRepositoryUri('public.ecr.aws/datadog/agent'), undefined);
    assert.equal(imageVersionLabel(`${APP_REPOSITORY_URI}:pr-123`), 'pr-123');
    assert.equal(imageVersionLabel(`${APP_REPOSITORY_URI}@sha256:0123456789abcdef${'0'.repeat(48)}`), '0123456789ab');
  });
});

describe('container choice', () => {
  const containers = fargateWithSidecars().taskDefinition.containerDefinitions!;

  it('picks the only container from the deployed repository among sidecars', () => {
    const choice = chooseContainer(containers, { repositoryUri: APP_REPOSITORY_URI });
    assert.equal(choice.kind, 'chosen');
    assert.equal(choice.kind === 'chosen' && choice.container.name, 'mcp-server');
  });

  it('takes an explicit name, and refuses an unknown one with the names it has', () => {
    const chosen = chooseContainer(containers, { name: 'log-router' });
    assert.equal(chosen.kind === 'chosen' && chosen.container.name, 'log-router');
    const wrong = chooseContainer(containers, { name: 'app' });
    assert.equal(wrong.kind, 'error');
    assert.match(wrong.kind === 'error' ? wrong.message : '', /No container "app".*"mcp-server", "datadog-agent", "log-router"/);
  });

  it('asks when no container runs an image of the repository, or several do', () => {
    const none = chooseContainer(containers, { repositoryUri: `${ECR_HOST}/other` });
    assert.equal(none.kind, 'ask');
    assert.equal(none.kind === 'ask' && none.preferred, undefined);
    const twins = [{ ...containers[0], name: 'a' }, { ...containers[0], name: 'b' }];
    const several = chooseContainer(twins, { repositoryUri: APP_REPOSITORY_URI });
    assert.equal(several.kind === 'ask' && several.preferred?.name, 'a');
    assert.match(several.kind === 'ask' ? several.why : '', /2 containers run images from/);
  });

  it('with only a tag, takes the one container whose image is in the service account\'s ECR registry', () => {
    const choice = chooseContainer(containers, { accountId: '123456789012' });
    assert.equal(choice.kind === 'chosen' && choice.container.name, 'mcp-server', 'the FireLens image is in ECR too, but in AWS\'s account');
    assert.equal(chooseContainer(containers, {}).kind, 'ask', 'without the account, two containers run private ECR images');
    const ec2 = chooseContainer(ec2Bridge().taskDefinition.containerDefinitions!, { accountId: '123456789012' });
    assert.equal(ec2.kind === 'chosen' && ec2.container.name, 'worker');
  });

  it('takes a lone container whatever its image', () => {
    const lone = chooseContainer([containers[1]], { repositoryUri: APP_REPOSITORY_URI });
    assert.equal(lone.kind === 'chosen' && lone.container.name, 'datadog-agent');
  });
});

describe('platform guard', () => {
  const index = (platforms: Array<{ os: string; architecture: string; variant?: string }>) =>
    JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: platforms.map((platform, i) => ({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${String(i).repeat(64)}`, size: 1000, platform })) });
  const x86 = { cpuArchitecture: 'X86_64' as const, operatingSystemFamily: 'LINUX' as const };
  const arm = { cpuArchitecture: 'ARM64' as const, operatingSystemFamily: 'LINUX' as const };

  it('reads platforms from an index, ignoring attestation entries', () => {
    const read = platformsInManifest(index([{ os: 'linux', architecture: 'arm64', variant: 'v8' }, { os: 'unknown', architecture: 'unknown' }]));
    assert.deepEqual(read, { kind: 'index', platforms: [{ os: 'linux', architecture: 'arm64', variant: 'v8' }] });
  });

  it('points at the config blob of a single-platform manifest, and reads that blob', () => {
    const manifest = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.v2+json', config: { digest: 'sha256:' + 'd'.repeat(64), size: 1500 }, layers: [] });
    assert.deepEqual(platformsInManifest(manifest), { kind: 'single', configDigest: 'sha256:' + 'd'.repeat(64) });
    assert.deepEqual(platformOfConfig('{"architecture":"amd64","os":"linux","rootfs":{}}'), { os: 'linux', architecture: 'amd64' });
    assert.equal(platformOfConfig('{"rootfs":{}}'), undefined);
    assert.equal(platformsInManifest('not json').kind, 'unreadable');
  });

  it('refuses an arm64-only image for an X86_64 Fargate task, with the fix', () => {
    const check = checkPlatform(x86, { kind: 'known', platforms: [{ os: 'linux', architecture: 'arm64' }], source: 'index' });
    assert.equal(check.verdict, 'mismatch');
    assert.match(check.message, /built for linux\/arm64, but the task definition \(runtimePlatform LINUX\/X86_64\) needs linux\/amd64.*exec format error.*docker build --platform linux\/amd64/);
  });

  it('accepts a multi-platform image that includes the needed one, and ARM64 tasks with arm64 images', () => {
    assert.equal(checkPlatform(x86, { kind: 'known', platforms: [{ os: 'linux', architecture: 'arm64' }, { os: 'linux', architecture: 'amd64' }], source: 'index' }).verdict, 'match');
    assert.equal(checkPlatform(arm, { kind: 'known', platforms: [{ os: 'linux', architecture: 'arm64' }], source: 'config' }).verdict, 'match');
  });

  it('treats a missing runtimePlatform as X86_64 Linux, as ECS does', () => {
    assert.deepEqual(requiredPlatform(undefined), { os: 'linux', architecture: 'amd64' });
    assert.match(checkPlatform(undefined, { kind: 'known', platforms: [{ os: 'linux', architecture: 'arm64' }], source: 'config' }).message, /no runtimePlatform \(ECS runs it as X86_64 Linux\)/);
    assert.deepEqual(requiredPlatform({ cpuArchitecture: 'X86_64', operatingSystemFamily: 'WINDOWS_SERVER_2022_CORE' }), { os: 'windows', architecture: 'amd64' });
  });

  it('says so when the platform could not be read, without refusing', () => {
    const check = checkPlatform(x86, { kind: 'unknown', reason: 'GetDownloadUrlForLayer is not supported by this endpoint' });
    assert.equal(check.verdict, 'unknown');
    assert.match(check.message, /could not be read \(GetDownloadUrlForLayer is not supported by this endpoint\); the task definition needs linux\/amd64/);
  });
});

describe('diff', () => {
  it('matches named list items by name, so reordering is no change', () => {
    const before = { environment: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] };
    const after = { environment: [{ name: 'B', value: '2' }, { name: 'A', value: '3' }, { name: 'C', value: '4' }] };
    assert.deepEqual(diffValues(before, after).map(formatChange), ['~ environment[A].value: "1" -> "3"', '+ environment[C]: {"name":"C","value":"4"}']);
  });

  it('reports removed keys, index-wise lists and dates', () => {
    const changes = diffValues({ a: 1, list: [1, 2], at: new Date(0) }, { list: [1], at: new Date(1000) });
    assert.deepEqual(changes.map(formatChange), ['- a: 1', '- list[1]: 2', '~ at: "1970-01-01T00:00:00.000Z" -> "1970-01-01T00:00:01.000Z"']);
  });
});

describe('dry-run plan', () => {
  it('has one change (the image), the previous revision, and the platform verdict', () => {
    const plan = planDeployment({ cluster: 'sales-prod', service: 'svc', described: fargateWithSidecars(), container: 'mcp-server', image: `${APP_REPOSITORY_URI}:v1.1.0`, platform: { kind: 'known', platforms: [{ os: 'linux', architecture: 'amd64' }], source: 'config' } });
    assert.equal(plan.previousTaskDefinitionArn, fargateWithSidecars().taskDefinition.taskDefinitionArn);
    assert.equal(plan.previousLabel, 'mcp-server-production:7');
    assert.equal(plan.previousImage, `${APP_REPOSITORY_URI}:v1.0.0`);
    assert.deepEqual(plan.diff.map((c) => c.path), ['containerDefinitions[mcp-server].image']);
    assert.deepEqual(plan.notes, []);
    const text = formatPlan(plan);
    assert.match(text, /Image: {5}\S+:v1\.0\.0 -> \S+:v1\.1\.0/);
    assert.match(text, /~ containerDefinitions\[mcp-server\]\.image/);
  });

  it('notes an unchanged image, dropped AWS tags and an unreadable platform', () => {
    const plan = planDeployment({ cluster: 'c', service: 's', described: cloudFormationInactive(), container: 'mcp-server', image: `${APP_REPOSITORY_URI}:v1.0.0`, platform: { kind: 'unknown', reason: 'not an ECR image' } });
    assert.deepEqual(plan.diff, []);
    assert.equal(plan.notes.length, 3);
    assert.match(plan.notes.join('\n'), /already runs/);
    assert.match(plan.notes.join('\n'), /aws:cloudformation:stack-name=sales-prod/);
    assert.match(plan.notes.join('\n'), /could not be read/);
  });
});

describe('protected services', () => {
  it('matches the default *prod* against cluster/service and the service name, case-insensitively', () => {
    assert.ok(isProtectedService('*prod*', 'sales-prod', 'sales-prod-mcp-server-production'));
    assert.ok(isProtectedService('*prod*', 'PROD', 'api'));
    assert.ok(!isProtectedService('*prod*', 'staging', 'api'));
    assert.ok(isProtectedService('staging/*, api', 'dev', 'api'));
    assert.ok(!isProtectedService('', 'prod', 'prod'));
    assert.ok(!isProtectedService('a.b', 'x', 'aXb'), 'a dot is literal');
  });
});

describe('deployment history', () => {
  const record = (n: number, serviceArn = 'svc-a'): DeploymentRecord => ({
    id: `d${n}-${serviceArn}`, at: new Date(Date.UTC(2026, 10, 1, 0, n)).toISOString(), kind: 'deploy', cluster: 'c', service: 's', serviceArn,
    toTaskDefinitionArn: `td:${n}`, result: 'succeeded',
  });

  it('keeps newest first, replaces a record by id, and bounds each service separately', () => {
    let history: DeploymentRecord[] = [];
    for (let n = 0; n < HISTORY_PER_SERVICE + 5; n++) history = recordDeployment(history, record(n));
    history = recordDeployment(history, record(1, 'svc-b'));
    history = recordDeployment(history, { ...record(HISTORY_PER_SERVICE + 4), result: 'failed' });
    assert.equal(historyOf(history, 'svc-a').length, HISTORY_PER_SERVICE);
    assert.equal(historyOf(history, 'svc-a')[0].result, 'failed');
    assert.equal(historyOf(history, 'svc-b').length, 1);
    assert.deepEqual(parseHistory([history[0], { junk: true }, 'x']), [history[0]]);
    assert.deepEqual(parseHistory(undefined), []);
  });

  it('reads as a row: the tag (or digest) deployed, the revisions, the result in words, the age; a rollback names its target', () => {
    const family = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web';
    const base = { cluster: 'prod', service: 'web', serviceArn: 'svc-a', fromTaskDefinitionArn: `${family}:4`, toTaskDefinitionArn: `${family}:5` };
    const now = new Date('2026-11-27T12:00:00Z');
    const deploy = describeDeploymentRecord({ ...base, id: '1', at: '2026-11-27T11:00:00Z', kind: 'deploy', image: '1.dkr.ecr.r.amazonaws.com/team/web:v1.2.0', container: 'app', result: 'unverified' }, now);
    assert.equal(deploy.title, 'v1.2.0');
    assert.equal(deploy.summary, 'web:4 → web:5 · not verified · 1 h ago');
    assert.deepEqual(deploy.details, [
      'deploy of web in prod, 2026-11-27 11:00:00 UTC',
      'Image: 1.dkr.ecr.r.amazonaws.com/team/web:v1.2.0 (container app)',
      'Task definition: web:4 → web:5',
      'Result: not verified',
    ]);
    const byDigest = describeDeploymentRecord({ ...base, id: '2', at: now.toISOString(), kind: 'deploy', image: `1.dkr.ecr.r.amazonaws.com/web@sha256:${'ab'.repeat(32)}`, result: 'succeeded' }, now);
    assert.equal(byDigest.title, 'sha256:abababababab');
    const untagged = describeDeploymentRecord({ ...base, id: '4', at: now.toISOString(), kind: 'deploy', image: 'localhost:5000/team/web', result: 'succeeded' }, now);
    assert.equal(untagged.title, 'web', 'a registry port is not a tag');
    const rollback = describeDeploymentRecord({ ...base, id: '3', at: now.toISOString(), kind: 'auto-rollback', toTaskDefinitionArn: `${family}:4`, fromTaskDefinitionArn: undefined, result: 'error', reason: 'AccessDenied', deploymentId: 'ecs-svc/1' }, now);
    assert.equal(rollback.title, 'automatic rollback to web:4');
    assert.equal(rollback.summary, '? → web:4 · could not be sent · just now');
    assert.deepEqual(rollback.details.slice(-2), ['Result: could not be sent: AccessDenied', 'Deployment: ecs-svc/1']);
  });
});

describe('rollback revisions', () => {
  const family = 'arn:aws:ecs:us-east-1:123456789012:task-definition/mcp-server-production';
  it('lists other revisions newest first and defaults to the one below the current', () => {
    const arns = [1, 2, 3, 5, 4].map((n) => `${family}:${n}`);
    assert.deepEqual(rollbackTargets(arns, `${family}:4`), [5, 3, 2, 1].map((n) => `${family}:${n}`));
    assert.equal(defaultRollbackTarget(arns, `${family}:4`), `${family}:3`);
    assert.equal(defaultRollbackTarget([`${family}:4`, `${family}:9`], `${family}:4`), `${family}:9`);
    assert.equal(defaultRollbackTarget([`${family}:4`], `${family}:4`), undefined);
    assert.equal(revisionArn(`${family}:4`, 2), `${family}:2`);
  });

  it('summarises a revision with its image versions and registration time', () => {
    const summary = summariseRevision(ec2Bridge().taskDefinition);
    assert.equal(summary.label, 'reports-worker:42');
    assert.equal(summary.registeredAt, '2024-11-03T17:40:00.000Z');
    assert.equal(describeRevision(summary), 'worker=2024.11.3, redis=7-alpine');
  });
});
