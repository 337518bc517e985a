/**
 * A fault-injecting HTTP proxy of our own, between the SDK (or the built CLI) and the local AWS: it
 * forwards every request unchanged, except the occurrences of an AWS operation a test chose, which get
 * the faults real networks and real AWS endpoints produce — a 5xx with an HTML body (a load balancer's
 * page, not AWS JSON), ThrottlingException, a connection reset before the server saw the request, an
 * answer lost after the server acted (forwarded, then the client's socket destroyed), or a delay.
 * The operation is the `X-Amz-Target` header's action (`RegisterTaskDefinition`), counted from 1 per
 * operation since the last `plan`.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault =
  | { kind: 'html'; status: 500 | 502 | 503 }
  | { kind: 'throttle' }
  /** The socket is destroyed before anything is forwarded: the server never saw the request. */
  | { kind: 'reset' }
  /** Forwarded, the server's whole answer read, then the client's socket destroyed: the change happened. */
  | { kind: 'lost-answer' }
  | { kind: 'delay'; ms: number };

export interface FaultRule {
  /** The action of `X-Amz-Target`, e.g. `UpdateService`. */
  operation: string;
  /** Which occurrences (1-based) of the operation get the fault; `'all'` for every one. */
  occurrences: readonly number[] | 'all';
  fault: Fault;
}

export interface ProxiedCall {
  operation: string;
  occurrence: number;
  fault?: Fault['kind'];
}

export interface FaultProxy {
  endpoint: string;
  /** Replaces the rules and starts counting occurrences afresh. */
  plan(rules: readonly FaultRule[]): void;
  /** Every AWS call seen since the last `plan`, in order, with the fault it got. */
  calls(): ProxiedCall[];
  /** How many times `operation` was sent since the last `plan`. */
  count(operation: string): number;
  stop(): Promise<void>;
}

const HTML_BODY = (status: number) => `<html><body><h1>${status} ${http.STATUS_CODES[status] ?? 'Error'}</h1><p>The server is temporarily unable to service your request.</p></body></html>\n`;

function operationOf(req: http.IncomingMessage): string {
  const target = String(req.headers['x-amz-target'] ?? '');
  return target.includes('.') ? target.slice(target.lastIndexOf('.') + 1) : '';
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function forward(upstream: URL, req: http.IncomingMessage, body: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const out = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    out.on('error', reject);
    out.end(body);
  });
}

export async function startFaultProxy(upstreamEndpoint: string): Promise<FaultProxy> {
  const upstream = new URL(upstreamEndpoint);
  let rules: readonly FaultRule[] = [];
  let seen = new Map<string, number>();
  let calls: ProxiedCall[] = [];

  const faultFor = (operation: string, occurrence: number): Fault | undefined =>
    rules.find((r) => r.operation === operation && (r.occurrences === 'all' || r.occurrences.includes(occurrence)))?.fault;

  const server = http.createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const operation = operationOf(req);
      const occurrence = operation ? (seen.get(operation) ?? 0) + 1 : 0;
      if (operation) seen.set(operation, occurrence);
      const fault = operation ? faultFor(operation, occurrence) : undefined;
      if (operation) calls.push({ operation, occurrence, fault: fault?.kind });
      switch (fault?.kind) {
        case 'html':
          res.writeHead(fault.status, { 'content-type': 'text/html' }).end(HTML_BODY(fault.status));
          return;
        case 'throttle':
          res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'ThrottlingException' }).end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }));
          return;
        case 'reset':
          req.socket.destroy();
          return;
        case 'delay':
          await new Promise((r) => setTimeout(r, fault.ms));
          break;
        default:
          break;
      }
      const answer = await forward(upstream, req, body);
      if (fault?.kind === 'lost-answer') {
        req.socket.destroy();
        return;
      }
      const headers = { ...answer.headers };
      delete headers['transfer-encoding'];
      headers['content-length'] = String(answer.body.length);
      res.writeHead(answer.status, headers).end(answer.body);
    })().catch(() => req.socket.destroy());
  });
  // Keep-alive sockets the SDK holds open must not keep the test process (or stop()) waiting.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    plan(next) {
      rules = next;
      seen = new Map();
      calls = [];
    },
    calls: () => [...calls],
    count: (operation) => seen.get(operation) ?? 0,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
