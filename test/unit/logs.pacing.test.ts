import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { Backoff, PollInterval } from '../../src/core/logs/pacing';
import { PauseGate } from '../../src/core/logs/pauseGate';
import { classifyTailFailure, failureReason, liveTailUnavailable } from '../../src/core/logs/tailErrors';

describe('poll interval', () => {
  it('stays short while events flow and grows while the group is quiet, up to the maximum', () => {
    const interval = new PollInterval({ minMs: 1000, maxMs: 5000, growth: 1.5, throttledMaxMs: 30_000 });
    assert.deepEqual([0, 0, 0, 0, 0, 0].map(() => interval.afterPoll(0)), [1500, 2250, 3375, 5000, 5000, 5000]);
    assert.equal(interval.afterPoll(3), 1000);
  });

  it('doubles when throttled, up to its own ceiling', () => {
    const interval = new PollInterval({ minMs: 1000, maxMs: 5000, growth: 1.5, throttledMaxMs: 8000 });
    assert.deepEqual([1, 2, 3, 4].map(() => interval.afterThrottle()), [2000, 4000, 8000, 8000]);
  });

  it('by default polls once a second, busy or quiet, and recovers from throttling by halving per successful poll', () => {
    const interval = new PollInterval();
    assert.deepEqual([0, 5, 0, 0].map((n) => interval.afterPoll(n)), [1000, 1000, 1000, 1000]);
    assert.deepEqual([1, 2, 3, 4, 5].map(() => interval.afterThrottle()), [2000, 4000, 8000, 16_000, 30_000]);
    assert.deepEqual([0, 3, 0, 0, 0, 0].map((n) => interval.afterPoll(n)), [15_000, 7500, 3750, 1875, 1000, 1000]);
  });
});

describe('backoff', () => {
  it('doubles per consecutive failure, caps, and spreads with jitter', () => {
    const backoff = new Backoff({ baseMs: 100, maxMs: 1000, jitter: 0.2 }, () => 0.5);
    assert.deepEqual([1, 2, 3, 4, 5].map(() => backoff.next()), [100, 200, 400, 800, 1000]);
    backoff.reset();
    assert.equal(backoff.next(), 100);
    const low = new Backoff({ baseMs: 100, maxMs: 1000, jitter: 0.2 }, () => 0);
    assert.equal(low.next(), 80);
  });
});

describe('pause gate', () => {
  it('holds waiters while paused and tells listeners about the pause', async () => {
    const gate = new PauseGate();
    const events: string[] = [];
    const stop = gate.onPause(() => events.push('paused'));
    await gate.wait(new AbortController().signal);
    gate.pause();
    const waiting = gate.wait(new AbortController().signal).then(() => events.push('resumed'));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(events, ['paused']);
    gate.resume();
    await waiting;
    assert.deepEqual(events, ['paused', 'resumed']);
    stop();
    gate.pause();
    assert.deepEqual(events, ['paused', 'resumed']);
    const abort = new AbortController();
    const aborted = gate.wait(abort.signal);
    abort.abort();
    await aborted;
  });
});

describe('tail failures', () => {
  const err = (name: string, extra: object = {}) => Object.assign(new Error(`${name} happened`), { name }, extra);

  it('tells throttling, network trouble, a missing group and the rest apart', () => {
    assert.equal(classifyTailFailure(err('ThrottlingException')), 'throttled');
    assert.equal(classifyTailFailure(err('Whatever', { $metadata: { httpStatusCode: 429 } })), 'throttled');
    assert.equal(classifyTailFailure(err('Error', { code: 'ECONNRESET' })), 'transient');
    assert.equal(classifyTailFailure(err('TypeError', { cause: { code: 'UND_ERR_SOCKET' } })), 'transient');
    assert.equal(classifyTailFailure(err('TimeoutError')), 'transient');
    assert.equal(classifyTailFailure(err('SyntaxError', { $metadata: { httpStatusCode: 502 } })), 'transient');
    assert.equal(classifyTailFailure(err('ResourceNotFoundException')), 'missingGroup');
    assert.equal(classifyTailFailure(err('AbortError')), 'aborted');
    assert.equal(classifyTailFailure(err('AccessDeniedException')), 'fatal');
    assert.equal(classifyTailFailure(err('InvalidParameterException')), 'fatal');
  });

  it('falls back from live tail when the endpoint lacks it or it is not allowed, not on network trouble', () => {
    assert.ok(liveTailUnavailable(err('SyntaxError', { $metadata: { httpStatusCode: 500 } })));
    assert.ok(liveTailUnavailable(err('AccessDeniedException')));
    assert.ok(liveTailUnavailable(err('LimitExceededException')));
    assert.ok(!liveTailUnavailable(err('Error', { code: 'ECONNREFUSED' })));
    assert.ok(!liveTailUnavailable(err('ThrottlingException')));
  });

  it('gives short reasons, not a JSON parser\'s complaint about an HTML error page', () => {
    assert.equal(failureReason(err('SyntaxError', { $metadata: { httpStatusCode: 500 } })), 'HTTP 500');
    assert.equal(failureReason(err('AccessDeniedException', { $metadata: { httpStatusCode: 400 } })), 'AccessDeniedException, HTTP 400');
    assert.equal(failureReason(err('Error', { code: 'ECONNRESET' })), 'ECONNRESET');
  });
});
