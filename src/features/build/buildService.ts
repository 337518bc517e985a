/**
 * Runs an `ecr-deploy` task definition: looks the repository up, points it at the registry endpoint
 * in use, runs the shared pipeline (src/docker/pipeline.ts) with a cached ECR token, and after a push
 * shows the digest and refreshes the Repositories view. It owns what lives across builds: the token
 * cache per set of AWS clients and the memory of `docker login`s.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RegistryAuth } from '../../aws/auth';
import type { AwsClients } from '../../aws/clients';
import { defaultContext, parseBuildTaskDefinition, type BuildTaskDefinition } from '../../core/build/buildTask';
import type { PushedImage } from '../../app/scan/findings';
import { buildAndPush } from '../../app/build/buildAndPush';
import { shortDigest } from '../../core/text/format';
import { showMessage } from '../messages';
import { parseRegistryEndpoint } from '../../core/ecr/inputRules';
import { isErrorNamed } from '../../core/errors/named';
import { LoginMemo } from '../../docker/login';
import type { AwsSession } from '../connection/awsSession';
import type { Log } from '../log';
import type { Memory } from '../memory';
import { settings } from '../settings';

export interface BuildOutcome {
  ok: boolean;
  cancelled?: boolean;
  repositoryUri?: string;
  digest?: string;
  platform?: string;
  platformWarning?: string;
  /** One line for the user when not ok. */
  error?: string;
}

export const UNTRUSTED_EXPLANATION =
  'Building and pushing are disabled in an untrusted workspace: a Dockerfile and its build context can run any command on your Docker engine. Trust the workspace to build.';

