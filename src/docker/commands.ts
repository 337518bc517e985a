/**
 * The command lines of build, push, login and platform inspection for docker, podman and finch, as
 * argument arrays. Every user-supplied part is validated first (validateBuildRequest): a tag or name
 * that a CLI would refuse, or could read as an option, never reaches one.
 */
import { imageReference } from '../core/ecr/imageReference';
import { buildArgProblem, optionSafePath, pathProblem, platformProblem, tagProblem, targetProblem } from '../core/ecr/inputRules';
import type { CommandLine, ContainerCli } from './commandLine';

export const DEFAULT_PLATFORM = 'linux/amd64';
/** ECR's (and Docker's) login user for a GetAuthorizationToken password. */
export const REGISTRY_USERNAME = 'AWS';

export interface BuildRequest {
  /** The repository URI to tag with, already pointed at the registry endpoint in use. */
  repositoryUri: string;
  tags: string[];
  dockerfile: string;
  context: string;
  platform: string;
  buildArgs?: Record<string, string>;
  target?: string;
}

/** The first problem of a request, phrased for the user; undefined when it can run. */
export function validateBuildRequest(request: Omit<BuildRequest, 'repositoryUri'>): string | undefined {
  if (!request.tags.length) return 'Give at least one tag.';
  for (const tag of request.tags) {
    const problem = tagProblem(tag);
    if (problem) return problem;
  }
  return (
    pathProblem('Dockerfile', request.dockerfile) ??
    pathProblem('build context', request.context) ??
    platformProblem(request.platform) ??
    Object.entries(request.buildArgs ?? {})
      .map(([name, value]) => buildArgProblem(name, value))
      .find(Boolean) ??
    (request.target !== undefined && request.target !== '' ? targetProblem(request.target) : undefined)
  );
}

export function imageReferences(request: Pick<BuildRequest, 'repositoryUri' | 'tags'>): string[] {
  return request.tags.map((tag) => imageReference(request.repositoryUri, tag));
}

/** `docker build --platform P -t URI:TAG [-t ...] -f DOCKERFILE [--build-arg K=V ...] [--target T] CONTEXT`. */
export function buildCommand(cli: ContainerCli, request: BuildRequest): CommandLine {
  const args = ['build', '--platform', request.platform];
  for (const reference of imageReferences(request)) args.push('-t', reference);
  args.push('-f', optionSafePath(request.dockerfile));
  for (const [name, value] of Object.entries(request.buildArgs ?? {})) args.push('--build-arg', `${name}=${value}`);
  if (request.target) args.push('--target', request.target);
  // podman writes OCI manifests by default; the Docker v2 format is what every registry and ECR tool reads.
  if (cli === 'podman') args.push('--format', 'docker');
  args.push(optionSafePath(request.context));
  return { program: cli, args };
}

export interface PushOptions {
  /** A loopback registry speaking plain HTTP (a local emulator). */
  insecure: boolean;
  /** podman prints no digest: it writes it to this file. */
  digestFile?: string;
}

export function pushCommand(cli: ContainerCli, reference: string, options: PushOptions): CommandLine {
  switch (cli) {
    case 'docker':
      // Docker treats 127.0.0.0/8 as an insecure registry by default: nothing to add.
      return { program: cli, args: ['push', reference] };
    case 'podman':
      return {
        program: cli,
        args: ['push', ...(options.insecure ? ['--tls-verify=false'] : []), ...(options.digestFile ? ['--digestfile', options.digestFile] : []), reference],
      };
    case 'finch':
      return { program: cli, args: ['push', ...(options.insecure ? ['--insecure-registry'] : []), reference] };
  }
}

/** The password is never an argument: it goes to the child's stdin (`--password-stdin`). */
export function loginCommand(cli: ContainerCli, endpoint: string, options: { insecure: boolean }): CommandLine {
  const tls = cli === 'podman' && options.insecure ? ['--tls-verify=false'] : [];
  return { program: cli, args: ['login', ...tls, '--username', REGISTRY_USERNAME, '--password-stdin', endpoint] };
}

/** Prints `os/arch[/variant]` of a local image. */
export function inspectPlatformCommand(cli: ContainerCli, reference: string): CommandLine {
  // Only Docker's inspect output has a Variant field; a template naming a missing field fails elsewhere.
  const format = cli === 'docker' ? '{{.Os}}/{{.Architecture}}{{if .Variant}}/{{.Variant}}{{end}}' : '{{.Os}}/{{.Architecture}}';
  return { program: cli, args: ['image', 'inspect', '--format', format, reference] };
}
