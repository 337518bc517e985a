import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseDuration, parseSince } from '../../src/core/logs/since';

const NOW = Date.UTC(2026, 10, 27, 12, 0, 0);

function startOf(text: string): number {
  const result = parseSince(text, NOW);
  assert.ok(result.ok, `${text}: ${result.ok ? '' : result.message}`);
  return result.startTime;
}

describe('since', () => {
  it('reads durations back from now', () => {
    assert.equal(startOf('30s'), NOW - 30_000);
    assert.equal(startOf('10m'), NOW - 600_000);
    assert.equal(startOf('1h'), NOW - 3_600_000);
    assert.equal(startOf('2d'), NOW - 2 * 86_400_000);
    assert.equal(startOf('1w'), NOW - 7 * 86_400_000);
    assert.equal(startOf('1h30m'), NOW - 5_400_000);
    assert.equal(startOf(' 1H 30M '), NOW - 5_400_000);
    assert.equal(parseDuration('250ms'), 250);
  });

  it('reads points in time: ISO with a zone, local date-time, epoch seconds and milliseconds', () => {
    assert.equal(startOf('2026-11-27T10:00:00Z'), Date.UTC(2026, 10, 27, 10));
    assert.equal(startOf('2026-11-27T10:00:00+01:00'), Date.UTC(2026, 10, 27, 9));
    assert.equal(startOf('2026-11-27 10:00'), new Date(2026, 10, 27, 10, 0).getTime());
    assert.equal(startOf('2026-11-27'), Date.UTC(2026, 10, 27));
    assert.equal(startOf(String(Math.floor(NOW / 1000) - 60)), NOW - 60_000);
    assert.equal(startOf(String(NOW - 5)), NOW - 5);
  });

  it('rejects what is neither, and times in the future, with a message that shows the accepted forms', () => {
    for (const text of ['', 'yesterday', '10 minutes', '1x', '-5m', '27/11/2026']) {
      const result = parseSince(text, NOW);
      assert.equal(result.ok, false, text);
      if (!result.ok) assert.match(result.message, /10m|duration/);
    }
    const future = parseSince('2027-01-01T00:00:00Z', NOW);
    assert.ok(!future.ok && /future/.test(future.message));
  });

  it('refuses durations that reach back before 1970, naming the longest one allowed; keeps long real spans', () => {
    for (const text of ['99999999999999999999d', '100000w', '20785d', '9007199254740993ms']) {
      const result = parseSince(text, NOW);
      assert.ok(!result.ok, text);
      assert.equal(result.message, `"${text}" reaches back before 1970-01-01: a duration can be at most 20784d (CloudWatch Logs keeps events at most 10 years, 3653d).`);
    }
    assert.equal(startOf('1000w'), NOW - 1000 * 604_800_000);
    assert.equal(startOf('20784d'), NOW - 20784 * 86_400_000);
    // Epoch seconds far back are a real time: the tail clamps them to what the group holds.
    assert.equal(startOf('5'), 5000);
  });
});
