/**
 * A repository's permissions policy as a JSON document: opening reads it with GetRepositoryPolicy, saving
 * checks it against the IAM policy grammar (the shipped schema) and writes it with SetRepositoryPolicy.
 * A document that does not follow the grammar is never sent. Like the lifecycle documents, it names its
 * region and account, so it can never be saved into another registry, and its name ends in
 * `.repository-policy.json`, which the extension's JSON schema matches for completion.
 */
import * as vscode from 'vscode';
import type { AwsSession } from '../../connection/awsSession';
import type { Log } from '../../log';

/** The grammar checks load with the first document read, saved or opened (dist/repositoryPolicy.js), not at activation. */
const loadPolicyChecks = () => import('./policyChecks');

export const REPOSITORY_POLICY_SCHEME = 'ecrdeploy-repository-policy';
export const REPOSITORY_POLICY_SUFFIX = '.repository-policy.json';

export interface RepositoryPolicyLocation {
  region: string;
  registryId: string;
  repositoryName: string;
}

export function repositoryPolicyUri(location: RepositoryPolicyLocation): vscode.Uri {
  return vscode.Uri.from({ scheme: REPOSITORY_POLICY_SCHEME, path: `/${location.region}/${location.registryId}/${location.repositoryName}${REPOSITORY_POLICY_SUFFIX}` });
}

export function repositoryPolicyLocation(uri: vscode.Uri): RepositoryPolicyLocation {
  const [region, registryId, ...rest] = uri.path.replace(/^\//, '').split('/');
  const file = rest.join('/');
  if (uri.scheme !== REPOSITORY_POLICY_SCHEME || !region || !registryId || !file.endsWith(REPOSITORY_POLICY_SUFFIX)) throw vscode.FileSystemError.FileNotFound(uri);
  return { region, registryId, repositoryName: file.slice(0, -REPOSITORY_POLICY_SUFFIX.length) };
}

export const UNTRUSTED_POLICY_TEXT = 'This workspace is not trusted: repository policies can be read here but not changed. Trust the workspace to save it.';

export class RepositoryPolicyDocuments implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  /** Modification times per document, changed only by the extension's own writes (see LifecyclePolicyDocuments.stat). */
  private readonly mtimes = new Map<string, number>();

  constructor(
    private readonly session: AwsSession,
    private readonly log: Log,
  ) {}

  private checkConnection(location: RepositoryPolicyLocation): void {
    const region = this.session.connection.region;
    if (region !== location.region) {
      throw vscode.FileSystemError.Unavailable(
        `This policy belongs to ${location.repositoryName} in ${location.region}; ECR Deploy is now connected to ${region ?? 'no region'}. Switch back to ${location.region} to save it.`,
      );
    }
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    // The region and account folders above a document: `workspace.fs.writeFile` looks at them before writing.
    if (uri.scheme === REPOSITORY_POLICY_SCHEME && !uri.path.endsWith(REPOSITORY_POLICY_SUFFIX) && uri.path.split('/').filter(Boolean).length <= 2) {
      return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    }
    repositoryPolicyLocation(uri);
    const key = uri.toString();
    if (!this.mtimes.has(key)) this.mtimes.set(key, Date.now());
    return { type: vscode.FileType.File, ctime: 0, mtime: this.mtimes.get(key)!, size: 0 };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const location = repositoryPolicyLocation(uri);
    this.checkConnection(location);
    const { edge, clients } = await this.session.access();
    let text: string | undefined;
    try {
      text = await edge.ecr.getRepositoryPolicy(clients.ecr, location.repositoryName);
    } catch (error) {
      throw vscode.FileSystemError.Unavailable(this.session.describe(error).message);
    }
    // No policy yet: an empty document, which the edit command fills with the pull-only template.
    return Buffer.from(text ? (await loadPolicyChecks()).prettyRepositoryPolicyText(text) : '', 'utf8');
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const location = repositoryPolicyLocation(uri);
    // Plain FileSystemErrors: "no permission" would make VS Code offer to retry as administrator.
    if (!vscode.workspace.isTrusted) throw new vscode.FileSystemError(UNTRUSTED_POLICY_TEXT);
    const text = Buffer.from(content).toString('utf8');
    if (!text.trim()) throw new vscode.FileSystemError('An empty document is not a policy. To remove the policy, use "Delete Repository Policy" on the repository.');
    const { parseRepositoryPolicy, describeRepositoryPolicyProblems } = await loadPolicyChecks();
    const parsed = parseRepositoryPolicy(text);
    if (!parsed.policy) throw new vscode.FileSystemError(`Not saved: ${describeRepositoryPolicyProblems(parsed.problems)}`);
    this.checkConnection(location);
    const { edge, clients } = await this.session.access();
    try {
      await edge.ecr.setRepositoryPolicy(clients.ecr, location.repositoryName, text);
    } catch (error) {
      const described = this.session.describe(error);
      this.log.warn(`SetRepositoryPolicy ${location.repositoryName} failed: ${described.message}`);
      throw new vscode.FileSystemError(`ECR refused the policy: ${described.message}`);
    }
    this.log.info(`Saved the repository policy of ${location.repositoryName} (${location.region})`);
    this.mtimes.set(uri.toString(), Date.now());
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  /**
   * The policy may have changed in ECR (deleted here, or by someone else): an open document that has no edits
   * of its own is read again, so it never shows a policy that is gone.
   */
  readAgain(uri: vscode.Uri): void {
    this.mtimes.set(uri.toString(), Date.now());
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
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
  }
}
