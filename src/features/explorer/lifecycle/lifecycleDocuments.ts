/**
 * A repository's lifecycle policy as a JSON document: opening reads it with GetLifecyclePolicy,
 * saving checks it (the same checks as ECR) and writes it with PutLifecyclePolicy. The document
 * names its region and account, so a document opened before a profile or region switch can never
 * be saved into another registry. Its name ends in `.lifecycle-policy.json`, which the extension's
 * JSON schema matches (package.json `jsonValidation`) for completion and validation.
 */
import * as vscode from 'vscode';
import type { AwsSession } from '../../connection/awsSession';
import type { Log } from '../../log';

/** The policy checks load with the first document read or saved (dist/lifecycle.js), not at activation. */
const loadPolicyChecks = () => import('./policyChecks');

export const LIFECYCLE_SCHEME = 'ecrdeploy-lifecycle';
export const LIFECYCLE_SUFFIX = '.lifecycle-policy.json';

export interface PolicyLocation {
  region: string;
  registryId: string;
  repositoryName: string;
}

export function lifecyclePolicyUri(location: PolicyLocation): vscode.Uri {
  return vscode.Uri.from({ scheme: LIFECYCLE_SCHEME, path: `/${location.region}/${location.registryId}/${location.repositoryName}${LIFECYCLE_SUFFIX}` });
}

export function policyLocation(uri: vscode.Uri): PolicyLocation {
  const [region, registryId, ...rest] = uri.path.replace(/^\//, '').split('/');
  const file = rest.join('/');
  if (uri.scheme !== LIFECYCLE_SCHEME || !region || !registryId || !file.endsWith(LIFECYCLE_SUFFIX)) {
    throw vscode.FileSystemError.FileNotFound(uri);
  }
  return { region, registryId, repositoryName: file.slice(0, -LIFECYCLE_SUFFIX.length) };
}

export interface PolicySaved {
  location: PolicyLocation;
  policyText: string | null;
}

export class LifecyclePolicyDocuments implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  private readonly saved = new vscode.EventEmitter<PolicySaved>();
  /** Fires after a policy was written to ECR from an editor. */
  readonly onDidSave = this.saved.event;
  /** Modification times per document, changed only by the extension's own writes. */
  private readonly mtimes = new Map<string, number>();

  constructor(
    private readonly session: AwsSession,
    private readonly log: Log,
  ) {}

  private async checkConnection(location: PolicyLocation): Promise<void> {
    const region = this.session.connection.region;
    if (region !== location.region) {
      throw vscode.FileSystemError.Unavailable(
        `This policy belongs to ${location.repositoryName} in ${location.region}; ECR Deploy is now connected to ${region ?? 'no region'}. Switch back to ${location.region} to save it.`,
      );
    }
  }

  /**
   * A stable answer until the extension itself writes: VS Code compares the stat taken before a read
   * with the one taken before a save (mtime and size), and any difference reads as a conflicting edit.
   * The size is unknown before reading, so it is always 0, as for other virtual documents.
   */
  stat(uri: vscode.Uri): vscode.FileStat {
    policyLocation(uri);
    const key = uri.toString();
    if (!this.mtimes.has(key)) this.mtimes.set(key, Date.now());
    return { type: vscode.FileType.File, ctime: 0, mtime: this.mtimes.get(key)!, size: 0 };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const location = policyLocation(uri);
    await this.checkConnection(location);
    const { edge, clients } = await this.session.access();
    let text: string | undefined;
    try {
      text = await edge.ecr.getLifecyclePolicy(clients.ecr, location.repositoryName);
    } catch (error) {
      throw vscode.FileSystemError.Unavailable(this.session.describe(error).message);
    }
    // No policy yet: an empty document, which the edit command fills with the chosen template.
    return Buffer.from(text ? (await loadPolicyChecks()).prettyPolicyText(text) : '', 'utf8');
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const location = policyLocation(uri);
    const text = Buffer.from(content).toString('utf8');
    // A plain FileSystemError: "no permission" would make VS Code offer to retry as administrator.
    if (!text.trim()) throw new vscode.FileSystemError('An empty document is not a policy. To remove the policy, use "Delete Lifecycle Policy" on the repository.');
    const { parseLifecyclePolicy, describeProblems } = await loadPolicyChecks();
    const parsed = parseLifecyclePolicy(text);
    if (!parsed.policy) throw new vscode.FileSystemError(`Not saved: ${describeProblems(parsed.problems)}`);
    await this.checkConnection(location);
    const { edge, clients } = await this.session.access();
    try {
      await edge.ecr.putLifecyclePolicy(clients.ecr, location.repositoryName, text);
    } catch (error) {
      const described = this.session.describe(error);
      this.log.warn(`PutLifecyclePolicy ${location.repositoryName} failed: ${described.message}`);
      throw new vscode.FileSystemError(`ECR refused the policy: ${described.message}`);
    }
    this.log.info(`Saved the lifecycle policy of ${location.repositoryName} (${location.region})`);
    this.mtimes.set(uri.toString(), Date.now());
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
    this.saved.fire({ location, policyText: text });
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  dispose(): void {
    this.changed.dispose();
    this.saved.dispose();
  }
}