export class BuildService implements vscode.Disposable {
  private readonly logins = new LoginMemo();
  /** One token cache per set of clients: a new profile, region or endpoint means new clients and a new cache. */
  private readonly tokenCaches = new WeakMap<AwsClients, RegistryAuth>();
  private readonly finished = new vscode.EventEmitter<BuildOutcome>();
  /** Fires after every run, from a task or from a command. */
  readonly onDidFinish = this.finished.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly session: AwsSession,
    private readonly log: Log,
    private readonly memory: Memory,
    /** Reads the pushed repository again in the Repositories view (only that row and its images). */
    private readonly refreshRepository: (repositoryName: string) => void,
  ) {
    // Another connection may mean another registry or another `docker login` target: forget them all.
    this.subscription = session.onDidChange(() => this.logins.clear());
  }

  /** The repository for builds of this folder: the setting, else the one last picked there. */
  repositoryFor(folder: vscode.WorkspaceFolder): string | undefined {
    return settings.buildRepository(folder.uri) || this.memory.buildRepository(folder.uri.toString());
  }

  rememberRepository(folder: vscode.WorkspaceFolder, repository: string): Promise<void> {
    return this.memory.rememberBuildRepository(folder.uri.toString(), repository);
  }

  /** Runs a definition, writing everything to `write`; never throws, the outcome says how it went. */
  async run(raw: unknown, folder: vscode.WorkspaceFolder, write: (text: string) => void, signal: AbortSignal): Promise<BuildOutcome> {
    const outcome = await this.runUnreported(raw, folder, write, signal);
    if (outcome.ok) this.log.info(`Build task done: ${outcome.repositoryUri ?? ''}${outcome.digest ? ` ${outcome.digest}` : ''}`);
    else if (!outcome.cancelled) this.log.warn(`Build task failed: ${outcome.error}`);
    this.finished.fire(outcome);
    return outcome;
  }

  private async runUnreported(raw: unknown, folder: vscode.WorkspaceFolder, write: (text: string) => void, signal: AbortSignal): Promise<BuildOutcome> {
    if (!vscode.workspace.isTrusted) return this.failed(write, UNTRUSTED_EXPLANATION);
    const parsed = parseBuildTaskDefinition(raw);
    if (!parsed.definition) return this.failed(write, `The task definition is not valid: ${parsed.problem}`);
    const definition = parsed.definition;
    let registryEndpoint: string | undefined;
    try {
      registryEndpoint = parseRegistryEndpoint(settings.registryEndpoint());
    } catch (error) {
      return this.failed(write, `${(error as Error).message} (setting ecrDeploy.registryEndpoint)`);
    }
    const dockerfile = definition.dockerfile ?? 'Dockerfile';
    const request = {
      action: definition.action,
      cli: settings.containerCli(),
      cwd: folder.uri.fsPath,
      tags: definition.tags,
      dockerfile,
      context: definition.context ?? defaultContext(dockerfile),
      platform: definition.platform ?? settings.buildPlatform(folder.uri),
      buildArgs: definition.buildArgs,
      target: definition.target,
    };
    try {
      const access = await this.session.access();
      const result = await buildAndPush(
        { ...request, repositoryName: definition.repository, registryEndpoint },
        {
          access,
          write,
          describeError: (e) => this.session.describe(e).message,
          signal,
          auth: this.tokenCacheFor(access.clients, access.edge.RegistryAuth, registryEndpoint),
          logins: this.logins,
        },
      );
      const outcome: BuildOutcome = { ok: true, repositoryUri: result.repositoryUri, digest: result.digest, platform: result.platform, platformWarning: result.platformWarning };
      if (definition.action !== 'build') {
        if (result.recordedTags.length) write(`Recorded ${result.recordedTags.join(', ')} with the ECR API (the emulator's registry does not tell it).\n`);
        this.refreshRepository(definition.repository);
        this.announcePush(definition, outcome);
        // The scan feature waits for a scan the push started (scan on push) and shows its findings.
        void vscode.commands.executeCommand('ecrDeploy.showScanFindingsAfterPush', {
          repositoryName: definition.repository,
          imageTag: definition.tags[0],
          imageDigest: outcome.digest,
          dockerfile: path.resolve(folder.uri.fsPath, request.dockerfile),
          context: path.resolve(folder.uri.fsPath, request.context),
        } satisfies PushedImage);
      }
      if (outcome.platformWarning) void vscode.window.showWarningMessage(outcome.platformWarning);
      write(`\n\x1b[32m${definition.action === 'build' ? 'Built' : 'Pushed'} ${definition.tags.map((t) => `${definition.repository}:${t}`).join(', ')}\x1b[0m\n`);
      return outcome;
    } catch (error) {
      if (signal.aborted) {
        write('\nCancelled.\n');
        return { ok: false, cancelled: true, error: 'Cancelled.' };
      }
      const message = isErrorNamed(error, 'StepFailure', 'InvalidRequestError', 'LookupFailure', 'RecordFailure') ? error.message : this.session.describe(error).message;
      return this.failed(write, message);
    }
  }

  private tokenCacheFor(clients: AwsClients, Auth: typeof RegistryAuth, registryEndpoint: string | undefined): RegistryAuth {
    let auth = this.tokenCaches.get(clients);
    if (!auth) {
      auth = new Auth(clients.ecr, { registryEndpoint });
      this.tokenCaches.set(clients, auth);
    }
    return auth;
  }

  private failed(write: (text: string) => void, message: string): BuildOutcome {
    write(`\n\x1b[31m${message}\x1b[0m\n`);
    void vscode.window.showErrorMessage(`ECR Deploy: ${message}`);
    return { ok: false, error: message };
  }

  private announcePush(definition: BuildTaskDefinition, outcome: BuildOutcome): void {
    if (!outcome.digest) return;
    const digest = outcome.digest;
    // The next step after a push is a deploy of what was pushed: the same image node a tag row would pass.
    const pushed = { kind: 'image', repository: { repositoryName: definition.repository, repositoryUri: outcome.repositoryUri }, image: { imageDigest: digest, imageTags: definition.tags } };
    void showMessage(
      'info',
      `Pushed ${definition.repository}:${definition.tags.join(', ')} — ${shortDigest(digest)}`,
      ...(outcome.repositoryUri ? [{ title: 'Deploy...', run: () => vscode.commands.executeCommand('ecrDeploy.deployToService', pushed) }] : []),
      { title: 'Copy Digest', run: () => vscode.env.clipboard.writeText(digest) },
    );
  }

  /** A Dockerfile path as the task shows it: relative to its folder when inside it. */
  static relativePath(folder: vscode.WorkspaceFolder, file: vscode.Uri): string {
    return path.relative(folder.uri.fsPath, file.fsPath).split(path.sep).join('/');
  }

  dispose(): void {
    this.subscription.dispose();
    this.finished.dispose();
  }
}
