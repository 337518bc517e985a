/**
 * The current AWS connection (profile, region, endpoint) and its clients. The SDK is loaded on the
 * first call that needs it, never during activation; a change of connection settings re-creates the
 * clients and tells every view to refresh, at once.
 */
import * as vscode from 'vscode';
import { resolveConnection, type ResolvedConnection } from '../../aws/connection';
import type { AwsClients } from '../../aws/clients';
import type { AwsAccess, AwsEdge } from '../../app/ports';
import { describeAwsError, type DescribedError } from '../../core/errors/awsErrors';
import { affectsConnection, settings } from '../settings';
import type { Log } from '../log';

/** The only way features reach SDK-backed code: bundled apart (dist/aws.js) and required on first use. */
export function loadAwsEdge(): Promise<AwsEdge> {
  return import('../../aws/index');
}

export type ConnectionState = 'ok' | 'noRegion' | 'noCredentials' | 'ssoExpired';

export class AwsSession implements vscode.Disposable {
  /** Resolved on first read, or a tick after activation: resolving reads the shared config files. */
  private current: ResolvedConnection | undefined;
  private clients: AwsClients | undefined;
  private state: ConnectionState = 'ok';
  private readonly changed = new vscode.EventEmitter<ResolvedConnection>();
  private readonly subscriptions: vscode.Disposable[] = [this.changed];
  /** Fires after the connection changed; views refresh on it. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly log: Log) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsConnection(event)) this.reload();
      }),
    );
    // Reading ~/.aws/config and ~/.aws/credentials (and the settings) is not activation's work: it was 1.5-2.7 ms
    // of what VS Code reports as activation. A tick later the welcome views' context is set; a view or command
    // that asks sooner resolves it then.
    const resolveSoon = setImmediate(() => this.connection);
    this.subscriptions.push({ dispose: () => clearImmediate(resolveSoon) });
  }

  get connection(): ResolvedConnection {
    return (this.current ??= this.resolve());
  }

  private resolve(): ResolvedConnection {
    const resolved = resolveConnection(settings.connection());
    this.setState(resolved.region ? 'ok' : 'noRegion');
    return resolved;
  }

  get connectionState(): ConnectionState {
    return this.state;
  }

  /** Re-reads settings and the shared config files (also after `aws sso login`), drops the old clients. */
  reload(): void {
    this.clients?.destroy();
    this.clients = undefined;
    const c = (this.current = this.resolve());
    this.log.info(`Connection: profile ${c.profileLabel}, region ${c.region ?? '(none)'}${c.effectiveEndpoint ? `, endpoint ${c.effectiveEndpoint}` : ''}`);
    this.changed.fire(c);
  }

  async access(): Promise<AwsAccess> {
    const edge = await loadAwsEdge();
    this.clients ??= edge.createAwsClients(this.connection);
    return { edge, clients: this.clients };
  }

  describe(error: unknown): DescribedError {
    const c = this.connection;
    return describeAwsError(error, { profile: c.profileLabel, region: c.region, endpoint: c.effectiveEndpoint, profileUsesSso: c.profileUsesSso });
  }

  /** Records what a failed call says about the connection, so the views can show a welcome with the fix. */
  noteFailure(described: DescribedError): void {
    if (described.nextStep.kind === 'ssoLogin') this.setState('ssoExpired');
    else if (described.nextStep.kind === 'chooseProfile') this.setState('noCredentials');
    else if (described.nextStep.kind === 'chooseRegion' && !this.connection.region) this.setState('noRegion');
  }

  noteSuccess(): void {
    this.setState('ok');
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    void vscode.commands.executeCommand('setContext', 'ecrDeploy.connectionState', state);
  }

  dispose(): void {
    this.clients?.destroy();
    this.clients = undefined;
    for (const d of this.subscriptions) d.dispose();
  }
}
