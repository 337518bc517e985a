/**
 * The log tails of the window: starts them (finding a service's log groups in its task definition
 * first), finds them again, stops them all when the extension goes away.
 */
import * as vscode from 'vscode';
import { findServiceLogs, logGroupSource, type LogSource } from '../../app/logs/tail';
import { isErrorNamed } from '../../core/errors/named';
import type { ServiceRef } from '../../core/ecs/serviceRef';
import type { AwsSession } from '../connection/awsSession';
import type { Log } from '../log';
import { withCancellableProgress } from '../progress';
import { settings } from '../settings';
import { LogTail, type TailSource } from './logTail';


export class LogTailManager implements vscode.Disposable {
  private readonly tails = new Map<string, LogTail>();
  private readonly subscriptions = new Map<string, vscode.Disposable>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a tail starts, stops, changes state or receives events. */
  readonly onDidChange = this.changed.event;
  private nextId = 1;
  private lastActiveCount = -1;

  constructor(
    private readonly session: AwsSession,
    private readonly log: Log,
  ) {
    this.updateContext();
  }

  /** Every tail that has not been closed, running or not, oldest first. */
  list(): LogTail[] {
    return [...this.tails.values()];
  }

  active(): LogTail[] {
    return this.list().filter((t) => t.running);
  }

  get(id: string): LogTail | undefined {
    return this.tails.get(id);
  }

  /**
   * Tails a service's logs, read from its current task definition. A second request for a service
   * already tailed (e.g. after a deploy) reuses its channel, re-reading the groups in case they changed.
   */
  async tailService(ref: ServiceRef): Promise<LogTail | undefined> {
    let found: LogSource;
    try {
      found = await withCancellableProgress(`Finding the logs of ${ref.service}...`, async (signal) => findServiceLogs(await this.session.access(), ref, signal));
    } catch (error) {
      if (isErrorNamed(error, 'LogSetupError')) {
        void vscode.window.showErrorMessage(error.message);
        return undefined;
      }
      if (isErrorNamed(error, 'NoLogTargetsError')) {
        void vscode.window.showErrorMessage(`Cannot tail ${ref.service}: ${error.message}`);
        return undefined;
      }
      throw error;
    }
    const source: TailSource = { key: `service:${ref.cluster}/${ref.service}`, label: ref.service, ...found };
    const existing = this.list().find((t) => t.source.key === source.key && t.running);
    if (existing) {
      if (JSON.stringify(existing.source.targets) !== JSON.stringify(source.targets)) existing.retarget(source);
      existing.show();
      return existing;
    }
    return this.open(source);
  }

  tailGroup(logGroupName: string): LogTail {
    return this.open({ key: `group:${logGroupName}`, label: logGroupName, ...logGroupSource(logGroupName) });
  }

  private open(source: TailSource): LogTail {
    // A stopped tail of the same source gives its channel up to the new one.
    for (const stopped of this.list().filter((t) => t.source.key === source.key && !t.running)) this.close(stopped);
    const id = String(this.nextId++);
    const taken = new Set(this.list().map((t) => t.channelName));
    let channelName = `ECR Logs: ${source.label}`;
    for (let n = 2; taken.has(channelName); n++) channelName = `ECR Logs: ${source.label} (${n})`;
    const tail = new LogTail(id, channelName, source, this.session.connection, this.session, this.log, settings.logs());
    this.tails.set(id, tail);
    this.subscriptions.set(
      id,
      tail.onDidChange(() => {
        this.updateContext();
        this.changed.fire();
      }),
    );
    try {
      tail.start();
    } catch (error) {
      // Nothing runs (e.g. the since setting is not a duration): the tail must not linger.
      this.close(tail);
      throw error;
    }
    tail.show();
    this.log.info(`Log tail ${channelName} started`);
    this.changed.fire();
    return tail;
  }

  /** Stops a tail and closes its channel. */
  close(tail: LogTail): void {
    tail.stop();
    this.subscriptions.get(tail.id)?.dispose();
    this.subscriptions.delete(tail.id);
    this.tails.delete(tail.id);
    tail.dispose();
    this.updateContext();
    this.changed.fire();
  }

  stopAll(): void {
    for (const tail of this.active()) tail.stop();
  }

  private updateContext(): void {
    const count = this.active().length;
    if (count === this.lastActiveCount) return;
    this.lastActiveCount = count;
    void vscode.commands.executeCommand('setContext', 'ecrDeploy.logTailCount', count);
  }

  dispose(): void {
    for (const tail of this.list()) {
      tail.stop();
      tail.dispose();
    }
    for (const s of this.subscriptions.values()) s.dispose();
    this.tails.clear();
    this.changed.dispose();
  }
}
