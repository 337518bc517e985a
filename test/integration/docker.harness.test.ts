/**
 * The Docker test harness itself: two worlds started at once do not collide (own sockets, ports,
 * data and login state), and stop() leaves no process and no directory behind.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { dockerCli, MOTO_REGISTRY_PASSWORD, startDockerWorld } from '../support/docker';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('docker test harness', () => {
  it('two worlds side by side: separate engines, registries and directories; both stop by PID', async () => {
    const [a, b] = await Promise.all([startDockerWorld({ baseImage: false }), startDockerWorld({ baseImage: false })]);
    try {
      assert.notEqual(a.engine.host, b.engine.host);
      assert.notEqual(a.registry.endpoint, b.registry.endpoint);
      assert.notEqual(a.dir, b.dir);
      assert.notEqual(a.env.DOCKER_CONFIG, b.env.DOCKER_CONFIG);
      const [infoA, infoB] = await Promise.all([dockerCli(['info', '--format', '{{.DockerRootDir}}'], a.env), dockerCli(['info', '--format', '{{.DockerRootDir}}'], b.env)]);
      assert.ok(infoA.trim().startsWith(a.dir), `engine A keeps its data in its own world: ${infoA}`);
      assert.ok(infoB.trim().startsWith(b.dir), `engine B keeps its data in its own world: ${infoB}`);
      // A login to one registry is not seen by the other world's docker config.
      await dockerCli(['login', '--username', 'AWS', '--password-stdin', a.registry.endpoint], a.env, MOTO_REGISTRY_PASSWORD);
      assert.ok(fs.readFileSync(`${a.env.DOCKER_CONFIG}/config.json`, 'utf8').includes(a.registry.endpoint));
      assert.equal(fs.existsSync(`${b.env.DOCKER_CONFIG}/config.json`), false);
      for (const world of [a, b]) assert.equal((await fetch(`http://${world.registry.endpoint}/v2/`)).status, 401, 'the registry asks for credentials');
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    for (const world of [a, b]) {
      assert.equal(alive(world.engine.pid), false, 'dockerd stopped');
      assert.equal(alive(world.registry.pid), false, 'registry stopped');
      assert.equal(fs.existsSync(world.dir), false, 'its directory is removed');
    }
  });
});
