/** The tail use case against fake ports: a service's log targets, and the per-region fan-out. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { findServiceLogs, logGroupSource, tailLogs, type TailLogsPorts } from '../../src/app/logs/tail';
import type { AwsAccess, AwsEdge } from '../../src/app/ports';
import type { ResolvedConnection } from '../../src/aws/connection';
import type { TailHandlers, TailRequest } from '../../src/aws/logs';
import type { LogGroupTarget } from '../../src/core/logs/logConfiguration';
import { PauseGate } from '../../src/core/logs/pauseGate';

const connection = { region: 'us-east-1', profileLabel: 'default' } as ResolvedConnection;

function accessWith(setup: { targets: LogGroupTarget[]; unreadable: Array<{ container: string; message: string }> } | Error) {
  const calls: unknown[][] = [];
  const edge = {
    logs: {
      describeServiceLogTargets: async (...args: unknown[]) => {
        calls.push(args);
        if (setup instanceof Error) throw setup;
        return { taskDefinitionArn: 'arn:td/web:3', ...setup };
      },
    },
  } as unknown as AwsEdge;
  return { access: { edge, clients: { ecs: 'ecs-client' } } as unknown as AwsAccess, calls };
}

describe('findServiceLogs', () => {
  it('reads the targets of the service, with a note per container that cannot be read', async () => {
    const target = { logGroupName: '/ecs/web', streamPrefixes: ['web/app/'], containers: ['app'] };
    const { access, calls } = accessWith({ targets: [target], unreadable: [{ container: 'sidecar', message: 'sidecar logs with splunk.' }] });
    const signal = new AbortController().signal;
    const source = await findServiceLogs(access, { cluster: 'sales-prod', service: 'web' }, signal);
    assert.deepEqual(source, { targets: [target], notes: ['sidecar logs with splunk.'] });
    assert.deepEqual(calls, [['ecs-client', 'sales-prod', 'web', { signal }]]);
  });

  it('refuses a service with nothing readable, saying why', async () => {
    const { access } = accessWith({ targets: [], unreadable: [{ container: 'a', message: 'a logs with splunk.' }, { container: 'b', message: 'b has no log configuration.' }] });
    await assert.rejects(findServiceLogs(access, { cluster: 'c', service: 'web' }), { name: 'NoLogTargetsError', message: 'a logs with splunk. b has no log configuration.', phrased: true });
  });

  it('says a task definition without containers has none', async () => {
    const { access } = accessWith({ targets: [], unreadable: [] });
    await assert.rejects(findServiceLogs(access, { cluster: 'c', service: 'web' }), { name: 'NoLogTargetsError', message: 'The task definition of web has no containers.' });
  });

  it('lets the edge\'s setup errors through as they are', async () => {
    const missing = Object.assign(new Error('Service "web" was not found in cluster "c".'), { name: 'LogSetupError' });
    const { access } = accessWith(missing);
    await assert.rejects(findServiceLogs(access, { cluster: 'c', service: 'web' }), missing);
  });
});

describe('logGroupSource', () => {
  it('is one group, every stream, no notes', () => {
    assert.deepEqual(logGroupSource('/ecs/x'), { targets: [{ logGroupName: '/ecs/x', containers: [] }], notes: [] });
  });
});

interface RegionRun {
  region: string;
  request: TailRequest;
  handlers: TailHandlers;
  signal: AbortSignal;
  gate: PauseGate | undefined;
  destroyed: boolean;
}

/** An edge whose tail of each region runs `behave`; records clients and calls. */
function fanOutEdge(behave: (run: RegionRun) => Promise<void>) {
  const runs: RegionRun[] = [];
  const edge = {
    createAwsClients: (c: ResolvedConnection) => {
      const run = { region: c.region!, destroyed: false } as RegionRun;
      runs.push(run);
      return { logs: run, destroy: () => (run.destroyed = true) };
    },
    logs: {
      tailLogGroups: async (client: RegionRun, request: TailRequest, handlers: TailHandlers, signal: AbortSignal, gate?: PauseGate) => {
        Object.assign(client, { request, handlers, signal, gate });
        await behave(client);
      },
    },
  } as unknown as AwsEdge;
  return { edge, runs };
}

