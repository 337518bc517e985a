/**
 * The deploy use case of src/app (prepare, confirm, register, update, follow, roll back on failure)
 * against a scripted fake of the AWS edge and fake ports: no VS Code, no network. Both shells run
 * exactly this code, so what it decides here is what the CLI and the extension decide.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import { deployTargetOf, type DeployTarget } from '../../src/app/deploy/deployTargets';
import { prepareDeploy, serviceExists, type PrepareDeployPorts } from '../../src/app/deploy/prepareDeploy';
import { deploy, type DeployPorts, type PlanDecision } from '../../src/app/deploy/runDeploy';
import type { FollowSettings, UpdateRun } from '../../src/app/deploy/runUpdate';
import type { RunRead } from '../../src/app/deploy/access';
import type { RolloutStatus } from '../../src/core/deploy/rollout';
import { isErrorNamed, isPhrased } from '../../src/core/errors/named';
import { ARM64, APP_REPOSITORY_URI, NEW_DEPLOYMENT, NEW_TD, OLD_DEPLOYMENT, OLD_TD, deployment, fakeDeployAccess, fargateWithSidecars, service, task } from '../support/ecsFixtures';

const REF = { cluster: 'sales-prod', service: 'sales-prod-mcp-server-production' };
const oldPrimary = () => deployment({ id: OLD_DEPLOYMENT, status: 'PRIMARY', taskDefinition: OLD_TD, runningCount: 2, rolloutState: 'COMPLETED' });
const ours = (over = {}) => deployment({ id: NEW_DEPLOYMENT, status: 'PRIMARY', taskDefinition: NEW_TD, createdAt: new Date(), pendingCount: 2, ...over });
const healthy = () => task(NEW_DEPLOYMENT, 'RUNNING', { 'mcp-server': 'HEALTHY', 'datadog-agent': 'HEALTHY' });
const done = () => service([ours({ runningCount: 2, pendingCount: 0, rolloutState: 'COMPLETED' })]);

/** Reads run at once, titles recorded. */
function reads(): { read: RunRead; titles: string[] } {
  const titles: string[] = [];
  return { titles, read: (title, work) => (titles.push(title), work(undefined)) };
}

const noQuestions = (): PrepareDeployPorts => ({
  read: reads().read,
  chooseContainer: () => assert.fail('no container question expected'),
});

const SETTINGS: FollowSettings = { wait: true, timeoutMs: 60_000, intervalMs: 1, rollbackOnFailure: false };

/** Ports that confirm with `decision` and follow with a status recorder. */
function deployPorts(decision: PlanDecision, statuses: Array<{ status: RolloutStatus; phase: string }> = []): DeployPorts {
  return {
    ...noQuestions(),
    confirm: async () => decision,
    follow: (_prepared, run) => run(undefined, (status, phase) => statuses.push({ status, phase })),
  };
}

