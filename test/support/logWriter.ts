/**
 * Keeps writing plausible events of the reference service to its log group, so a tail in the demo
 * sandbox (and in the e2e tests) shows live lines: requests, health checks, a slow call now and then,
 * a multi-line traceback, and a coloured line whose escape codes the tail must neutralise.
 *
 * Demo: `const writer = startLogWriter(clients.logs); ... await writer.stop();`
 */
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
  type CloudWatchLogsClient,
  type InputLogEvent,
} from '@aws-sdk/client-cloudwatch-logs';
import { REFERENCE } from './referenceWorld';
import { seededRandom } from './seededRandom';

export interface LogWriterOptions {
  logGroupName?: string;
  /** Stream names; default: two tasks of the reference container (`ecs/mcp-server/<task id>`). */
  streams?: string[];
  intervalMs?: number;
  /** Seeded randomness for repeatable runs. */
  random?: () => number;
  onError?: (error: unknown) => void;
}

export interface LogWriter {
  /** Events written so far. */
  readonly written: number;
  /** Writes one batch now (tests use it to know exactly what was written). */
  writeBatch(messages?: string[]): Promise<InputLogEvent[]>;
  stop(): Promise<void>;
}

const TASKS = ['7d3f0c2a9b1e4f6a8c5d2e1f0a9b8c7d', 'a1b2c3d4e5f60718293a4b5c6d7e8f90'];

const TOOLS = ['search_packages', 'browse_bucket', 'get_object_info', 'list_packages', 'athena_query'];

function plausibleMessage(random: () => number): string {
  const roll = random();
  const ms = Math.round(5 + random() * 200);
  if (roll < 0.35) return `INFO GET /healthz 200 ${Math.round(1 + random() * 3)}ms`;
  if (roll < 0.75) return `INFO POST /mcp tools/call ${TOOLS[Math.floor(random() * TOOLS.length)]} 200 ${ms}ms`;
  if (roll < 0.85) return `WARN slow call: athena_query took ${1000 + ms * 10}ms (threshold 1000ms)`;
  if (roll < 0.93) return `\x1b[32mINFO\x1b[0m session ${Math.floor(random() * 1e6).toString(16)} authenticated via JWT`;
  return [
    'ERROR Unhandled exception in tools/call browse_bucket',
    'Traceback (most recent call last):',
    '  File "/app/quilt_mcp/tools/buckets.py", line 88, in browse_bucket',
    '    response = s3.list_objects_v2(Bucket=bucket, Prefix=prefix)',
    'botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the ListObjectsV2 operation: Access Denied',
  ].join('\n');
}

async function ignoreExisting(promise: Promise<unknown>): Promise<void> {
  try {
    await promise;
  } catch (error) {
    if ((error as { name?: string }).name !== 'ResourceAlreadyExistsException') throw error;
  }
}

export function startLogWriter(logs: CloudWatchLogsClient, options: LogWriterOptions = {}): LogWriter {
  const group = options.logGroupName ?? REFERENCE.logGroup;
  const streams = options.streams ?? TASKS.map((task) => `${REFERENCE.logStreamPrefix}/${REFERENCE.container}/${task}`);
  const random = options.random ?? seededRandom(20261127);
  let written = 0;
  let stopped = false;
  let inFlight: Promise<unknown> = Promise.resolve();
  const ready = (async () => {
    await ignoreExisting(logs.send(new CreateLogGroupCommand({ logGroupName: group })));
    for (const stream of streams) await ignoreExisting(logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream })));
  })();

  const writeBatch = async (messages?: string[]): Promise<InputLogEvent[]> => {
    await ready;
    const stream = streams[Math.floor(random() * streams.length)];
    const now = Date.now();
    const events = (messages ?? Array.from({ length: 1 + Math.floor(random() * 3) }, () => plausibleMessage(random))).map((message, i) => ({ timestamp: now + i, message }));
    await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: events }));
    written += events.length;
    return events;
  };

  const timer = setInterval(() => {
    if (stopped) return;
    inFlight = writeBatch().catch((error) => options.onError?.(error));
  }, options.intervalMs ?? 1000);
  timer.unref?.();
  ready.catch((error) => options.onError?.(error));

  return {
    get written() {
      return written;
    },
    writeBatch,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await inFlight;
    },
  };
}
