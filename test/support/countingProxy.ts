/**
 * A pass-through HTTP proxy in front of the local AWS that counts the AWS operations sent through it
 * (by the JSON protocol's X-Amz-Target, e.g. `Logs_20140328.FilterLogEvents` -> `FilterLogEvents`), so a
 * test or a benchmark can say how many calls a command made over the wire. Nothing is changed on the way,
 * except while told to throttle an operation: moto never throttles, so the proxy answers as CloudWatch
 * does when a quota is exceeded (HTTP 400, ThrottlingException), and the client's reaction is real.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CountingProxy {
  endpoint: string;
  /** Calls of `operation` so far. */
  count(operation: string): number;
  /** Every operation seen, with its count. */
  counts(): Record<string, number>;
  reset(): void;
  /** Answers `operation` with ThrottlingException for the next `ms` milliseconds (counted all the same). */
  throttle(operation: string, ms: number): void;
  /** Calls of `operation` answered with ThrottlingException so far. */
  throttled(operation: string): number;
  stop(): Promise<void>;
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  const seen = new Map<string, number>();
  const throttledUntil = new Map<string, number>();
  const throttledCalls = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const header = req.headers['x-amz-target'];
    const operation = (Array.isArray(header) ? header[0] : header)?.split('.').pop() ?? `${req.method} ${req.url}`;
    seen.set(operation, (seen.get(operation) ?? 0) + 1);
    if (Date.now() < (throttledUntil.get(operation) ?? 0)) {
      throttledCalls.set(operation, (throttledCalls.get(operation) ?? 0) + 1);
      req.resume();
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'ThrottlingException' });
      res.end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }));
      return;
    }
    const forward = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    count: (operation) => seen.get(operation) ?? 0,
    counts: () => Object.fromEntries(seen),
    reset: () => {
      seen.clear();
      throttledCalls.clear();
      throttledUntil.clear();
    },
    throttle: (operation, ms) => void throttledUntil.set(operation, Date.now() + ms),
    throttled: (operation) => throttledCalls.get(operation) ?? 0,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