describe('prepareDeploy: read, choose, plan, refuse (only reads reach AWS)', () => {
  it('reads the service and the image together, picks the container of the image\'s repository, plans only the image change', async () => {
    const { access, ops } = fakeDeployAccess({ services: [service([oldPrimary()])] });
    const { read, titles } = reads();
    const prepared = await prepareDeploy(access, { ref: REF, image: { image: `${APP_REPOSITORY_URI}:v1.1.0` } }, { read, chooseContainer: () => assert.fail('obvious') });
    assert.ok(prepared);
    assert.equal(prepared.container, 'mcp-server');
    assert.match(prepared.containerWhy, /the only container running an image from .*quilt-mcp-server/);
    assert.equal(prepared.plan.previousTaskDefinitionArn, OLD_TD);
    assert.equal(prepared.plan.registerTaskDefinitionInput.containerDefinitions?.find((c) => c.name === 'mcp-server')?.image, `${APP_REPOSITORY_URI}:v1.1.0`);
    assert.equal(prepared.refusal, undefined);
    assert.equal(prepared.repositoryName, 'quilt-mcp-server');
    assert.equal(prepared.logHint, 'CloudWatch Logs group /ecs/datadog (stream prefix dd), CloudWatch Logs group /ecs/firelens (stream prefix firelens)');
    assert.deepEqual(titles, ['Reading sales-prod-mcp-server-production and the image']);
    assert.deepEqual(ops().sort(), ['describeTaskDefinition', 'readImagePlatform', 'requireService']);
  });

  it('a tag is a tag of the repository the chosen container runs now; the platform is read after', async () => {
    const { access, calls } = fakeDeployAccess({ services: [service([oldPrimary()])] });
    const { read, titles } = reads();
    const prepared = await prepareDeploy(access, { ref: REF, image: { tag: 'v1.1.0' } }, { read, chooseContainer: () => assert.fail('one ECR container of this account') });
    assert.equal(prepared?.image, `${APP_REPOSITORY_URI}:v1.1.0`);
    assert.deepEqual(titles, ['Reading sales-prod-mcp-server-production', 'Reading v1.1.0']);
    assert.deepEqual(calls.find((c) => c.op === 'readImagePlatform')?.args, [`${APP_REPOSITORY_URI}:v1.1.0`]);
  });

  it('an invalid tag is the person\'s input error (the CLI\'s bad usage), phrased', async () => {
    const { access } = fakeDeployAccess({ services: [service([oldPrimary()])] });
    await assert.rejects(prepareDeploy(access, { ref: REF, image: { tag: '-bad' } }, noQuestions()), (error) => {
      assert.ok(isErrorNamed(error, 'DeployInputError') && isPhrased(error));
      assert.match(error.message, /"-bad" is not a valid image tag/);
      return true;
    });
  });

  it('asks the shell when several containers could take the image, and uses its answer', async () => {
    const described = fargateWithSidecars();
    described.taskDefinition.containerDefinitions![1].image = `${APP_REPOSITORY_URI.replace('quilt-mcp-server', 'agent')}:1`;
    const { access } = fakeDeployAccess({ services: [service([oldPrimary()])], taskDefinitions: { [OLD_TD]: described } });
    const asked: string[] = [];
    const prepared = await prepareDeploy(access, { ref: REF, image: { tag: 'v1.1.0' } }, {
      read: reads().read,
      chooseContainer: async ({ candidates, why }) => {
        asked.push(why, candidates.map((c) => c.name).join(','));
        return 'datadog-agent';
      },
    });
    assert.deepEqual(asked, ['2 containers run images from the ECR registry of account 123456789012: "mcp-server", "datadog-agent"', 'mcp-server,datadog-agent,log-router']);
    assert.equal(prepared?.container, 'datadog-agent');
    assert.equal(prepared?.image, `${APP_REPOSITORY_URI.replace('quilt-mcp-server', 'agent')}:v1.1.0`);
  });

  it('a cancelled question ends it with nothing planned and nothing more read', async () => {
    const described = fargateWithSidecars();
    described.taskDefinition.containerDefinitions![1].image = `${APP_REPOSITORY_URI.replace('quilt-mcp-server', 'agent')}:1`;
    const { access, ops } = fakeDeployAccess({ services: [service([oldPrimary()])], taskDefinitions: { [OLD_TD]: described } });
    const prepared = await prepareDeploy(access, { ref: REF, image: { tag: 'v1.1.0' } }, { read: reads().read, chooseContainer: async () => undefined });
    assert.equal(prepared, undefined);
    assert.ok(!ops().includes('readImagePlatform'));
  });

  it('a container asked for by name that is not there is a phrased DeployError; a remembered one that is gone is forgotten', async () => {
    const { access } = fakeDeployAccess({ services: [service([oldPrimary()])] });
    await assert.rejects(prepareDeploy(access, { ref: REF, image: { tag: 'v1' }, container: 'web' }, noQuestions()), (error) => {
      assert.ok(isErrorNamed(error, 'DeployError') && isPhrased(error));
      assert.match(error.message, /^No container "web" in the task definition; it has "mcp-server", "datadog-agent", "log-router"\.$/);
      return true;
    });
    const prepared = await prepareDeploy(access, { ref: REF, image: { image: `${APP_REPOSITORY_URI}:v2` }, rememberedContainer: 'web' }, noQuestions());
    assert.equal(prepared?.container, 'mcp-server');
  });

  it('without an image, asks the shell for one once the container is known', async () => {
    const { access } = fakeDeployAccess({ services: [service([oldPrimary()])] });
    const seen: Array<string | undefined> = [];
    const prepared = await prepareDeploy(access, { ref: REF }, {
      ...noQuestions(),
      chooseImage: async (container) => (seen.push(container.name), `${APP_REPOSITORY_URI}:jwt-auth-v1.0.0`),
    });
    assert.deepEqual(seen, ['mcp-server']);
    assert.equal(prepared?.plan.image, `${APP_REPOSITORY_URI}:jwt-auth-v1.0.0`);
  });

  it('an arm64 image for an X86_64 task definition is refused with the reason', async () => {
    const { access } = fakeDeployAccess({ services: [service([oldPrimary()])], platform: ARM64 });
    const prepared = await prepareDeploy(access, { ref: REF, image: { tag: 'v1.1.0' } }, noQuestions());
    assert.match(prepared?.refusal ?? '', /exec format error/);
  });

  it('a missing service stops it before any other read', async () => {
    const { access, ops } = fakeDeployAccess({ services: [undefined] });
    await assert.rejects(prepareDeploy(access, { ref: REF, image: { tag: 'v1' } }, noQuestions()), /does not exist in cluster "sales-prod"/);
    assert.deepEqual(ops(), ['requireService']);
  });

  it('serviceExists: false for a deleted (INACTIVE) or unknown service', async () => {
    assert.equal(await serviceExists(fakeDeployAccess({ services: [service([oldPrimary()])] }).access, REF, undefined), true);
    assert.equal(await serviceExists(fakeDeployAccess({ services: [undefined] }).access, REF, undefined), false);
  });
});

