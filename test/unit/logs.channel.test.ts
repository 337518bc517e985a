import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { ChannelBuffer, type ChannelSink } from '../../src/features/logs/channelBuffer';

/** Records what the output channel would hold, and lets the test run the flush timer. */
function fakeChannel() {
  let content = '';
  const calls: string[] = [];
  let pendingTimer: (() => void) | undefined;
  const sink: ChannelSink = {
    append: (text) => {
      calls.push('append');
      content += text;
    },
    replace: (text) => {
      calls.push('replace');
      content = text;
    },
    clear: () => {
      calls.push('clear');
      content = '';
    },
  };
  const schedule = (callback: () => void) => {
    pendingTimer = callback;
    return { cancel: () => (pendingTimer = undefined) };
  };
  return { sink, schedule, calls, content: () => content, tick: () => pendingTimer?.() };
}

describe('log tail channel buffer', () => {
  it('batches writes into one append per flush', () => {
    const channel = fakeChannel();
    const buffer = new ChannelBuffer(channel.sink, { maxLines: 100, flushMs: 100, flushChars: 1e6, schedule: channel.schedule });
    for (let i = 0; i < 10; i++) buffer.write(`line ${i}\n`);
    assert.deepEqual(channel.calls, []);
    channel.tick();
    assert.deepEqual(channel.calls, ['append']);
    assert.equal(channel.content().split('\n').length, 11);
  });

  it('flushes at once past the size threshold', () => {
    const channel = fakeChannel();
    const buffer = new ChannelBuffer(channel.sink, { maxLines: 100, flushMs: 100, flushChars: 10, schedule: channel.schedule });
    buffer.write('0123456789abc\n');
    assert.deepEqual(channel.calls, ['append']);
  });

  it('keeps the channel and its own memory bounded however many lines pass, keeping the newest half', () => {
    const channel = fakeChannel();
    const buffer = new ChannelBuffer(channel.sink, { maxLines: 1000, flushMs: 100, flushChars: 1e6, schedule: channel.schedule });
    let maxChannelLines = 0;
    for (let i = 0; i < 100_000; i++) {
      buffer.write(`event ${i}\n`);
      if (i % 37 === 0) channel.tick();
      assert.ok(buffer.heldLines <= 500);
      maxChannelLines = Math.max(maxChannelLines, channel.content().split('\n').length - 1);
    }
    buffer.flush();
    assert.ok(maxChannelLines <= 1000 + 1, `channel held ${maxChannelLines} lines`);
    const lines = channel.content().trimEnd().split('\n');
    assert.match(lines[0], /^── [\d,]+ earlier lines removed to keep memory bounded/);
    assert.equal(lines.at(-1), 'event 99999');
    // Nothing between the kept lines is missing: the newest half is contiguous.
    const kept = lines.slice(1).map((l) => Number(l.split(' ')[1]));
    for (let i = 1; i < kept.length; i++) assert.equal(kept[i], kept[i - 1] + 1);
  });

  it('clears the channel and what it holds', () => {
    const channel = fakeChannel();
    const buffer = new ChannelBuffer(channel.sink, { maxLines: 100, flushMs: 100, flushChars: 1e6, schedule: channel.schedule });
    buffer.write('a\n');
    buffer.clear();
    channel.tick();
    assert.equal(channel.content(), '');
    assert.equal(buffer.heldLines, 0);
  });
});
