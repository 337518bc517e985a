/** What a one-shot read may cost: where a group's events can start, the read's budget, and the note when it stops early. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { earliestEventTime, MAX_INGEST_AGE_MS } from '../../src/core/logs/groupRange';
import { ReadBudget } from '../../src/core/logs/readBudget';
import { tailStatusNote } from '../../src/core/logs/tailStatus';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 2, 12);

describe('earliest event time of a log group', () => {
  it('is 14 days before the group was created, or the retention if that is later', () => {
    const created = NOW - 30 * DAY;
    assert.equal(MAX_INGEST_AGE_MS, 14 * DAY);
    assert.equal(earliestEventTime({ creationTime: created }, NOW), created - 14 * DAY);
    assert.equal(earliestEventTime({ creationTime: created, retentionInDays: 7 }, NOW), NOW - 7 * DAY);
    assert.equal(earliestEventTime({ creationTime: created, retentionInDays: 3653 }, NOW), created - 14 * DAY);
    assert.equal(earliestEventTime({ retentionInDays: 1 }, NOW), NOW - DAY);
    assert.equal(earliestEventTime({}, NOW), undefined);
    assert.equal(earliestEventTime({ creationTime: 0 }, NOW), undefined);
  });
});

describe('read budget', () => {
  it('allows maxCalls calls, then says why it stops; and stops at its time limit', () => {
    let clock = 0;
    const budget = new ReadBudget({ maxCalls: 3, maxMs: 1000 }, () => clock);
    assert.deepEqual([budget.spend(), budget.spend(), budget.spend()], [undefined, undefined, undefined]);
    assert.equal(budget.spend(), 'after 3 FilterLogEvents calls');
    assert.equal(budget.used, 3);
    const timed = new ReadBudget({ maxCalls: 10_000, maxMs: 120_000 }, () => clock);
    assert.equal(timed.spend(), undefined);
    clock += 120_000;
    assert.equal(timed.spend(), 'after 120 s');
  });

  it('is noted in one line that says how far the read got and what to do', () => {
    const base = { state: 'stoppedEarly' as const, reason: 'after 2,000 FilterLogEvents calls', logGroupName: '/ecs/app', shownFrom: Date.UTC(2026, 11, 1), unreadGroups: 0 };
    assert.equal(
      tailStatusNote({ ...base, shownUntil: Date.UTC(2026, 11, 1, 6) }),
      'stopped early after 2,000 FilterLogEvents calls: /ecs/app is shown from 2026-12-01T00:00:00.000Z up to 2026-12-01T06:00:00.000Z; read a shorter range (a later since) or add a filter.',
    );
    const none = tailStatusNote({ ...base, shownUntil: base.shownFrom - 1, unreadGroups: 2 })!;
    assert.equal(none, 'stopped early after 2,000 FilterLogEvents calls: no events of /ecs/app were shown (2 more log groups not read); read a shorter range (a later since) or add a filter.');
    assert.ok(!none.includes('\n'));
  });
});
