// `npm start`: the "try it now" sandbox. The local AWS (moto behind the rollout engine) seeded with the reference world, and a real
// VS Code in the browser with the extension installed and pointed at it. Prints the URL; Ctrl-C stops
// everything it started.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, setup } from './setup.mjs';

function step(message) {
  console.log(`demo: ${message}`);
}

function mustRun(command, args) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed`);
}

const stops = [];
let stopping = false;
async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  step('stopping everything the demo started...');
  for (const stop of stops.reverse()) await stop().catch((e) => console.error(`demo: ${e.message}`));
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

try {
  await setup('demo');
  step('building the extension and the VSIX');
  mustRun(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.test.json']);
  mustRun('npm', ['run', '--silent', 'package']);

  const moto = (await import('../out/test/support/moto.js')).default;
  const { seedReferenceWorld, REFERENCE } = (await import('../out/test/support/referenceWorld.js')).default;
  const { createAwsClients } = (await import('../out/src/aws/clients.js')).default;
  const { resolveConnection } = (await import('../out/src/aws/connection.js')).default;

  // The local AWS at a pace a person can watch: a task starts in a few seconds, the one-minute bake takes six.
  const server = await moto.startMoto({}, { timeScale: 0.1 });
  stops.push(() => server.stop());
  Object.assign(process.env, moto.TEST_AWS_ENV);
  const clients = createAwsClients(resolveConnection({ endpointUrl: server.endpoint, region: 'us-east-1', maxAttempts: 1 }));
  stops.push(async () => clients.destroy());
  const seeded = await seedReferenceWorld(clients);
  // A good tag, a broken one (its container exits 1: the circuit breaker rolls it back) and a blue/green service that pauses.
  const { seedRolloutWorld, ROLLOUT } = (await import('../out/test/support/rolloutWorld.js')).default;
  await seedRolloutWorld(clients, server.endpoint, seeded);
  // Scan findings for latest/v1.0.0 (enhanced) and dev (basic): Show Scan Findings has results at once.
  const { injectReferenceScanFindings } = (await import('../out/test/support/scanFindings.js')).default;
  await injectReferenceScanFindings(server.endpoint, clients.ecr);
  // Live lines in /ecs/mcp-server-production, so a tail shows the service talking.
  const { startLogWriter } = (await import('../out/test/support/logWriter.js')).default;
  const writer = startLogWriter(clients.logs);
  stops.push(() => writer.stop());
  step(`local AWS at ${server.endpoint}: repository ${REFERENCE.repository} (deploy ${ROLLOUT.goodTag} for a success, ${ROLLOUT.brokenTag} for a rollback), cluster ${REFERENCE.cluster}, services ${REFERENCE.service} and ${ROLLOUT.blueGreenService} (blue/green, pauses for approval)`);

  const workspace = join(ROOT, '.demo', 'workspace');
  if (!existsSync(workspace)) {
    mkdirSync(workspace, { recursive: true });
    const fixture = join(ROOT, 'test', 'fixtures', 'demo-workspace');
    if (existsSync(fixture)) cpSync(fixture, workspace, { recursive: true });
  }
  // The workspace is a repository of its own, so the tags Build and Push suggests (commit-<sha7>, the version) come
  // from its history, not from this project's, which holds .demo/.
  if (!existsSync(join(workspace, '.git'))) {
    const git = (...args) => spawnSync('git', ['-c', 'user.name=ECR Deploy demo', '-c', 'user.email=demo@example.invalid', '-c', 'init.defaultBranch=main', ...args], { cwd: workspace, stdio: 'ignore' });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'quilt-mcp-server 1.0.0');
    git('tag', 'v1.0.0');
  }
  // The shared config files the profile picker reads: the default profile and one named for the demo, both on the
  // local AWS (its SigV4 check accepts any key).
  writeFileSync(join(ROOT, '.demo', 'aws-config'), `[default]\nregion = us-east-1\nendpoint_url = ${server.endpoint}\n\n[profile demo]\nregion = us-east-1\nendpoint_url = ${server.endpoint}\n`);
  writeFileSync(join(ROOT, '.demo', 'aws-credentials'), '[default]\naws_access_key_id = demo\naws_secret_access_key = demo\n\n[demo]\naws_access_key_id = demo\naws_secret_access_key = demo\n');

  let env = { ...moto.TEST_AWS_ENV, AWS_REGION: '', AWS_CONFIG_FILE: join(ROOT, '.demo', 'aws-config'), AWS_SHARED_CREDENTIALS_FILE: join(ROOT, '.demo', 'aws-credentials') };
  let userSettings = { 'ecrDeploy.endpointUrl': server.endpoint, 'ecrDeploy.region': 'us-east-1' };

  // A private Docker engine and registry, where this machine can run them, so Build and Push works too.
  const { startDockerSandbox, runPushedImagesForReal, writeHelloService } = (await import('../out/test/support/dockerWorld.js')).default;
  const docker = await startDockerSandbox({ repository: REFERENCE.repository, baseImageTag: 'busybox-base' });
  if (docker.available) {
    env = { ...env, ...docker.env };
    userSettings = { ...userSettings, ...docker.settings };
    stops.push(() => docker.stop());
    // Tags pushed to this registry run as real containers in the local AWS, their output in Tail Logs; detached
    // (its containers removed) before the engine stops. hello-busybox/ is a service the demo's task definition runs.
    stops.push(await runPushedImagesForReal(docker, server.endpoint));
    writeHelloService(workspace);
    step(`Docker engine and registry at ${docker.registryEndpoint}: Build and Push hello-busybox/Dockerfile, deploy it and it runs for real`);
  } else {
    step(`no Docker engine for Build and Push: ${docker.reason}`);
  }

  const { startCodeServer } = await import('./lib/workbench.mjs');
  const vscode = await startCodeServer({
    vsixPath: join(ROOT, 'dist', 'ecr-deploy.vsix'),
    workspaceFolder: workspace,
    env,
    userSettings,
    log: (line) => step(line.replace(/^\[ui\] /, '')),
  });
  stops.push(() => vscode.stop());

  console.log(`\n  ECR Deploy demo is running. Open ${vscode.url} in your browser.`);
  console.log('  The ECR Deploy icon in the activity bar shows the sandbox account. Ctrl-C stops everything.\n');
} catch (error) {
  console.error(`demo: ${error.message}`);
  await stopAll(1);
}