const here = { logGroupName: '/ecs/web', containers: ['app'] };
const there = { logGroupName: '/ecs/web-eu', region: 'eu-west-1', containers: ['relay'] };
const alsoHere = { logGroupName: '/ecs/worker', containers: ['worker'] };

describe('tailLogs', () => {
  it('reads each region with clients of its own, and destroys them when done', async () => {
    const events: string[] = [];
    const { edge, runs } = fanOutEdge(async (run) => {
      await run.handlers.onEvents([{ timestamp: 1, logStreamName: 's', message: `from ${run.region}` }]);
    });
    const gate = new PauseGate();
    const ports: TailLogsPorts = { edge, connection, onEvents: (e) => void events.push(...e.map((x) => x.message)), signal: new AbortController().signal, gate };
    await tailLogs({ targets: [here, there, alsoHere], startTime: 1000, follow: true, filterPattern: 'ERROR', mechanism: 'polling' }, ports);
    assert.deepEqual(
      runs.map((r) => [r.region, r.request.targets.map((t) => t.logGroupName), r.destroyed]),
      [
        ['us-east-1', ['/ecs/web', '/ecs/worker'], true],
        ['eu-west-1', ['/ecs/web-eu'], true],
      ],
    );
    assert.deepEqual(runs[0].request, { targets: [here, alsoHere], startTime: 1000, follow: true, filterPattern: 'ERROR', mechanism: 'polling' });
    assert.equal(runs[1].gate, gate);
    assert.deepEqual(events.sort(), ['from eu-west-1', 'from us-east-1']);
  });

  it('says a status once until it changes, and passes every status on', async () => {
    const notes: string[] = [];
    const states: string[] = [];
    const { edge } = fanOutEdge(async (run) => {
      run.handlers.onStatus?.({ state: 'fallback', reason: 'live tail is not available here' });
      run.handlers.onStatus?.({ state: 'fallback', reason: 'live tail is not available here' });
      run.handlers.onStatus?.({ state: 'polling', intervalMs: 2000 });
    });
    await tailLogs(
      { targets: [here], startTime: 0, follow: false },
      { edge, connection, onEvents: () => undefined, onNote: (n) => notes.push(n), onStatus: (s) => states.push(s.state), signal: new AbortController().signal },
    );
    assert.equal(notes.length, 1);
    assert.match(notes[0], /live tail is not available here/);
    assert.deepEqual(states, ['fallback', 'fallback', 'polling']);
  });

  it('stops the other regions when one fails, rejects with its error, and still destroys every client', async () => {
    const denied = Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' });
    const { edge, runs } = fanOutEdge(async (run) => {
      if (run.region === 'eu-west-1') throw denied;
      await new Promise<void>((resolve) => run.signal.addEventListener('abort', () => resolve(), { once: true }));
    });
    await assert.rejects(tailLogs({ targets: [here, there], startTime: 0, follow: true }, { edge, connection, onEvents: () => undefined, signal: new AbortController().signal }), denied);
    assert.equal(runs.find((r) => r.region === 'us-east-1')!.signal.aborted, true);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(runs.map((r) => r.destroyed), [true, true]);
  });

  it('ends every region when the caller aborts, and says nothing after', async () => {
    const abort = new AbortController();
    const notes: string[] = [];
    const { edge, runs } = fanOutEdge(async (run) => {
      await new Promise<void>((resolve) => run.signal.addEventListener('abort', () => resolve(), { once: true }));
      run.handlers.onStatus?.({ state: 'reconnecting', reason: 'gone', delayMs: 1000 });
    });
    const done = tailLogs({ targets: [here, there], startTime: 0, follow: true }, { edge, connection, onEvents: () => undefined, onNote: (n) => notes.push(n), signal: abort.signal });
    abort.abort();
    await done;
    assert.deepEqual(runs.map((r) => [r.signal.aborted, r.destroyed]), [[true, true], [true, true]]);
    assert.deepEqual(notes, []);
  });
});
