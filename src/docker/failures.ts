/**
 * What a failed container CLI said, as one clear line: the engine is not running, the registry
 * refused the credentials or cannot be reached, the repository is missing, or the CLI's own last line.
 */
import { PhrasedError } from '../core/errors/named';
import type { ContainerCli } from './commandLine';

export type BuildStep = 'login' | 'build' | 'inspect' | 'push';

export type FailureKind = 'engineDown' | 'unauthorized' | 'unreachable' | 'repositoryMissing' | 'credentials' | 'other';

/** A step of a build or push failed; the message names the step and says what to do. */
export class StepFailure extends PhrasedError {
  override name = 'StepFailure';
  constructor(
    readonly step: BuildStep,
    readonly kind: FailureKind,
    message: string,
  ) {
    super(message);
  }
}

const ENGINE_DOWN = /Cannot connect to the Docker daemon|Is the docker daemon running|error during connect|unable to connect to Podman|Cannot connect to Podman|failed to dial .*containerd|permission denied while trying to connect to the Docker daemon/i;
const UNAUTHORIZED = /no basic auth credentials|unauthorized|authentication required|401 Unauthorized|authorization token has expired|requested access to the resource is denied|denied: /i;
const UNREACHABLE = /connection refused|no such host|i\/o timeout|dial tcp|server misbehaving|TLS handshake timeout|server gave HTTP response to HTTPS client|network is unreachable|context deadline exceeded/i;
const REPOSITORY_MISSING = /name unknown|repository .* (?:does not exist|not found)|NAME_UNKNOWN/i;

export function classifyOutput(output: string): FailureKind {
  if (ENGINE_DOWN.test(output)) return 'engineDown';
  if (REPOSITORY_MISSING.test(output)) return 'repositoryMissing';
  // Checked before "unreachable": a refused login also names the URL it dialled.
  if (UNAUTHORIZED.test(output)) return 'unauthorized';
  if (UNREACHABLE.test(output)) return 'unreachable';
  return 'other';
}

/** The last line worth showing, without progress noise, shortened. */
export function lastMeaningfulLine(output: string): string {
  const lines = output
    .split(/\r?\n|\r/)
    .map((l) => l.trim())
    .filter((l) => l && !/^(?:[0-9a-f]{12}: |Step \d+\/\d+|---> |Sending build context|Removing intermediate|DEPRECATED|\s*Install the buildx)/.test(l));
  const line = lines.at(-1) ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

export interface FailureContext {
  cli: ContainerCli;
  /** The registry host of a login or push. */
  registry?: string;
  /** The engine, when not the default (DOCKER_HOST=..., DOCKER_CONTEXT=...). */
  engine?: string;
  code: number;
}

export function describeFailure(step: BuildStep, output: string, context: FailureContext): StepFailure {
  const kind = classifyOutput(output);
  const detail = lastMeaningfulLine(output);
  const said = detail ? `: ${detail}` : ` (exit code ${context.code})`;
  const registry = context.registry ? ` ${context.registry}` : '';
  switch (kind) {
    case 'engineDown':
      return new StepFailure(step, kind, `${step} failed: the container engine is not running or not reachable${context.engine ? ` (${context.engine})` : ''}. Start it, or check DOCKER_HOST / the Docker context${said}`);
    case 'unauthorized':
      return new StepFailure(step, kind, `${step} failed: the registry${registry} refused the credentials${said}`);
    case 'unreachable':
      return new StepFailure(step, kind, `${step} failed: cannot reach the registry${registry}. Check the network and the registry endpoint (ecrDeploy.registryEndpoint, --registry-endpoint)${said}`);
    case 'repositoryMissing':
      return new StepFailure(step, kind, `${step} failed: the repository does not exist in the registry${registry}${said}`);
    case 'credentials':
    case 'other':
      return new StepFailure(step, kind, `${step} failed: ${context.cli} exited with code ${context.code}${detail ? `: ${detail}` : ''}`);
  }
}
