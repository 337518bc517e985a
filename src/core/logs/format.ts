/**
 * One log event as text: `HH:MM:SS.mmm <stream> <message>`. A multi-line message stays one block, its
 * continuation lines indented under the message column, so a stack trace reads as one event.
 */
import type { LogEvent } from './events';
import { cutLine, neutraliseControlCharacters } from './neutralise';

export interface FormatOptions {
  /** UTC instead of the local time zone of this process. */
  utc: boolean;
  /** Longer lines are cut; 0 keeps them whole. */
  maxLineLength: number;
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

export function formatClock(timestamp: number, utc: boolean): string {
  const d = new Date(timestamp);
  return utc
    ? `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`
    : `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** What the extension setting and the CLI default to: long enough for JSON lines, short enough to read. */
export const DEFAULT_MAX_LINE_LENGTH = 4000;

const STREAM_WIDTH = 24;

/**
 * ECS awslogs streams are `prefix/container/taskId`: the container and the start of the task id tell
 * tasks apart. Other names longer than the column keep their end, where names differ most.
 */
export function shortenStreamName(name: string, width = STREAM_WIDTH): string {
  const parts = name.split('/');
  if (parts.length >= 3 && /^[0-9a-f]{16,}$/i.test(parts[parts.length - 1])) {
    const short = `${parts[parts.length - 2]}/${parts[parts.length - 1].slice(0, 8)}`;
    if (short.length <= width) return short;
  }
  return name.length <= width ? name : `…${name.slice(name.length - width + 1)}`;
}

/** Formats events for one channel; the stream column widens to the longest name seen so far. */
export class LogLineFormatter {
  private streamColumn = 0;

  constructor(private readonly options: FormatOptions) {}

  format(event: LogEvent): string {
    const stream = neutraliseControlCharacters(shortenStreamName(event.logStreamName));
    this.streamColumn = Math.min(STREAM_WIDTH, Math.max(this.streamColumn, stream.length));
    const prefix = `${formatClock(event.timestamp, this.options.utc)} ${stream.padEnd(this.streamColumn)} `;
    const lines = neutraliseControlCharacters(event.message).replace(/\n+$/, '').split('\n');
    const indent = ' '.repeat(prefix.length);
    return lines.map((line, i) => (i === 0 ? prefix : indent) + cutLine(line, this.options.maxLineLength)).join('\n').trimEnd() + '\n';
  }
}
