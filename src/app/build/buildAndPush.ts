/**
 * Build, push, or build and push, for both shells: check the request before anything runs, look the
 * repository up, point its URI at the registry endpoint in use, run the container CLI pipeline with an
 * ECR token, and after a push read the image back from the ECR API (the digest, and the tags an
 * emulator's separate registry did not tell its API). The shells say what to build and show the result.
 */
import type { RegistryAuth } from '../../aws/auth';
import { isErrorNamed, PhrasedError } from '../../core/errors/named';
import { repositoryUriFor } from '../../core/ecr/imageReference';
import { validateBuildRequest, type BuildRequest } from '../../docker/commands';
import type { LoginMemo } from '../../docker/login';
import { InvalidRequestError, runPipeline, type PipelineRequest } from '../../docker/pipeline';
import type { ProcessRunner } from '../../docker/process';
import type { AwsAccess } from '../ports';

/** What the pipeline runs (relative paths from `cwd`), named by repository instead of URI. */
export interface BuildAndPushRequest extends Omit<PipelineRequest, 'repositoryUri'> {
  repositoryName: string;
  /** `host:port` that replaces the registry host of the repository URI and of the login (an emulator). */
  registryEndpoint: string | undefined;
}

export interface BuildAndPushPorts {
  access: AwsAccess;
  /** Everything the person sees: the command lines and the container CLI's own output. */
  write(text: string): void;
  /** One line for an AWS error (the shell knows the profile and region to name). */
  describeError(error: unknown): string;
  signal?: AbortSignal;
  /** A token cache that outlives this run (the extension's, per set of clients); a fresh one otherwise. */
  auth?: RegistryAuth;
  /** The `docker login`s already done with the current token (the extension's). */
  logins?: LoginMemo;
  /** For tests: what runs the container CLI. */
  runner?: ProcessRunner;
  env?: NodeJS.ProcessEnv;
}

export interface BuildAndPushResult {
  repositoryUri: string;
  /** The pushed manifest's digest: from the CLI's output, else read back from the API. */
  digest?: string;
  /** True when the container CLI printed no digest and the API supplied it. */
  digestReadBack: boolean;
  /** Tags written to the ECR API because the emulator's registry did not tell it. */
  recordedTags: string[];
  platform?: string;
  platformWarning?: string;
}

/** The repository could not be read (missing, no access); phrased for the person. */
export class LookupFailure extends PhrasedError {
  override name = 'LookupFailure';
}

/** The push worked but the image could not be read back from the API; phrased for the person. */
export class RecordFailure extends PhrasedError {
  override name = 'RecordFailure';
}

/** The first problem of a request, phrased for the person; undefined when it can run. */
export function buildRequestProblem(request: Omit<BuildRequest, 'repositoryUri'>): string | undefined {
  return validateBuildRequest(request);
}

/**
 * Runs the request. Rejects with InvalidRequestError (nothing started), LookupFailure, StepFailure
 * (a container CLI step, named), RecordFailure, or the signal's reason when cancelled.
 */
export async function buildAndPush(request: BuildAndPushRequest, ports: BuildAndPushPorts): Promise<BuildAndPushResult> {
  // Checked before the first AWS call: a bad tag costs nothing and says so at once.
  const problem = buildRequestProblem(request);
  if (problem) throw new InvalidRequestError(problem);
  const { edge, clients } = ports.access;
  const { signal } = ports;
  const repository = await edge.ecr.describeRepository(clients.ecr, request.repositoryName, { signal }).catch((error: unknown) => {
    throw new LookupFailure(`repository lookup failed: ${ports.describeError(error)}`);
  });
  if (!repository?.repositoryUri) {
    throw new LookupFailure(`repository lookup failed: RepositoryNotFoundException: no repository "${request.repositoryName}" in this registry. Create it, or check the region.`);
  }
  const repositoryUri = repositoryUriFor(repository.repositoryUri, request.registryEndpoint);
  const auth = ports.auth ?? new edge.RegistryAuth(clients.ecr, { registryEndpoint: request.registryEndpoint });
  const pipeline = await runPipeline(
    { ...request, repositoryUri },
    { write: ports.write, credentials: (o) => auth.credentials(o), logins: ports.logins, runner: ports.runner, env: ports.env, signal, describeError: ports.describeError },
  );
  const result: BuildAndPushResult = { repositoryUri, digest: pipeline.digest, digestReadBack: false, recordedTags: [], platform: pipeline.platform, platformWarning: pipeline.platformWarning };
  if (request.action === 'build') return result;
  try {
    const confirmed = await edge.pushedImage.confirmPushedImage(
      clients.ecr,
      { repositoryName: request.repositoryName, tags: request.tags, digest: pipeline.digest, registryEndpoint: request.registryEndpoint, credentials: await auth.credentials({ signal }) },
      { signal },
    );
    result.digestReadBack = !pipeline.digest && Boolean(confirmed.digest);
    result.digest = confirmed.digest ?? pipeline.digest;
    result.recordedTags = confirmed.recordedTags;
  } catch (error) {
    throw new RecordFailure(`record failed: the push worked, but the image could not be read back: ${isErrorNamed(error, 'RegistryApiError') ? error.message : ports.describeError(error)}`);
  }
  return result;
}
