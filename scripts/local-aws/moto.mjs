// moto_server as a child process on an internal loopback port, and a small client that calls it the way the
// SDK would (awsJson1.1, a SigV4-shaped Authorization header: moto routes by the credential scope and checks
// no signature).
import { spawn } from 'node:child_process';
import * as net from 'node:net';

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function startMotoServer({ env = {} } = {}) {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (chunk) => {
    log = (log + chunk.toString()).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let spawnError;
  let stopping = false;
  child.once('error', (e) => {
    spawnError = e;
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (spawnError) throw new Error(`Cannot start moto_server (is it installed and on PATH?): ${spawnError.message}`);
    if (child.exitCode !== null) throw new Error(`moto_server exited (${child.exitCode}): ${log}`);
    if (Date.now() > deadline) throw new Error(`moto_server did not answer within 30 s: ${log}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/data.json`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    endpoint,
    /** Called once if moto_server exits on its own (not through stop()). */
    onUnexpectedExit(callback) {
      child.once('exit', (code, signal) => {
        if (!stopping) callback(code, signal, log);
      });
    },
    stop() {
      stopping = true;
      return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      });
    },
  };
}

const TARGET_PREFIX = { ecs: 'AmazonEC2ContainerServiceV20141113', ecr: 'AmazonEC2ContainerRegistry_V20150921', logs: 'Logs_20140328', ssm: 'AmazonSSM', secretsmanager: 'secretsmanager' };

export class MotoError extends Error {
  constructor(code, message, status) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

/** One awsJson1.1 call to moto: `await call('ecs', 'DescribeTaskDefinition', {...})`. */
export function motoClient(endpoint, region = 'us-east-1') {
  return async function call(service, operation, body) {
    const date = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    const res = await fetch(endpoint + '/', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `${TARGET_PREFIX[service]}.${operation}`,
        authorization: `AWS4-HMAC-SHA256 Credential=test/${date}/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-target, Signature=0`,
      },
      body: JSON.stringify(body ?? {}),
    });
    const text = await res.text();
    let parsed = {};
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = { message: text };
    }
    if (!res.ok) {
      const code = String(parsed.__type ?? res.headers.get('x-amzn-errortype') ?? 'ServerException').split('#').pop().split(':')[0];
      throw new MotoError(code, parsed.message ?? parsed.Message ?? text, res.status);
    }
    return parsed;
  };
}
