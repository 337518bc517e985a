/**
 * A repository's policy as a JSON document in the editor — its lifecycle policy or its permissions policy:
 * opening reads it from ECR, saving checks it and writes it back. A document names its region and account, so
 * one opened before a profile or region switch can never be saved into another registry; its name ends in the
 * kind's suffix, which the extension's JSON schema matches (package.json `jsonValidation`) for completion. The
 * two kinds differ only in their `PolicyKind`; the checks of each load with its first document.
 */
import * as vscode from 'vscode';
import type { AwsAccess } from '../../app/ports';
import type { AwsSession } from '../connection/awsSession';
import type { Log } from '../log';

export interface PolicyLocation {
  region: string;
  registryId: string;
  repositoryName: string;
}

export interface PolicyKind {
  scheme: string;
  suffix: string;
  /** As messages name it: "lifecycle policy", "repository policy". */
  noun: string;
  /** The command that removes it, named where an empty document is refused. */
  deleteCommand: string;
  /** The ECR operation a save calls, for the log. */
  writeOperation: string;
  /** Set when saving needs a trusted workspace: the refusal's text. */
  untrustedSave?: string;
  read(access: AwsAccess, repositoryName: string): Promise<string | undefined>;
  write(access: AwsAccess, repositoryName: string, text: string): Promise<void>;
  /** The stored text as the editor shows it. */
  pretty(text: string): Promise<string>;
  /** Why the text may not be saved, or undefined when it may. */
  problems(text: string): Promise<string | undefined>;
}

export function policyDocumentUri(kind: PolicyKind, location: PolicyLocation): vscode.Uri {
  return vscode.Uri.from({ scheme: kind.scheme, path: `/${location.region}/${location.registryId}/${location.repositoryName}${kind.suffix}` });
}

export function policyDocumentLocation(kind: PolicyKind, uri: vscode.Uri): PolicyLocation {
  const [region, registryId, ...rest] = uri.path.replace(/^\//, '').split('/');
  const file = rest.join('/');
  if (uri.scheme !== kind.scheme || !region || !registryId || !file.endsWith(kind.suffix)) throw vscode.FileSystemError.FileNotFound(uri);
  return { region, registryId, repositoryName: file.slice(0, -kind.suffix.length) };
}

export interface PolicySaved {
  location: PolicyLocation;
  policyText: string;
}

export class PolicyDocuments implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  private readonly saved = new vscode.EventEmitter<PolicySaved>();
  /** Fires after a policy was written to ECR from an editor. */
  readonly onDidSave = this.saved.event;
  /** Modification times per document, changed only by the extension's own writes. */
  private readonly mtimes = new Map<string, number>();

  constructor(
    readonly kind: PolicyKind,
    private readonly session: AwsSession,
    private readonly log: Log,
  ) {}

  uriOf(location: PolicyLocation): vscode.Uri {
    return policyDocumentUri(this.kind, location);
  }

  locationOf(uri: vscode.Uri): PolicyLocation {
    return policyDocumentLocation(this.kind, uri);
  }

  private checkConnection(location: PolicyLocation): void {
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
    // The region and account folders above a document: `workspace.fs.writeFile` looks at them before writing.
    if (uri.scheme === this.kind.scheme && !uri.path.endsWith(this.kind.suffix) && uri.path.split('/').filter(Boolean).length <= 2) {
      return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    }
    this.locationOf(uri);
    const key = uri.toString();
    if (!this.mtimes.has(key)) this.mtimes.set(key, Date.now());
    return { type: vscode.FileType.File, ctime: 0, mtime: this.mtimes.get(key)!, size: 0 };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const location = this.locationOf(uri);
    this.checkConnection(location);
    const access = await this.session.access();
    let text: string | undefined;
    try {
      text = await this.kind.read(access, location.repositoryName);
    } catch (error) {
      throw vscode.FileSystemError.Unavailable(this.session.describe(error).message);
    }
    // No policy yet: an empty document, which the edit command fills with a template.
    return Buffer.from(text ? await this.kind.pretty(text) : '', 'utf8');
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const location = this.locationOf(uri);
    // Plain FileSystemErrors: "no permission" would make VS Code offer to retry as administrator.
    if (this.kind.untrustedSave && !vscode.workspace.isTrusted) throw new vscode.FileSystemError(this.kind.untrustedSave);
    const text = Buffer.from(content).toString('utf8');
    if (!text.trim()) throw new vscode.FileSystemError(`An empty document is not a policy. To remove the policy, use "${this.kind.deleteCommand}" on the repository.`);
    const problems = await this.kind.problems(text);
    if (problems) throw new vscode.FileSystemError(`Not saved: ${problems}`);
    this.checkConnection(location);
    const access = await this.session.access();
    try {
      await this.kind.write(access, location.repositoryName, text);
    } catch (error) {
      const described = this.session.describe(error);
      this.log.warn(`${this.kind.writeOperation} ${location.repositoryName} failed: ${described.message}`);
      throw new vscode.FileSystemError(`ECR refused the policy: ${described.message}`);
    }
    this.log.info(`Saved the ${this.kind.noun} of ${location.repositoryName} (${location.region})`);
    this.readAgain(uri);
    this.saved.fire({ location, policyText: text });
  }

  /**
   * The policy may have changed in ECR (saved, deleted here, or changed by someone else): an open document
   * that has no edits of its own is read again, so it never shows a policy that is gone.
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
    this.saved.dispose();
  }
}

/**
 * Diagnostics of open policy documents while typing, from the kind's own checks (loaded with the first such
 * document, not at activation).
 */
export class PolicyDiagnostics implements vscode.Disposable {
  private readonly collection: vscode.DiagnosticCollection;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    name: string,
    private readonly kind: Pick<PolicyKind, 'scheme' | 'suffix'>,
    private readonly diagnose: (document: vscode.TextDocument) => Promise<vscode.Diagnostic[]>,
  ) {
    this.collection = vscode.languages.createDiagnosticCollection(name);
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((d) => void this.check(d)),
      vscode.workspace.onDidChangeTextDocument((e) => void this.check(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)),
    ];
    for (const document of vscode.workspace.textDocuments) void this.check(document);
  }

  isPolicyDocument(document: vscode.TextDocument): boolean {
    return document.uri.scheme === this.kind.scheme || document.uri.path.endsWith(this.kind.suffix);
  }

  async check(document: vscode.TextDocument): Promise<void> {
    if (!this.isPolicyDocument(document)) return;
    const version = document.version;
    const diagnostics = await this.diagnose(document);
    // Typing went on while the checks loaded: the newer version's check sets the diagnostics.
    if (document.isClosed || document.version !== version) return;
    this.collection.set(document.uri, diagnostics);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
  }
}
