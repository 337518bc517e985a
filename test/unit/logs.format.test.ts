import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { formatClock, LogLineFormatter, shortenStreamName } from '../../src/core/logs/format';
import { cutLine, neutraliseControlCharacters } from '../../src/core/logs/neutralise';

const AT = Date.UTC(2026, 10, 27, 9, 5, 7, 42);

describe('log line format', () => {
  it('prints HH:MM:SS.mmm, the shortened stream and the message', () => {
    const formatter = new LogLineFormatter({ utc: true, maxLineLength: 0 });
    assert.equal(formatter.format({ timestamp: AT, logStreamName: 'ecs/mcp-server/0123456789abcdef0123456789abcdef', message: 'INFO ready' }), '09:05:07.042 mcp-server/01234567 INFO ready\n');
  });

  it('uses the local time zone unless UTC is asked for', () => {
    const local = new Date(AT);
    const expected = `${String(local.getHours()).padStart(2, '0')}:${String(local.getMinutes()).padStart(2, '0')}:07.042`;
    assert.equal(formatClock(AT, false), expected);
    assert.equal(formatClock(AT, true), '09:05:07.042');
  });

  it('keeps a multi-line message together, continuation lines under the message column', () => {
    const formatter = new LogLineFormatter({ utc: true, maxLineLength: 0 });
    const text = formatter.format({ timestamp: AT, logStreamName: 'worker', message: 'Traceback (most recent call last):\r\n  File "app.py", line 3\nValueError: boom\n' });
    assert.equal(text, ['09:05:07.042 worker Traceback (most recent call last):', '                      File "app.py", line 3', '                    ValueError: boom', ''].join('\n'));
  });

  it('aligns the message column to the longest stream seen so far', () => {
    const formatter = new LogLineFormatter({ utc: true, maxLineLength: 0 });
    formatter.format({ timestamp: AT, logStreamName: 'a-long-stream', message: 'x' });
    assert.equal(formatter.format({ timestamp: AT, logStreamName: 'b', message: 'y' }), '09:05:07.042 b             y\n');
  });

  it('shortens ECS task streams to container and task id, and other long names to their end', () => {
    assert.equal(shortenStreamName('ecs/mcp-server/0123456789abcdef0123456789abcdef'), 'mcp-server/01234567');
    assert.equal(shortenStreamName('short'), 'short');
    assert.equal(shortenStreamName('kubernetes/some-namespace/some-pod-name-abc'), '…space/some-pod-name-abc');
    assert.equal(shortenStreamName('kubernetes/some-namespace/some-pod-name-abc').length, 24);
  });

  it('neutralises control sequences in the message and in the stream name', () => {
    const formatter = new LogLineFormatter({ utc: true, maxLineLength: 0 });
    const text = formatter.format({ timestamp: AT, logStreamName: 'evil\x1b[2J', message: '\x1b]0;pwned\x07\x1b[31mred\x1b[0m bell\x07 cr\rback' });
    assert.equal(text, '09:05:07.042 evil red bell␇ cr␍back\n');
  });
});

describe('control-character neutralisation', () => {
  it('drops escape sequences: CSI colours and cursor moves, OSC titles and hyperlinks, DCS strings', () => {
    assert.equal(neutraliseControlCharacters('\x1b[1;32mOK\x1b[0m \x1b[2K\x1b[10A'), 'OK ');
    assert.equal(neutraliseControlCharacters('\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\'), 'link');
    assert.equal(neutraliseControlCharacters('a\x1bPq#0;2;0;0;0\x1b\\b'), 'ab');
    assert.equal(neutraliseControlCharacters('x\x9b31my'), 'xy');
  });

  it('shows every other control character as a visible placeholder, keeping newline and tab', () => {
    assert.equal(neutraliseControlCharacters('a\tb\nc'), 'a\tb\nc');
    assert.equal(neutraliseControlCharacters('\x00\x08\x1b\x7f'), '␀␈␛␡');
    assert.equal(neutraliseControlCharacters('\x85'), '<U+0085>');
  });

  it('shows bidirectional overrides instead of letting them reorder the text', () => {
    assert.equal(neutraliseControlCharacters('access\u202e\u2066 granted\u2069'), 'access<U+202E><U+2066> granted<U+2069>');
  });

  it('leaves ordinary text, accents and emoji alone', () => {
    const text = 'naïve café ✓ 🚀 日本語 "quotes" {json: 1}';
    assert.equal(neutraliseControlCharacters(text), text);
  });
});

describe('line cutting', () => {
  it('cuts long lines and says how much was cut', () => {
    assert.equal(cutLine('abcdefghij', 4), 'abcd … [6 more characters cut]');
    assert.equal(cutLine('short', 10), 'short');
    assert.equal(cutLine('x'.repeat(50), 0), 'x'.repeat(50));
  });

  it('never splits a surrogate pair', () => {
    assert.equal(cutLine('ab🚀cd', 3), 'ab … [4 more characters cut]');
  });

  it('cuts each line of a multi-line message on its own', () => {
    const formatter = new LogLineFormatter({ utc: true, maxLineLength: 5 });
    assert.equal(formatter.format({ timestamp: AT, logStreamName: 's', message: '1234567\n12' }), '09:05:07.042 s 12345 … [2 more characters cut]\n               12\n');
  });
});
