// Real containers for the ECS rollout engine, where the local AWS has been told about a Docker engine and a
// registry (`--docker-host`/`--docker-registry`, or `POST /_local/docker`). A task whose every image is in that
// registry runs as real containers of those images; the engine asks this module whether an image is local and
// hands it the tasks to start and stop, and this module calls back with what really happened: started, health
// (docker's own HEALTHCHECK running the task definition's command inside the container), exited with a code,
// failed to start. Output goes to the task definition's awslogs group and stream through PutLogEvents.
//
// Everything is done over the Docker Engine API on the engine's socket, never through the docker CLI: the
// environment and resolved secrets travel in the create request's JSON body, never in any process's argv,
// and the registry credentials (moto's GetAuthorizationToken, the registry's htpasswd password) go in the
// X-Registry-Auth header of the pull.
import * as http from 'node:http';
import { randomBytes } from 'node:crypto';

const API = '/v1.41'; // Debian's dockerd 20.10
const LABEL = 'ecr-deploy.local-aws';
const MANIFEST_ACCEPT = ['application/vnd.docker.distribution.manifest.v2+json', 'application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json', 'application/vnd.oci.image.index.v1+json'].join(', ');

/** `unix:///path/docker.sock` or `tcp://host:port` -> options for http.request. */
export function dockerTarget(dockerHost) {
  const m = /^unix:\/\/(\/.+)$/.exec(dockerHost ?? '');
  if (m) return { socketPath: m[1] };
  const t = /^tcp:\/\/([^:/]+):(\d+)\/?$/.exec(dockerHost ?? '');
  if (t) return { host: t[1], port: Number(t[2]) };
  throw new Error(`docker host must be unix:///path or tcp://host:port, not ${JSON.stringify(dockerHost)}`);
}

