/**
 * Build, push, or build and push, as a careful engineer would type it: log in first when pushing
 * (fail before a long build), build for the platform, check what platform came out, push every tag,
 * and when a push is refused for its credentials log in again once with a fresh token. Shared by the
 * terminal task of the extension and the CLI; what runs is shown, line by line, before it runs.
 */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BuildTaskAction } from '../core/build/buildTask';
import { isDigest, isLoopbackRegistry, parseRepositoryUri, platformMatches } from '../core/ecr/imageReference';
import { isErrorNamed, PhrasedError } from '../core/errors/named';
import { engineDescription, renderCommandLine, type CommandLine, type ContainerCli } from './commandLine';
import { buildCommand, imageReferences, inspectPlatformCommand, pushCommand, validateBuildRequest, type BuildRequest } from './commands';
import { describeFailure, StepFailure, type BuildStep } from './failures';
import { loginToRegistry, type LoginMemo, type RegistryCredentials } from './login';
import { spawnProcess, type ProcessRunner, type RunResult } from './process';

export type BuildAction = BuildTaskAction;

export interface PipelineRequest extends BuildRequest {
  action: BuildAction;
  cli: ContainerCli;
  /** Where the CLI runs; relative Dockerfile and context paths are relative to it. */
  cwd: string;
}

export type CredentialSource = (options: { forceRefresh: boolean; signal?: AbortSignal }) => Promise<RegistryCredentials>;

export interface PipelineIo {
  /** Everything the user sees: the command lines and the CLI's own output. */
  write(text: string): void;
  /** Needed by push actions: a token for the registry, fresh when asked. */
  credentials?: CredentialSource;
  logins?: LoginMemo;
  runner?: ProcessRunner;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** One line for an error of the credential source (an AWS error, phrased by the caller). */
  describeError?: (error: unknown) => string;
}

export interface PipelineResult {
  imageReferences: string[];
  /** What the local image says, `os/arch[/variant]`. */
  platform?: string;
  /** Set when the image is not for the requested platform. */
  platformWarning?: string;
  /** The pushed manifest's digest, when the CLI reported it. */
  digest?: string;
}

/** A request that cannot run as given (bad tag, bad path...): nothing was started. */
export class InvalidRequestError extends PhrasedError {
  override name = 'InvalidRequestError';
}

export function platformWarning(expected: string, actual: string): string | undefined {
  if (platformMatches(expected, actual)) return undefined;
  return `The image is ${actual}, not ${expected}: ECS would fail to start it on ${expected} ("exec format error"). Check --platform and the base image.`;
}

const PUSHED_DIGEST = /digest: (sha256:[0-9a-f]{64})/;

export async function runPipeline(request: PipelineRequest, io: PipelineIo): Promise<PipelineResult> {
  const problem = validateBuildRequest(request);
  if (problem) throw new InvalidRequestError(problem);
  const pushes = request.action !== 'build';
  if (pushes && !io.credentials) throw new InvalidRequestError('Pushing needs registry credentials.');

  const env = io.env ?? process.env;
  const runner = io.runner ?? spawnProcess;
  const engine = engineDescription(env);
  const registry = parseRepositoryUri(request.repositoryUri).registry;
  const references = imageReferences(request);
  const result: PipelineResult = { imageReferences: references };
  if (engine) io.write(`Engine: ${engine}\n`);

  const run = async (step: BuildStep, command: CommandLine, show: boolean): Promise<RunResult> => {
    io.write(`$ ${renderCommandLine(command)}\n`);
    return runner(command, { cwd: request.cwd, env, signal: io.signal, onOutput: show ? io.write : undefined }).catch((error: unknown) => {
      throw isErrorNamed(error, 'ProgramMissingError') ? new StepFailure(step, 'other', `${step} failed: ${error.message}`) : error;
    });
  };
  const fail = (step: BuildStep, outcome: RunResult) => describeFailure(step, outcome.output, { cli: request.cli, registry, engine, code: outcome.code });

  const login = async (forceRefresh: boolean) => {
    const credentials = await io.credentials!({ forceRefresh, signal: io.signal }).catch((error: unknown) => {
      if (io.signal?.aborted) throw error;
      throw new StepFailure('login', 'credentials', `login failed: no registry token: ${io.describeError?.(error) ?? (error instanceof Error ? error.message : String(error))}`);
    });
    if (!forceRefresh && io.logins?.has(request.cli, credentials, env)) {
      io.write(`Logged in to ${credentials.endpoint} already, with the current token.\n`);
      return;
    }
    await loginToRegistry(request.cli, credentials, { write: io.write, runner, env, signal: io.signal });
    io.logins?.remember(request.cli, credentials, env);
  };

  if (pushes) await login(false);

  if (request.action !== 'push') {
    const built = await run('build', buildCommand(request.cli, request), true);
    if (built.code !== 0) throw fail('build', built);
  }

  const inspected = await run('inspect', inspectPlatformCommand(request.cli, references[0]), false);
  if (inspected.code !== 0) {
    if (request.action === 'push') {
      throw new StepFailure('inspect', 'other', `push failed: the image ${references[0]} is not in the local engine; build it first (action build or buildAndPush).`);
    }
    throw fail('inspect', inspected);
  }
  result.platform = inspected.output.trim().split('\n').at(-1);
  io.write(`Image platform: ${result.platform}\n`);
  result.platformWarning = result.platform ? platformWarning(request.platform, result.platform) : undefined;
  if (result.platformWarning) io.write(`WARNING: ${result.platformWarning}\n`);

  if (!pushes) return result;
  const digestDir = request.cli === 'podman' ? await fs.mkdtemp(path.join(os.tmpdir(), 'ecr-deploy-digest-')) : undefined;
  try {
    let loggedInAgain = false;
    for (const reference of references) {
      const digestFile = digestDir ? path.join(digestDir, 'digest') : undefined;
      const push = () => run('push', pushCommand(request.cli, reference, { insecure: isLoopbackRegistry(registry), digestFile }), true);
      let pushed = await push();
      let failure = pushed.code !== 0 ? fail('push', pushed) : undefined;
      if (failure?.kind === 'unauthorized' && !loggedInAgain) {
        // An expired token, or a login that another tool replaced: one fresh login, then one more try.
        loggedInAgain = true;
        io.write('The registry refused the push for its credentials: logging in again with a fresh token.\n');
        io.logins?.forget(request.cli, registry, env);
        await login(true);
        pushed = await push();
        failure = pushed.code !== 0 ? fail('push', pushed) : undefined;
      }
      if (failure) throw failure;
      const digest = PUSHED_DIGEST.exec(pushed.output)?.[1] ?? (digestFile ? await readDigestFile(digestFile) : undefined);
      result.digest ??= digest;
    }
  } finally {
    if (digestDir) await fs.rm(digestDir, { recursive: true, force: true });
  }
  if (result.digest) io.write(`Pushed ${references.join(', ')}\nDigest: ${result.digest}\n`);
  return result;
}

async function readDigestFile(file: string): Promise<string | undefined> {
  const text = (await fs.readFile(file, 'utf8').catch(() => '')).trim();
  return isDigest(text) ? text : undefined;
}
