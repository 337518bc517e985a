/**
 * A pass-through HTTP proxy in front of the local AWS that counts the AWS operations sent through it
 * (by the JSON protocol's X-Amz-Target, e.g. `Logs_20140328.FilterLogEvents` -> `FilterLogEvents`), so a
 * test or a benchmark can say how many calls a command made over the wire. Nothing is changed on the way.
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
  stop(): Promise<void>;
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  const seen = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const header = req.headers['x-amz-target'];
    const operation = (Array.isArray(header) ? header[0] : header)?.split('.').pop() ?? `${req.method} ${req.url}`;
    seen.set(operation, (seen.get(operation) ?? 0) + 1);
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
    reset: () => seen.clear(),
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