describe('deploy: confirm, then register, update and follow to a verdict', () => {
  const image = { image: `${APP_REPOSITORY_URI}:v1.1.0` };

  it('"stop" (a dry run, a no) registers and updates nothing', async () => {
    const { access, ops } = fakeDeployAccess({ services: [service([oldPrimary()])] });
    const outcome = await deploy(access, { ref: REF, image }, SETTINGS, deployPorts('stop'));
    assert.equal(outcome.kind, 'stopped');
    assert.ok(!ops().includes('registerTaskDefinition') && !ops().includes('updateService'));
  });

  it('a refused platform runs only on "deploy-anyway", never on a plain "deploy"', async () => {
    const plain = fakeDeployAccess({ services: [service([oldPrimary()])], platform: ARM64 });
    assert.equal((await deploy(plain.access, { ref: REF, image }, { ...SETTINGS, wait: false }, deployPorts('deploy'))).kind, 'stopped');
    assert.ok(!plain.ops().includes('registerTaskDefinition'));
    const anyway = fakeDeployAccess({ services: [service([oldPrimary()])], platform: ARM64 });
    assert.equal((await deploy(anyway.access, { ref: REF, image }, { ...SETTINGS, wait: false }, deployPorts('deploy-anyway'))).kind, 'ran');
    assert.ok(anyway.ops().includes('registerTaskDefinition'));
  });

  it('registers exactly the plan, updates to the new revision, follows its deployment to COMPLETED and reports each status', async () => {
    const { access, calls } = fakeDeployAccess({
      services: [service([oldPrimary()]), service([ours(), { ...oldPrimary(), status: 'ACTIVE' }]), done()],
      updates: [service([ours(), { ...oldPrimary(), status: 'ACTIVE' }])],
      tasks: (poll) => (poll >= 2 ? [healthy(), healthy()] : []),
    });
    const statuses: Array<{ status: RolloutStatus; phase: string }> = [];
    const outcome = await deploy(access, { ref: REF, image }, SETTINGS, deployPorts('deploy', statuses));
    assert.equal(outcome.kind, 'ran');
    if (outcome.kind !== 'ran') return;
    const registered = calls.find((c) => c.op === 'registerTaskDefinition')?.args[0] as RegisterTaskDefinitionCommandInput;
    assert.deepEqual(registered, outcome.prepared.plan.registerTaskDefinitionInput);
    assert.deepEqual(calls.find((c) => c.op === 'updateService')?.args[0], { cluster: 'sales-prod', service: 'sales-prod-mcp-server-production', taskDefinition: NEW_TD, forceNewDeployment: undefined });
    assert.equal(outcome.run.deploymentId, NEW_DEPLOYMENT);
    assert.equal(outcome.run.watch?.status.outcome, 'succeeded');
    assert.deepEqual(statuses.map((s) => `${s.phase}:${s.status.outcome}`), ['deploy:in-progress', 'deploy:succeeded']);
    // Tasks are read once there is a deployment to judge, one page per status.
    assert.ok(calls.filter((c) => c.op === 'listServiceTasks').every((c) => c.args[2] === 100));
  });

  it('the follow port decides how the run is shown: what it returns is the outcome\'s run', async () => {
    const { access } = fakeDeployAccess({ services: [service([oldPrimary()])], updates: [service([ours()])] });
    let followed: UpdateRun | undefined;
    const outcome = await deploy(access, { ref: REF, image }, { ...SETTINGS, wait: false }, {
      ...deployPorts('deploy'),
      follow: async (prepared, run) => {
        assert.equal(prepared.container, 'mcp-server');
        followed = await run(undefined, undefined);
        return followed;
      },
    });
    assert.equal(outcome.kind === 'ran' && outcome.run, followed);
    assert.equal(followed?.watch, undefined, 'wait: false updates and does not follow');
  });
});

