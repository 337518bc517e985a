// The protocol-level layer in front of moto: every request goes to moto unchanged, except the ECS operations
// the engine owns (answered by it, awsJson1.1), DescribeClusters (moto's answer with true counts), ECR
// StartImageScan / DescribeImages (moto's answers, plus the scan status and summary moto never fills), and
// the /_local/ endpoints that set behaviours and reset.
import * as http from 'node:http';
import { createEngine, EcsError } from './engine.mjs';
import { motoClient, MotoError } from './moto.mjs';
import { elbv2Client } from './elbv2.mjs';
import { createContainerRuntime } from './containers.mjs';

const ECS_PREFIX = 'AmazonEC2ContainerServiceV20141113.';
const ECR_PREFIX = 'AmazonEC2ContainerRegistry_V20150921.';
const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNDEFINED'];

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function sendError(res, code, message, status = 400) {
  send(res, status, { __type: code, message }, { 'x-amzn-errortype': code });
}

export async function startLocalAwsServer({ motoEndpoint, port = 0, timeScale = 1, region = 'us-east-1', docker }) {
  const motoUrl = new URL(motoEndpoint);
  const call = motoClient(motoEndpoint, region);
  const elb = elbv2Client(motoEndpoint, region);
  const engine = createEngine({ call, elb, region, timeScale });
  /** Real containers on `dockerHost` for images in `registry` (host:port); both checked before they are used. */
  async function attachDocker({ dockerHost, registry } = {}) {
    if (!dockerHost && !registry) {
      await engine.setRuntime(undefined);
      return { docker: null };
    }
    const runtime = createContainerRuntime({ dockerHost, registry, call, timeScale });
    await runtime.check();
    await engine.setRuntime(runtime);
    return { docker: { dockerHost, registry, label: `${runtime.label}=${runtime.instance}` } };
  }
  if (docker) await attachDocker(docker);
  // `${repositoryName}@${digest}` -> { at: when StartImageScan was answered, summary once read }. The summary is
  // read once per scan: moto hands each injected result to a limited number of DescribeImageScanFindings.
  const scanned = new Map();
  // targetGroupArn -> Map(target id -> { state, reason, description }): moto answers every registered target
  // healthy (it runs no health checks), so a failing target is set here and DescribeTargetHealth says so.
  const targetHealth = new Map();
  const TARGET_STATES = ['initial', 'healthy', 'unhealthy', 'unused', 'draining', 'unavailable', 'unhealthy.draining'];
  const xmlEscape = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

  /** moto's DescribeTargetHealth answer with the states set through /_local/elbv2/target-health in place of its own. */
  function withTargetHealth(xml, overrides) {
    return xml.replace(/<member>([\s\S]*?)<\/member>/g, (member, inner) => {
      const id = /<Id>([^<]+)<\/Id>/.exec(inner)?.[1];
      const set = id && overrides.get(id);
      if (!set || !/<TargetHealth>/.test(inner)) return member;
      const health = `<TargetHealth><State>${xmlEscape(set.state)}</State>${set.reason ? `<Reason>${xmlEscape(set.reason)}</Reason>` : ''}${set.description ? `<Description>${xmlEscape(set.description)}</Description>` : ''}</TargetHealth>`;
      return `<member>${inner.replace(/<TargetHealth>[\s\S]*?<\/TargetHealth>|<TargetHealth\/>/, health)}</member>`;
    });
  }

  /** Forwards a request to moto as it came; resolves with moto's status, headers and body. */
  function forward(req, body) {
    return new Promise((resolve, reject) => {
      const out = http.request(
        { host: motoUrl.hostname, port: motoUrl.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          const chunks = [];
          answer.on('data', (c) => chunks.push(c));
          answer.on('end', () => resolve({ status: answer.statusCode ?? 500, headers: answer.headers, body: Buffer.concat(chunks) }));
          answer.on('error', reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });
  }

  function relay(res, answer, body = answer.body) {
    const headers = { ...answer.headers };
    delete headers['transfer-encoding'];
    headers['content-length'] = String(body.length);
    res.writeHead(answer.status, headers);
    res.end(body);
  }

  async function scanSummary(repositoryName, imageDigest, scannedAt) {
    let findings;
    try {
      findings = await call('ecr', 'DescribeImageScanFindings', { repositoryName, imageId: { imageDigest } });
    } catch {
      return undefined;
    }
    const f = findings.imageScanFindings ?? {};
    let counts = f.findingSeverityCounts;
    if (!counts || Object.keys(counts).length === 0) {
      counts = {};
      for (const x of [...(f.findings ?? []), ...(f.enhancedFindings ?? [])]) {
        const sev = SEVERITIES.includes(x.severity) ? x.severity : 'UNDEFINED';
        counts[sev] = (counts[sev] ?? 0) + 1;
      }
    }
    const completed = f.imageScanCompletedAt ?? scannedAt / 1000;
    // The status moto keeps with the result (ACTIVE for enhanced scanning), COMPLETE when it keeps none.
    return {
      imageScanStatus: findings.imageScanStatus?.status ? findings.imageScanStatus : { status: 'COMPLETE', description: 'The scan was completed successfully.' },
      imageScanFindingsSummary: { findingSeverityCounts: counts, imageScanCompletedAt: completed, vulnerabilitySourceUpdatedAt: f.vulnerabilitySourceUpdatedAt ?? completed },
    };
  }

  async function handleLocal(req, res, body) {
    let input = {};
    try {
      input = body.length ? JSON.parse(body.toString()) : {};
    } catch {
      return send(res, 400, { message: 'body must be JSON' });
    }
    try {
      if (req.method === 'POST' && req.url === '/_local/ecs/behaviours') return send(res, 200, await engine.setBehaviour(input.image, input.behaviour));
      if (req.method === 'POST' && req.url === '/_local/docker') {
        try {
          return send(res, 200, await attachDocker(input));
        } catch (e) {
          return send(res, 400, { message: e.message });
        }
      }
      if (req.method === 'POST' && req.url === '/_local/ecs/hooks') return send(res, 200, engine.setHookResult(input.hookTargetArn, input.result));
      if (req.method === 'POST' && req.url === '/_local/reset') {
        const r = await fetch(`${motoEndpoint}/moto-api/reset`, { method: 'POST' });
        if (!r.ok) return send(res, 502, { message: `moto reset failed: HTTP ${r.status}` });
        await engine.reset();
        scanned.clear();
        targetHealth.clear();
        return send(res, 200, { reset: true });
      }
      if (req.method === 'POST' && req.url === '/_local/elbv2/blue-green') {
        // A load balancer in moto with blue and green target groups and production/test listener rules.
        if (!/^[A-Za-z0-9-]{1,20}$/.test(input.name ?? '')) return send(res, 400, { message: 'name must be 1 to 20 letters, digits or hyphens' });
        return send(res, 200, await elb.createBlueGreenLoadBalancer(input.name));
      }
      if (req.method === 'POST' && req.url === '/_local/elbv2/load-balancer') {
        // A load balancer in moto with one target group behind its listener (a rolling service's).
        if (!/^[A-Za-z0-9-]{1,20}$/.test(input.name ?? '')) return send(res, 400, { message: 'name must be 1 to 20 letters, digits or hyphens' });
        return send(res, 200, await elb.createLoadBalancer(input.name));
      }
      if (req.method === 'POST' && req.url === '/_local/elbv2/target-health') {
        // { targetGroupArn, id, state, reason?, description? }; state "healthy" with no reason undoes it.
        if (typeof input.targetGroupArn !== 'string' || typeof input.id !== 'string') return send(res, 400, { message: 'targetGroupArn and id are required' });
        if (!TARGET_STATES.includes(input.state)) return send(res, 400, { message: `state must be one of ${TARGET_STATES.join(', ')}` });
        const group = targetHealth.get(input.targetGroupArn) ?? new Map();
        group.set(input.id, { state: input.state, reason: input.reason, description: input.description });
        targetHealth.set(input.targetGroupArn, group);
        return send(res, 200, { targetGroupArn: input.targetGroupArn, id: input.id, state: input.state });
      }
      if (req.method === 'GET' && req.url === '/_local/health') return send(res, 200, { ok: true });
      return send(res, 404, { message: `no such local endpoint: ${req.method} ${req.url}` });
    } catch (e) {
      return send(res, e instanceof EcsError ? 400 : 500, { message: e.message });
    }
  }

  async function handle(req, res) {
    const body = await readBody(req);
    if (req.url?.startsWith('/_local/')) return handleLocal(req, res, body);
    const target = String(req.headers['x-amz-target'] ?? '');
    if (target.startsWith(ECS_PREFIX)) {
      const operation = target.slice(ECS_PREFIX.length);
      if (engine.owns(operation)) {
        let input;
        try {
          input = body.length ? JSON.parse(body.toString()) : {};
        } catch {
          return sendError(res, 'SerializationException', 'Request body is not JSON.');
        }
        try {
          return send(res, 200, await engine.handle(operation, input));
        } catch (e) {
          if (e instanceof EcsError) return sendError(res, e.code, e.message);
          if (e instanceof MotoError) return sendError(res, e.code, e.message, e.status);
          console.error(`local-aws: ${operation} failed:`, e);
          return sendError(res, 'ServerException', String(e?.message ?? e), 500);
        }
      }
      if (operation === 'DescribeClusters') {
        const answer = await forward(req, body);
        if (answer.status !== 200) return relay(res, answer);
        const out = JSON.parse(answer.body.toString());
        for (const c of out.clusters ?? []) Object.assign(c, engine.clusterCounts(c.clusterArn));
        return relay(res, answer, Buffer.from(JSON.stringify(out)));
      }
    }
    if (target === `${ECR_PREFIX}StartImageScan`) {
      const answer = await forward(req, body);
      if (answer.status === 200) {
        const out = JSON.parse(answer.body.toString());
        if (out.repositoryName && out.imageId?.imageDigest) scanned.set(`${out.repositoryName}@${out.imageId.imageDigest}`, { at: Date.now() });
      }
      return relay(res, answer);
    }
    if (target === `${ECR_PREFIX}DescribeImages`) {
      const answer = await forward(req, body);
      if (answer.status !== 200) return relay(res, answer);
      const out = JSON.parse(answer.body.toString());
      for (const image of out.imageDetails ?? []) {
        const scan = scanned.get(`${image.repositoryName}@${image.imageDigest}`);
        if (!scan || image.imageScanStatus) continue;
        scan.summary ??= await scanSummary(image.repositoryName, image.imageDigest, scan.at);
        Object.assign(image, scan.summary);
      }
      return relay(res, answer, Buffer.from(JSON.stringify(out)));
    }
    if (targetHealth.size && String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      const params = new URLSearchParams(body.toString());
      const overrides = params.get('Action') === 'DescribeTargetHealth' && targetHealth.get(params.get('TargetGroupArn') ?? '');
      if (overrides) {
        const answer = await forward(req, body);
        if (answer.status !== 200) return relay(res, answer);
        return relay(res, answer, Buffer.from(withTargetHealth(answer.body.toString(), overrides)));
      }
    }
    return relay(res, await forward(req, body));
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e) => {
      console.error('local-aws: request failed:', e);
      if (!res.headersSent) sendError(res, 'ServerException', String(e?.message ?? e), 500);
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  engine.start();
  return {
    port: server.address().port,
    engine,
    elb,
    async close() {
      await engine.stop();
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      });
    },
  };
}
