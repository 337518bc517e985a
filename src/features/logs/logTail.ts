/**
 * One running tail: its output channel, its events counted, its controls (filter, since, pause,
 * resume, clear, stop). It reads with clients of its own, made for the connection it started on, so
 * switching profile or region elsewhere neither breaks it nor silently points it at another account.
 */
import * as vscode from 'vscode';
import { tailLogs } from '../../app/logs/tail';
import type { ResolvedConnection } from '../../aws/connection';
import type { LogEvent } from '../../core/logs/events';
import { LogLineFormatter } from '../../core/logs/format';
import type { LogGroupTarget } from '../../core/logs/logConfiguration';
import { PauseGate } from '../../core/logs/pauseGate';
import { parseSince } from '../../core/logs/since';
import { tailStatusLabel } from '../../core/logs/tailStatus';
import type { AwsSession } from '../connection/awsSession';
import { showAwsError } from '../connection/nextSteps';
import type { Log } from '../log';
import type { LogTailSettings } from '../settings';
import { ChannelBuffer } from './channelBuffer';

/** What a tail reads: a service's groups (from its task definition) or one group. */
export interface TailSource {
  /** `service` for a service tail; identifies "the same tail" when asked for twice. */
  key: string;
  label: string;
  targets: LogGroupTarget[];
  /** Containers whose logs cannot be read, said once at the top of the channel. */
  notes: string[];
}

export type TailState = 'starting' | 'running' | 'paused' | 'stopped' | 'failed';

export class LogTail implements vscode.Disposable {
  private readonly channel: vscode.OutputChannel;
  private readonly buffer: ChannelBuffer;
  private formatter: LogLineFormatter;
  private readonly gate = new PauseGate();
  private abort: AbortController | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  eventCount = 0;
  state: TailState = 'starting';
  /** The mechanism or trouble of the moment, as the status bar shows it. */
  activity = 'starting';
  filterPattern: string | undefined;
  since: string;
  /** Resolves when the current run has ended (stopped, failed or restarted). */
  finished: Promise<void> = Promise.resolve();

  constructor(
    readonly id: string,
    readonly channelName: string,
    public source: TailSource,
    private readonly connection: ResolvedConnection,
    private readonly session: AwsSession,
    private readonly log: Log,
    private readonly settings: LogTailSettings,
  ) {
    this.channel = vscode.window.createOutputChannel(channelName, 'log');
    this.buffer = new ChannelBuffer(this.channel, { maxLines: settings.maxChannelLines, flushMs: 100, flushChars: 256 * 1024 });
    this.formatter = new LogLineFormatter({ utc: settings.timestampsInUtc, maxLineLength: settings.maxLineLength });
    this.since = settings.since;
  }

  get running(): boolean {
    return this.state === 'starting' || this.state === 'running' || this.state === 'paused';
  }

  show(): void {
    this.channel.show(true);
  }

  /** (Re)starts reading from `since` with the current filter; the channel starts over. */
  start(): void {
    this.abort?.abort();
    const since = parseSince(this.since, Date.now());
    if (!since.ok) throw new Error(since.message);
    const abort = new AbortController();
    this.abort = abort;
    this.buffer.clear();
    this.formatter = new LogLineFormatter({ utc: this.settings.timestampsInUtc, maxLineLength: this.settings.maxLineLength });
    this.eventCount = 0;
    this.gate.resume();
    this.setState('starting', 'starting');
    this.note(this.header());
    for (const line of this.source.notes) this.note(line);
    const previous = this.finished;
    this.finished = previous.then(() => this.run(since.startTime, abort));
  }

  pause(): void {
    if (!this.running || this.gate.paused) return;
    this.gate.pause();
    this.note('paused: no reading until resumed; nothing written meanwhile is lost.');
    this.setState('paused', 'paused');
  }

  resume(): void {
    if (this.state !== 'paused') return;
    this.gate.resume();
    this.note('resumed.');
    this.setState('running', 'resuming');
  }

  clear(): void {
    this.buffer.clear();
  }

  setFilter(pattern: string | undefined): void {
    this.filterPattern = pattern?.trim() || undefined;
    this.start();
  }

  setSince(since: string): void {
    const parsed = parseSince(since, Date.now());
    if (!parsed.ok) throw new Error(parsed.message);
    this.since = since;
    this.start();
  }

  /** A service deployed again: read its (possibly new) groups from now on. */
  retarget(source: TailSource): void {
    this.source = source;
    this.start();
  }

  stop(): void {
    if (!this.running) return;
    this.abort?.abort();
    this.buffer.flush();
    this.note('stopped.');
    this.setState('stopped', 'stopped');
  }

  private header(): string {
    const groups = this.source.targets
      .map((t) => `${t.logGroupName}${t.region && t.region !== this.connection.region ? ` (${t.region})` : ''}${t.streamPrefixes ? ` streams ${t.streamPrefixes.join(', ')}` : ''}`)
      .join('; ');
    const filter = this.filterPattern ? `, filter ${JSON.stringify(this.filterPattern)}` : '';
    return `tailing ${groups} since ${this.since}${filter} (profile ${this.connection.profileLabel}, times in ${this.settings.timestampsInUtc ? 'UTC' : 'local time'})`;
  }

  private note(text: string): void {
    this.buffer.write(`── ${text}\n`);
  }

  private async run(startTime: number, abort: AbortController): Promise<void> {
    const onEvents = (events: LogEvent[]) => {
      if (abort.signal.aborted) return;
      this.buffer.write(events.map((e) => this.formatter.format(e)).join(''));
      this.eventCount += events.length;
      this.changed.fire();
    };
    try {
      const { edge } = await this.session.access();
      await tailLogs(
        { targets: this.source.targets, startTime, follow: true, filterPattern: this.filterPattern, mechanism: this.settings.mechanism },
        {
          edge,
          connection: this.connection,
          onEvents,
          onNote: (note) => this.note(note),
          onStatus: (status) => {
            if (this.state !== 'paused' || status.state === 'paused') this.setState(status.state === 'paused' ? 'paused' : 'running', tailStatusLabel(status));
          },
          signal: abort.signal,
          gate: this.gate,
        },
      );
    } catch (error) {
      if (abort.signal.aborted) return;
      abort.abort();
      const described = this.session.describe(error);
      this.log.error(`Log tail ${this.channelName} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      this.note(`stopped: ${described.message}`);
      this.setState('failed', 'failed');
      void showAwsError(`Log tail ${this.source.label}`, described);
    } finally {
      this.buffer.flush();
    }
  }

  private setState(state: TailState, activity: string): void {
    this.state = state;
    this.activity = activity;
    this.changed.fire();
  }

  dispose(): void {
    this.abort?.abort();
    this.buffer.dispose();
    this.channel.dispose();
    this.changed.dispose();
  }
}
