/**
 * What a log tail writes into its output channel: batched (one append per flush, not one per event,
 * so a fast group does not flood the window with messages) and bounded (past `maxLines`, the channel
 * is replaced by its newer half, kept here, so memory stays bounded however long the tail runs).
 * No vscode import: the channel is anything with append/replace/clear, so this is unit-tested alone.
 */

export interface ChannelSink {
  append(text: string): void;
  replace(text: string): void;
  clear(): void;
}

export interface ChannelBufferOptions {
  maxLines: number;
  /** Pending text is flushed after this delay, or at once past `flushChars`. */
  flushMs: number;
  flushChars: number;
  schedule?: (callback: () => void, ms: number) => { cancel(): void };
}

const countLines = (text: string) => {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
};

export class ChannelBuffer {
  private pending: string[] = [];
  private pendingChars = 0;
  private timer: { cancel(): void } | undefined;
  /** The newest blocks, at most half of maxLines: what survives a trim. */
  private recent: Array<{ text: string; lines: number }> = [];
  private recentLines = 0;
  private linesInChannel = 0;
  private removedLines = 0;
  private readonly schedule: NonNullable<ChannelBufferOptions['schedule']>;

  constructor(
    private readonly sink: ChannelSink,
    private readonly options: ChannelBufferOptions,
  ) {
    this.schedule =
      options.schedule ??
      ((callback, ms) => {
        const handle = setTimeout(callback, ms);
        return { cancel: () => clearTimeout(handle) };
      });
  }

  /** Adds text made of whole lines (ending in a newline). */
  write(text: string): void {
    if (!text) return;
    this.pending.push(text);
    this.pendingChars += text.length;
    const lines = countLines(text);
    this.recent.push({ text, lines });
    this.recentLines += lines;
    while (this.recentLines > this.options.maxLines / 2 && this.recent.length > 1) this.recentLines -= this.recent.shift()!.lines;
    if (this.pendingChars >= this.options.flushChars) this.flush();
    else this.timer ??= this.schedule(() => this.flush(), this.options.flushMs);
  }

  flush(): void {
    this.timer?.cancel();
    this.timer = undefined;
    if (!this.pending.length) return;
    const text = this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    const lines = countLines(text);
    if (this.linesInChannel + lines <= this.options.maxLines) {
      this.sink.append(text);
      this.linesInChannel += lines;
      return;
    }
    this.removedLines += this.linesInChannel + lines - this.recentLines;
    const notice = `── ${this.removedLines.toLocaleString('en-US')} earlier lines removed to keep memory bounded (setting ecrDeploy.logs.maxChannelLines) ──\n`;
    this.sink.replace(notice + this.recent.map((b) => b.text).join(''));
    this.linesInChannel = this.recentLines + 1;
  }

  clear(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.pending = [];
    this.pendingChars = 0;
    this.recent = [];
    this.recentLines = 0;
    this.linesInChannel = 0;
    this.removedLines = 0;
    this.sink.clear();
  }

  /** Lines held here for the next trim; never more than half of maxLines (plus one block). */
  get heldLines(): number {
    return this.recentLines;
  }

  dispose(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }
}
