/**
 * Tailing logs, for both shells: where a service logs (its task definition's log configuration), or
 * one group; then every group read at once, each region with clients of its own (an awslogs driver
 * may write to another region than the connection's).
 */
import type { ResolvedConnection } from '../../aws/connection';
import type { TailMechanism } from '../../aws/logs';
import { PhrasedError } from '../../core/errors/named';
import type { ServiceRef } from '../../core/ecs/serviceRef';
import type { LogEvent } from '../../core/logs/events';
import { targetsByRegion, type LogGroupTarget } from '../../core/logs/logConfiguration';
import type { PauseGate } from '../../core/logs/pauseGate';
import { tailStatusNote, type TailStatus } from '../../core/logs/tailStatus';
import type { AwsAccess, AwsEdge } from '../ports';

/** What a tail reads, and what to tell the person once before the first event. */
export interface LogSource {
  targets: LogGroupTarget[];
  /** Containers whose logs cannot be read (another driver, no group), one line each. */
  notes: string[];
}

/** The service's task definition names no group that can be read; the message says why. */
export class NoLogTargetsError extends PhrasedError {
  override name = 'NoLogTargetsError';
}

/**
 * The groups a service's containers log to, read from its current task definition. Rejects with
 * LogSetupError (no such service, no task definition) or NoLogTargetsError (nothing readable).
 */
export async function findServiceLogs(access: AwsAccess, ref: ServiceRef, signal?: AbortSignal): Promise<LogSource> {
  const setup = await access.edge.logs.describeServiceLogTargets(access.clients.ecs, ref.cluster, ref.service, { signal });
  const notes = setup.unreadable.map((u) => u.message);
  if (!setup.targets.length) throw new NoLogTargetsError(notes.join(' ') || `The task definition of ${ref.service} has no containers.`);
  return { targets: setup.targets, notes };
}

/** One log group by name (it need not exist yet: the tail waits for it). */
export function logGroupSource(logGroupName: string): LogSource {
  return { targets: [{ logGroupName, containers: [] }], notes: [] };
}

export interface TailLogsRequest {
  targets: LogGroupTarget[];
  startTime: number;
  /** Keep reading until aborted; otherwise read up to now and return. */
  follow: boolean;
  filterPattern?: string;
  mechanism?: TailMechanism;
}

export interface TailLogsPorts {
  edge: AwsEdge;
  /** The connection the tail reads with; its region is the default of targets that name none. */
  connection: ResolvedConnection;
  onEvents(events: LogEvent[]): void | Promise<void>;
  onStatus?(status: TailStatus): void;
  /** A status worth a line in the output, said once until it changes. */
  onNote?(note: string): void;
  signal: AbortSignal;
  /** Pauses reading (the extension's Pause); the CLI never pauses. */
  gate?: PauseGate;
}

/**
 * Streams the events of every target until done (one-shot) or aborted (follow). A failure in one
 * region stops the others and rejects; each region's clients are destroyed when its tail ends.
 */
export async function tailLogs(request: TailLogsRequest, ports: TailLogsPorts): Promise<void> {
  const { edge, connection } = ports;
  const stopAll = new AbortController();
  const stop = () => stopAll.abort();
  if (ports.signal.aborted) stop();
  ports.signal.addEventListener('abort', stop, { once: true });
  let lastNote: string | undefined;
  const onStatus = (status: TailStatus) => {
    if (ports.signal.aborted) return;
    const note = tailStatusNote(status);
    if (note && note !== lastNote) ports.onNote?.(note);
    lastNote = note;
    ports.onStatus?.(status);
  };
  try {
    await Promise.all(
      [...targetsByRegion(request.targets, connection.region ?? '')].map(async ([region, targets]) => {
        const clients = edge.createAwsClients({ ...connection, region });
        try {
          await edge.logs.tailLogGroups(
            clients.logs,
            { targets, startTime: request.startTime, follow: request.follow, filterPattern: request.filterPattern, mechanism: request.mechanism },
            { onEvents: ports.onEvents, onStatus },
            stopAll.signal,
            ports.gate,
          );
        } catch (error) {
          stop();
          throw error;
        } finally {
          clients.destroy();
        }
      }),
    );
  } finally {
    ports.signal.removeEventListener('abort', stop);
  }
}