describe('deployTargetOf: the setting wins, else the memory, forgotten when its service is gone', () => {
  function memory(targets: Record<string, DeployTarget>) {
    const forgotten: string[] = [];
    return { forgotten, deployTarget: (name: string) => targets[name], forgetDeployTarget: async (name: string) => void forgotten.push(name) };
  }
  const remembered = { ...REF, container: 'mcp-server' };

  it('a target the person configured is taken as it is, without asking AWS', async () => {
    const { access, ops } = fakeDeployAccess({ services: [undefined] });
    const configured = { cluster: 'c', service: 's' };
    assert.equal(await deployTargetOf(access, 'quilt-mcp-server', { configured, memory: memory({ 'quilt-mcp-server': remembered }), read: reads().read }), configured);
    assert.deepEqual(ops(), []);
  });

  it('a remembered target whose service still exists is offered', async () => {
    const { access } = fakeDeployAccess({ services: [service([oldPrimary()])] });
    const mem = memory({ 'quilt-mcp-server': remembered });
    assert.deepEqual(await deployTargetOf(access, 'quilt-mcp-server', { configured: undefined, memory: mem, read: reads().read }), remembered);
    assert.deepEqual(mem.forgotten, []);
  });

  it('a remembered target whose service is gone is forgotten and not offered', async () => {
    const { access, calls } = fakeDeployAccess({ services: [service([oldPrimary()], { status: 'INACTIVE' })] });
    const mem = memory({ 'quilt-mcp-server': remembered });
    assert.equal(await deployTargetOf(access, 'quilt-mcp-server', { configured: undefined, memory: mem, read: reads().read }), undefined);
    assert.deepEqual(mem.forgotten, ['quilt-mcp-server']);
    assert.deepEqual(calls[0].args, [REF.cluster, REF.service]);
  });

  it('nothing remembered: nothing offered, nothing read', async () => {
    const { access, ops } = fakeDeployAccess({ services: [undefined] });
    assert.equal(await deployTargetOf(access, 'other', { configured: undefined, memory: memory({}), read: reads().read }), undefined);
    assert.deepEqual(ops(), []);
  });
});
