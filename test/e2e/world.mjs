// The world the e2e layer runs against: the local AWS (moto behind the ECS rollout engine) seeded with the
// reference world and the rollout world (us-east-1: a good tag, a broken tag that crashes, a blue/green
// service that pauses), the Docker engine and registry whose pushed images run as real containers, one repository in eu-west-1 for the region switch, shared AWS config files with a profile per case, and
// a workspace folder. Both e2e scripts (the extension-host suite and the UI run) start from here.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRepositoryCommand } from '@aws-sdk/client-ecr';
import moto from '../../out/test/support/moto.js';
import world from '../../out/test/support/referenceWorld.js';
import rolloutWorld from '../../out/test/support/rolloutWorld.js';
import metricsWorld from '../../out/test/support/metricsWorld.js';
import clients from '../../out/src/aws/clients.js';
import connection from '../../out/src/aws/connection.js';
import dockerWorld from '../../out/test/support/dockerWorld.js';

/**
 * The e2e pace of ECS: a task starts in about a second, the one-minute bake takes 3 s and the PAUSE hook's
 * 30-minute timeout 90 s, so a person-driven scenario sees the pause notification and answers it well before
 * ECS would act on its own, and the rollouts stay short (the demo's 0.1 is slower; the integration tests' 0.02 leaves
 * the pause 36 s, too close to a 5 s poll plus a click on a busy machine).
 */
export const E2E_TIME_SCALE = 0.05;

export async function startE2eWorld({ motoEnv = {}, timeScale = E2E_TIME_SCALE } = {}) {
  // A Docker engine and registry (build and push tasks), started beside moto; the workspace's Dockerfile builds FROM busybox-base.
  const [motoStart, dockerStart] = await Promise.allSettled([moto.startMoto(motoEnv, { timeScale }), dockerWorld.startDockerSandbox({ repository: world.REFERENCE.repository, baseImageTag: 'busybox-base' })]);
  const failure = motoStart.status === 'rejected' ? motoStart.reason : dockerStart.status === 'rejected' ? dockerStart.reason : dockerStart.value.available ? undefined : new Error(`the e2e world needs a Docker engine: ${dockerStart.value.reason}`);
  if (failure) {
    if (motoStart.status === 'fulfilled') await motoStart.value.stop();
    if (dockerStart.status === 'fulfilled' && dockerStart.value.available) await dockerStart.value.stop();
    throw failure;
  }
  const server = motoStart.value;
  const docker = dockerStart.value;
  Object.assign(process.env, moto.TEST_AWS_ENV);
  const usEast = clients.createAwsClients(connection.resolveConnection({ endpointUrl: server.endpoint, region: 'us-east-1', maxAttempts: 1 }));
  const euWest = clients.createAwsClients(connection.resolveConnection({ endpointUrl: server.endpoint, region: 'eu-west-1', maxAttempts: 1 }));
  const seeded = await world.seedReferenceWorld(usEast);
  const rollout = await rolloutWorld.seedRolloutWorld(usEast, server.endpoint, seeded);
  const metrics = await metricsWorld.seedMetricsWorld(usEast, server.endpoint);
  await euWest.ecr.send(new CreateRepositoryCommand({ repositoryName: 'eu-only-service' }));
  usEast.destroy();
  euWest.destroy();
  // As in the demo: a tag pushed to the sandbox's registry runs as a real container, its output in the service's logs.
  const detachDocker = await dockerWorld.runPushedImagesForReal(docker, server.endpoint);

  const dir = mkdtempSync(join(tmpdir(), 'ecr-deploy-e2e-'));
  const awsDir = join(dir, 'aws');
  mkdirSync(awsDir);
  const configFile = join(awsDir, 'config');
  const credentialsFile = join(awsDir, 'credentials');
  writeFileSync(configFile, `[profile moto-eu]\nregion = eu-west-1\nendpoint_url = ${server.endpoint}\n\n[profile no-credentials]\nregion = us-east-1\n`);
  writeFileSync(credentialsFile, '[moto-eu]\naws_access_key_id = fromprofile\naws_secret_access_key = fromprofile\n');
  const workspace = join(dir, 'workspace');
  mkdirSync(workspace);
  writeFileSync(join(workspace, 'Dockerfile'), 'FROM busybox-base\nRUN echo hello > /hello\n');

  return {
    moto: server,
    seeded,
    rollout,
    metrics,
    timeScale,
    workspace,
    /** The extension host inherits the server's environment. */
    // No AWS_REGION: it would win over a profile's region, as in the AWS CLI; the region comes from settings.
    env: {
      ...moto.TEST_AWS_ENV,
      AWS_REGION: '',
      AWS_MAX_ATTEMPTS: '1',
      AWS_CONFIG_FILE: configFile,
      AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
      ECR_DEPLOY_E2E_MOTO: server.endpoint,
      ...docker.env,
    },
    settings: {
      'ecrDeploy.endpointUrl': server.endpoint,
      'ecrDeploy.region': 'us-east-1',
      'window.dialogStyle': 'custom',
      ...docker.settings,
    },
    docker,
    async stop() {
      await detachDocker().catch(() => undefined);
      await Promise.all([server.stop(), docker.stop()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
