/** Deployment history per service, kept in workspace state so it survives reloads of this workspace. */
import * as vscode from 'vscode';
import { historyOf, parseHistory, recordDeployment, type DeploymentRecord } from '../../core/deploy/history';

const KEY = 'ecrDeploy.deploymentHistory';

export class DeploymentHistory implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<DeploymentRecord>();
  /** Fires after a record was added or updated: views showing history refresh on it. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {}

  all(): DeploymentRecord[] {
    return parseHistory(this.state.get<unknown>(KEY));
  }

  forService(serviceArn: string): DeploymentRecord[] {
    return historyOf(this.all(), serviceArn);
  }

  async record(record: DeploymentRecord): Promise<void> {
    await this.state.update(KEY, recordDeployment(this.all(), record));
    this.changed.fire(record);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
