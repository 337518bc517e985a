/**
 * Starts the project's local AWS (moto_server behind the ECS rollout engine, scripts/local-aws.mjs) on a
 * free loopback port for a test file, and stops it. Every AWS call of the integration and e2e tests goes
 * over HTTP to it, through the same client factory users get.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import * as net from 'node:net';

export interface MotoServer {
  endpoint: string;
  port: number;
  reset(): Promise<void>;
  stop(): Promise<void>;
  /** How the local AWS's tasks of an image behave (a tag and its digest are one image); default healthy. */
  setBehaviour(image: string, behaviour: 'healthy' | 'crash' | 'unhealthy' | 'cannot-pull'): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

/** The credentials and region every test uses: moto routes by the SigV4 scope and checks no signature. */
export const TEST_AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: 'us-east-1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  // The credential chain ends at the instance metadata service: tests never send traffic off this machine.
  AWS_EC2_METADATA_DISABLED: 'true',
};

/** How much faster than ECS the tests' rollouts run: a 1-minute bake takes 1.2 s, a task starts in well under a second. */
export const TEST_TIME_SCALE = 0.02;

const LOCAL_AWS = path.resolve(__dirname, '..', '..', '..', 'scripts', 'local-aws.mjs');

/**
 * Starts the project's local AWS (`scripts/local-aws.mjs --empty`: moto behind the ECS rollout engine) on a
 * free loopback port. `extraEnv` goes to the process (and so to moto). Deployments really roll out, at
 * `timeScale` times ECS's pace.
 */
export async function startMoto(extraEnv: Record<string, string> = {}, { timeScale = TEST_TIME_SCALE }: { timeScale?: number } = {}): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [LOCAL_AWS, '--empty', '--time-scale', String(timeScale), '--port', String(port)], {
    env: { ...process.env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the local AWS printed no endpoint within 60 s: ${log}`)), 60_000);
    const keep = (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-8000);
      if (log.includes(`endpoint ${endpoint}`)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the local AWS exited (${code}) before it was ready (is moto_server on PATH?): ${log}`));
    });
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`Cannot start the local AWS: ${e.message}`));
    });
  });
  return {
    endpoint,
    port,
    async reset() {
      const res = await fetch(`${endpoint}/_local/reset`, { method: 'POST' });
      if (!res.ok) throw new Error(`local AWS reset failed: HTTP ${res.status}`);
    },
    async setBehaviour(image, behaviour) {
      const res = await fetch(`${endpoint}/_local/ecs/behaviours`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ image, behaviour }) });
      if (!res.ok) throw new Error(`setting the behaviour of ${image}: HTTP ${res.status} ${await res.text()}`);
    },
    stop() {
      return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      });
    },
  };
}