/** One call of the Docker Engine API; resolves with status and the whole body (or the response, when `stream`). */
function dockerRequest(target, method, path, { body, headers = {}, stream = false } = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request(
      { ...target, method, path: API + path, headers: { ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}), ...headers } },
      (res) => {
        if (stream && res.statusCode < 300) return resolve({ status: res.statusCode, res });
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let json;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const apiError = (what, r) => new Error(`${what}: ${r.json?.message ?? r.text ?? `HTTP ${r.status}`}`.trim());

/** Splits an image reference into registry host, repository, tag and digest. */
export function parseImage(image) {
  const m = /^(?:([^/]+)\/)?([^:@]+(?:\/[^:@]+)*)(?::([^@]+))?(?:@(sha256:[a-f0-9]+))?$/.exec(image ?? '');
  if (!m) return undefined;
  let [, host, repository, tag, digest] = m;
  if (host && !/[.:]/.test(host) && host !== 'localhost') {
    repository = `${host}/${repository}`;
    host = undefined;
  }
  return { host, repository, tag, digest };
}

/** Nanoseconds for docker's HealthConfig. */
const ns = (seconds) => Math.round(seconds * 1e9);

export function createContainerRuntime({ dockerHost, registry, call, timeScale = 1, log = (m) => console.error(`local-aws: ${m}`) }) {
  const target = dockerTarget(dockerHost);
  if (!/^[A-Za-z0-9.-]+(:\d+)?$/.test(registry ?? '')) throw new Error(`registry must be host:port, not ${JSON.stringify(registry)}`);
  const instance = randomBytes(6).toString('hex');
  const running = new Map(); // taskArn -> { containers: Map(name -> state), stopping }
  let network; // 'bridge' when the engine has one, else 'none'

  /** The registry's credentials: moto's authorization token, the password the registry's htpasswd holds. */
  async function credentials() {
    const out = await call('ecr', 'GetAuthorizationToken', {});
    const token = out.authorizationData?.[0]?.authorizationToken;
    const [username, ...rest] = Buffer.from(token ?? '', 'base64').toString().split(':');
    return { username, password: rest.join(':') };
  }

  /** `registry/repo:tag` when `image` names the local registry (itself, or this account's ECR host) and is there. */
  async function localImage(image) {
    const p = parseImage(image);
    if (!p?.host) return undefined;
    const ecrHost = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com$/.test(p.host);
    if (!ecrHost && p.host !== registry) return undefined;
    const reference = p.digest ?? p.tag ?? 'latest';
    try {
      const { username, password } = await credentials();
      const res = await fetch(`http://${registry}/v2/${p.repository}/manifests/${reference}`, {
        method: 'HEAD',
        headers: { accept: MANIFEST_ACCEPT, authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` },
      });
      if (!res.ok) return undefined;
    } catch {
      return undefined;
    }
    return `${registry}/${p.repository}${p.digest ? `@${p.digest}` : `:${p.tag ?? 'latest'}`}`;
  }

  async function networkMode() {
    if (!network) {
      const r = await dockerRequest(target, 'GET', '/networks/bridge');
      network = r.status === 200 ? 'bridge' : 'none';
    }
    return network;
  }

  async function pull(ref) {
    const { username, password } = await credentials();
    // Docker decodes X-Registry-Auth as padded base64url (Go's base64.URLEncoding).
    const auth = Buffer.from(JSON.stringify({ username, password, serveraddress: registry })).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
    const at = ref.includes('@') ? ref.lastIndexOf('@') : ref.lastIndexOf(':');
    const r = await dockerRequest(target, 'POST', `/images/create?fromImage=${encodeURIComponent(ref.slice(0, at))}&tag=${encodeURIComponent(ref.slice(at + 1))}`, { headers: { 'x-registry-auth': auth } });
    if (r.status !== 200) throw apiError(`pull ${ref}`, r);
    // The pull answers 200 and reports its failure inside the progress stream.
    for (const line of r.text.split('\n')) {
      if (!line.trim()) continue;
      let item;
      try {
        item = JSON.parse(line);
      } catch {
        continue;
      }
      if (item.error) throw new Error(item.error);
    }
  }

  /** `secrets` of a container definition, resolved from SSM Parameter Store and Secrets Manager in moto. */
  async function resolveSecrets(secrets = []) {
    const out = [];
    for (const { name, valueFrom } of secrets) {
      let value;
      if (/^arn:aws:secretsmanager:/.test(valueFrom)) {
        const parts = valueFrom.split(':');
        const secretId = parts.slice(0, 7).join(':');
        const [jsonKey, versionStage, versionId] = parts.slice(7);
        const got = await call('secretsmanager', 'GetSecretValue', { SecretId: secretId, ...(versionStage ? { VersionStage: versionStage } : {}), ...(versionId ? { VersionId: versionId } : {}) });
        value = got.SecretString ?? '';
        if (jsonKey) value = String(JSON.parse(value)[jsonKey] ?? '');
      } else {
        const m = /^arn:aws:ssm:[^:]*:\d*:parameter(\/.*)$/.exec(valueFrom);
        let nameOf = m ? m[1] : valueFrom;
        let got;
        try {
          got = await call('ssm', 'GetParameter', { Name: nameOf, WithDecryption: true });
        } catch (e) {
          // `parameter/name` in an ARN is the parameter `name` when it has no leading slash of its own.
          if (!m) throw e;
          nameOf = nameOf.slice(1);
          got = await call('ssm', 'GetParameter', { Name: nameOf, WithDecryption: true });
        }
        value = got.Parameter?.Value ?? '';
      }
      out.push(`${name}=${value}`);
    }
    return out;
  }

  // ------------------------------------------------------------ logs: the container's output to CloudWatch Logs

  function logShipper(definition, taskId) {
    const lc = definition.logConfiguration;
    if (lc?.logDriver !== 'awslogs' || !lc.options?.['awslogs-group']) return undefined;
    const group = lc.options['awslogs-group'];
    const prefix = lc.options['awslogs-stream-prefix'];
    const stream = prefix ? `${prefix}/${definition.name}/${taskId}` : `${definition.name}/${taskId}`;
    let queue = [];
    let ready;
    let flushing = Promise.resolve();
    const ensure = () =>
      (ready ??= (async () => {
        await call('logs', 'CreateLogGroup', { logGroupName: group }).catch((e) => {
          if (e.code !== 'ResourceAlreadyExistsException') throw e;
        });
        await call('logs', 'CreateLogStream', { logGroupName: group, logStreamName: stream }).catch((e) => {
          if (e.code !== 'ResourceAlreadyExistsException') throw e;
        });
      })());
    const flush = () => {
      flushing = flushing.then(async () => {
        if (!queue.length) return;
        const events = queue.sort((a, b) => a.timestamp - b.timestamp);
        queue = [];
        try {
          await ensure();
          for (let i = 0; i < events.length; i += 1000) await call('logs', 'PutLogEvents', { logGroupName: group, logStreamName: stream, logEvents: events.slice(i, i + 1000) });
        } catch (e) {
          log(`PutLogEvents to ${group}/${stream} failed: ${e.message}`);
        }
      });
      return flushing;
    };
    const timer = setInterval(flush, 200);
    return {
      group,
      stream,
      push(timestamp, message) {
        queue.push({ timestamp, message });
      },
      async close() {
        clearInterval(timer);
        await flush();
      },
    };
  }

  /** Follows a container's stdout/stderr (the multiplexed stream of a container without a TTY) into `ship`. */
  async function followLogs(id, ship) {
    const r = await dockerRequest(target, 'GET', `/containers/${id}/logs?follow=1&stdout=1&stderr=1&timestamps=1`, { stream: true });
    if (!r.res) return;
    let buffer = Buffer.alloc(0);
    const partial = ['', '', ''];
    const line = (kind, text) => {
      const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?Z (.*)$/s.exec(text);
      const timestamp = m ? Date.parse(`${m[1]}${(m[2] ?? '.000').slice(0, 4)}Z`) : Date.now();
      ship.push(timestamp, m ? m[3] : text);
    };
    await new Promise((resolve) => {
      r.res.on('data', (chunk) => {
        buffer = Buffer.concat([buffer, chunk]);
        while (buffer.length >= 8) {
          const size = buffer.readUInt32BE(4);
          if (buffer.length < 8 + size) break;
          const kind = buffer[0] === 2 ? 2 : 1;
          const lines = (partial[kind] + buffer.subarray(8, 8 + size).toString()).split('\n');
          partial[kind] = lines.pop();
          for (const l of lines) line(kind, l);
          buffer = buffer.subarray(8 + size);
        }
      });
      r.res.on('end', resolve);
      r.res.on('error', resolve);
      r.res.on('close', resolve);
    });
    for (const kind of [1, 2]) if (partial[kind]) line(kind, partial[kind]);
  }

  // ------------------------------------------------------------ tasks

  async function inspect(id) {
    const r = await dockerRequest(target, 'GET', `/containers/${id}/json`);
    return r.status === 200 ? r.json : undefined;
  }

  /**
   * Starts the task's containers. `on` gets: started(name, { runtimeId, networkBindings }), health(name, HEALTHY|UNHEALTHY),
   * exited(name, exitCode), failed(reason) when a container cannot be pulled or started.
   */
  function startTask({ taskArn, definitions, refs, stopTimeout }, on) {
    const taskId = taskArn.split('/').pop();
    const entry = { containers: new Map(), stopTimeout, stopped: false };
    running.set(taskArn, entry);
    void (async () => {
      for (const def of definitions) {
        if (entry.stopped) return;
        const ref = refs[def.name];
        try {
          await pull(ref);
        } catch (e) {
          return on.failed(`CannotPullContainerError: pull image manifest has been retried 1 time(s): ${e.message}`, def.name);
        }
        let env;
        try {
          env = [...(def.environment ?? []).map((x) => `${x.name}=${x.value ?? ''}`), ...(await resolveSecrets(def.secrets))];
        } catch (e) {
          return on.failed(`ResourceInitializationError: unable to pull secrets or registry auth: ${e.message}`, def.name);
        }
        const hc = def.healthCheck;
        const scaled = (s, floor) => Math.max(floor, s * timeScale);
        const mode = await networkMode();
        const ports = (def.portMappings ?? []).filter((p) => p.containerPort);
        const body = {
          Image: ref,
          Env: env,
          ...(def.command ? { Cmd: def.command } : {}),
          ...(def.entryPoint ? { Entrypoint: def.entryPoint } : {}),
          ...(def.workingDirectory ? { WorkingDir: def.workingDirectory } : {}),
          ...(def.user ? { User: def.user } : {}),
          Labels: { [LABEL]: instance, 'com.amazonaws.ecs.task-arn': taskArn, 'com.amazonaws.ecs.container-name': def.name },
          ...(hc?.command?.length
            ? {
                Healthcheck: {
                  Test: hc.command,
                  Interval: ns(scaled(hc.interval ?? 30, 0.05)),
                  Timeout: ns(scaled(hc.timeout ?? 5, 2)),
                  Retries: hc.retries ?? 3,
                  StartPeriod: ns(scaled(hc.startPeriod ?? 0, 0)),
                },
              }
            : {}),
          ExposedPorts: Object.fromEntries(ports.map((p) => [`${p.containerPort}/${p.protocol ?? 'tcp'}`, {}])),
          HostConfig: {
            NetworkMode: mode,
            // Published on free loopback ports chosen by the engine: two tasks of one service never collide.
            PortBindings: mode === 'bridge' ? Object.fromEntries(ports.map((p) => [`${p.containerPort}/${p.protocol ?? 'tcp'}`, [{ HostIp: '127.0.0.1', HostPort: '' }]])) : {},
            ...(def.memory ? { Memory: def.memory * 1024 * 1024 } : {}),
          },
        };
        const name = `ecs-local-${taskId.slice(0, 12)}-${def.name.replace(/[^A-Za-z0-9_.-]/g, '-')}`;
        const created = await dockerRequest(target, 'POST', `/containers/create?name=${encodeURIComponent(name)}`, { body });
        if (created.status !== 201) return on.failed(`CannotCreateContainerError: ${created.json?.message ?? created.text}`, def.name);
        const id = created.json.Id;
        if (entry.stopped) {
          // Stopped while this container was being created: it never runs.
          await dockerRequest(target, 'DELETE', `/containers/${id}?force=1&v=1`).catch(() => undefined);
          return;
        }
        const state = { id, name: def.name, exitCode: undefined, health: undefined };
        entry.containers.set(def.name, state);
        state.logs = Promise.resolve();
        const started = await dockerRequest(target, 'POST', `/containers/${id}/start`);
        if (started.status !== 204 && started.status !== 304) return on.failed(`CannotStartContainerError: ${started.json?.message ?? started.text}`, def.name);
        // Followed once started (a follow of a created container ends at once); docker keeps every line since the start,
        // so a container that has already exited still hands over all of them.
        const ship = logShipper(def, taskId);
        if (ship) state.logs = followLogs(id, ship).catch((e) => log(`following the output of ${def.name}: ${e.message}`)).then(() => ship.close());
        const info = await inspect(id);
        const networkBindings = [];
        for (const [key, binds] of Object.entries(info?.NetworkSettings?.Ports ?? {})) {
          const [containerPort, protocol] = key.split('/');
          for (const b of binds ?? []) networkBindings.push({ bindIP: b.HostIp, containerPort: Number(containerPort), hostPort: Number(b.HostPort), protocol });
        }
        on.started(def.name, { runtimeId: id, networkBindings });
        // The exit, as docker reports it.
        state.waited = dockerRequest(target, 'POST', `/containers/${id}/wait`).then(async (r) => {
          state.exitCode = r.json?.StatusCode ?? (await inspect(id))?.State?.ExitCode;
          if (!entry.stopped) on.exited(def.name, state.exitCode);
        });
        if (hc?.command?.length) {
          state.poll = setInterval(async () => {
            const s = (await inspect(id).catch(() => undefined))?.State;
            const h = s?.Health?.Status;
            const mapped = h === 'healthy' ? 'HEALTHY' : h === 'unhealthy' ? 'UNHEALTHY' : undefined;
            if (mapped && mapped !== state.health && !entry.stopped) {
              state.health = mapped;
              if (mapped === 'UNHEALTHY') log(`${def.name} of ${taskArn} is unhealthy: ${JSON.stringify(s.Health.Log?.at(-1)?.Output ?? '').slice(0, 300)}`);
              on.health(def.name, mapped);
            }
            if (s && !s.Running) clearInterval(state.poll);
          }, Math.max(50, Math.min(500, (hc.interval ?? 30) * timeScale * 500)));
        }
      }
    })().catch((e) => on.failed(`CannotStartContainerError: ${e.message}`));
  }

  /** Stops and removes the task's containers; resolves with their exit codes by container name. */
  async function stopTask(taskArn) {
    const entry = running.get(taskArn);
    if (!entry) return {};
    entry.stopped = true;
    running.delete(taskArn);
    const codes = {};
    await Promise.all(
      [...entry.containers.values()].map(async (state) => {
        clearInterval(state.poll);
        await dockerRequest(target, 'POST', `/containers/${state.id}/stop?t=${Math.max(1, Math.ceil((entry.stopTimeout ?? 30) * timeScale))}`).catch(() => undefined);
        const info = await inspect(state.id).catch(() => undefined);
        codes[state.name] = state.exitCode ?? info?.State?.ExitCode;
        // The last lines reach CloudWatch Logs before the container (and its log) is gone.
        await Promise.race([state.logs, new Promise((r) => setTimeout(r, 3000))]);
        await dockerRequest(target, 'DELETE', `/containers/${state.id}?force=1&v=1`).catch(() => undefined);
      }),
    );
    return codes;
  }

  /** Every container this local AWS started, gone (reset, shutdown). */
  async function removeAll() {
    for (const entry of running.values()) {
      entry.stopped = true;
      for (const s of entry.containers.values()) clearInterval(s.poll);
    }
    running.clear();
    const filters = encodeURIComponent(JSON.stringify({ label: [`${LABEL}=${instance}`] }));
    const r = await dockerRequest(target, 'GET', `/containers/json?all=1&filters=${filters}`).catch(() => undefined);
    await Promise.all((r?.json ?? []).map((c) => dockerRequest(target, 'DELETE', `/containers/${c.Id}?force=1&v=1`).catch(() => undefined)));
  }

  async function check() {
    const r = await dockerRequest(target, 'GET', '/_ping').catch((e) => ({ status: 0, text: e.message }));
    if (r.status !== 200) throw new Error(`no Docker engine answers at ${dockerHost}: ${r.text}`);
    const v2 = await fetch(`http://${registry}/v2/`).catch((e) => ({ status: 0, statusText: e.message }));
    if (v2.status !== 200 && v2.status !== 401) throw new Error(`no registry answers at ${registry}: ${v2.status} ${v2.statusText}`);
  }

  return { dockerHost, registry, label: LABEL, instance, check, localImage, startTask, stopTask, removeAll };
}
