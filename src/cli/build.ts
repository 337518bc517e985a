/**
 * `ecr-deploy build`, `push` and `build-and-push`: the same pipeline as the editor's terminal task,
 * as child processes. The container CLI's output goes to stdout (stderr with `--output json`, which
 * keeps stdout for the result); a failed step ends the run with exit 1 and the step named.
 */
import * as path from 'node:path';
import * as edge from '../aws/index';
import { buildAndPush, buildRequestProblem, type BuildAndPushResult } from '../app/build/buildAndPush';
import { describeAwsError } from '../core/errors/awsErrors';
import { isErrorNamed } from '../core/errors/named';
import { parseRegistryEndpoint, repositoryNameProblem } from '../core/ecr/inputRules';
import { isContainerCli, type ContainerCli } from '../docker/commandLine';
import { DEFAULT_PLATFORM } from '../docker/commands';
import type { BuildAction } from '../docker/pipeline';
import { CommandError, requireRegion, toJson, UsageError, type CommandContext, type CommandDefinition } from './framework';

const OPTIONS: CommandDefinition['options'] = {
  repository: { type: 'string', short: 'r' },
  tag: { type: 'string', short: 't', multiple: true },
  dockerfile: { type: 'string', short: 'f' },
  context: { type: 'string' },
  platform: { type: 'string' },
  'build-arg': { type: 'string', multiple: true },
  target: { type: 'string' },
  'registry-endpoint': { type: 'string' },
  'container-cli': { type: 'string' },
};

const BUILD_HELP: Array<[string, string]> = [
  ['-r, --repository NAME', 'ECR repository name (required)'],
  ['-t, --tag TAG', 'Image tag; repeat for several (required)'],
  ['-f, --dockerfile FILE', 'Dockerfile (default: Dockerfile in the context)'],
  ['--context DIR', 'Build context (default: .)'],
  ['--platform OS/ARCH', `Target platform (default: ${DEFAULT_PLATFORM}, what Fargate runs)`],
  ['--build-arg NAME=VALUE', 'Build argument; repeat for several'],
  ['--target STAGE', 'Build stage of a multi-stage Dockerfile'],
];
const PUSH_HELP: Array<[string, string]> = [
  ['--registry-endpoint HOST:PORT', 'Registry that replaces the host of repository URIs and of the login (local emulators; default: ECR_DEPLOY_REGISTRY_ENDPOINT)'],
];
const CLI_HELP: Array<[string, string]> = [['--container-cli docker|podman|finch', 'Container CLI to run (default: docker; DOCKER_HOST and the Docker context are honoured)']];

interface BuildOptions {
  repositoryName: string;
  tags: string[];
  dockerfile: string;
  context: string;
  platform: string;
  buildArgs: Record<string, string>;
  target: string | undefined;
  registryEndpoint: string | undefined;
  cli: ContainerCli;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : [];
}

function readOptions({ values, env }: CommandContext): BuildOptions {
  const repositoryName = values.repository as string | undefined;
  if (!repositoryName) throw new UsageError('--repository is required.');
  const nameProblem = repositoryNameProblem(repositoryName);
  if (nameProblem) throw new UsageError(nameProblem);
  const tags = stringList(values.tag);
  if (!tags.length) throw new UsageError('give at least one --tag.');
  const buildArgs: Record<string, string> = {};
  for (const entry of stringList(values['build-arg'])) {
    const equals = entry.indexOf('=');
    if (equals <= 0) throw new UsageError(`--build-arg takes NAME=VALUE, not ${JSON.stringify(entry)}.`);
    buildArgs[entry.slice(0, equals)] = entry.slice(equals + 1);
  }
  const cli = (values['container-cli'] as string | undefined) ?? 'docker';
  if (!isContainerCli(cli)) throw new UsageError(`--container-cli must be docker, podman or finch, not ${JSON.stringify(cli)}.`);
  let registryEndpoint: string | undefined;
  try {
    // The variable serves a whole CI job pointed at a local emulator, as AWS_ENDPOINT_URL does for the API.
    const given = (values['registry-endpoint'] as string | undefined) ?? (env?.ECR_DEPLOY_REGISTRY_ENDPOINT || undefined);
    registryEndpoint = parseRegistryEndpoint(given);
  } catch (error) {
    throw new UsageError(`${values['registry-endpoint'] === undefined ? 'ECR_DEPLOY_REGISTRY_ENDPOINT: ' : ''}${(error as Error).message}`);
  }
  const context = (values.context as string | undefined) ?? '.';
  const options: BuildOptions = {
    repositoryName,
    tags,
    context,
    dockerfile: (values.dockerfile as string | undefined) ?? path.join(context, 'Dockerfile'),
    platform: (values.platform as string | undefined) ?? DEFAULT_PLATFORM,
    buildArgs,
    target: values.target as string | undefined,
    registryEndpoint,
    cli,
  };
  // Everything is checked before the first AWS call, so a bad tag costs nothing and says so at once.
  const problem = buildRequestProblem(options);
  if (problem) throw new UsageError(problem);
  return options;
}

async function runBuildAction(action: BuildAction, context: CommandContext): Promise<void> {
  requireRegion(context);
  const options = readOptions(context);
  const describe = (error: unknown) =>
    describeAwsError(error, {
      profile: context.connection.profileLabel,
      region: context.connection.region,
      endpoint: context.connection.effectiveEndpoint,
      profileUsesSso: context.connection.profileUsesSso,
    }).message;
  // With --output json, stdout carries only the result.
  const write = context.output === 'json' ? context.stderr : context.stdout;
  const clients = edge.createAwsClients(context.connection);
  try {
    let result: BuildAndPushResult;
    try {
      result = await buildAndPush({ ...options, action, cwd: process.cwd() }, { access: { edge, clients }, write, describeError: describe, signal: context.signal });
    } catch (error) {
      if (isErrorNamed(error, 'InvalidRequestError')) throw new UsageError(error.message);
      if (isErrorNamed(error, 'StepFailure', 'LookupFailure', 'RecordFailure')) throw new CommandError(error.message);
      throw error;
    }
    if (result.digestReadBack) write(`Digest: ${result.digest}\n`);
    if (result.recordedTags.length) write(`Recorded ${result.recordedTags.join(', ')} with the ECR API at ${context.connection.effectiveEndpoint ?? 'AWS'} (its registry is separate).\n`);
    if (context.output === 'json') {
      context.stdout(
        toJson({
          repositoryName: options.repositoryName,
          repositoryUri: result.repositoryUri,
          imageTags: options.tags,
          ...(result.digest ? { imageDigest: result.digest } : {}),
          platform: result.platform,
          ...(result.platformWarning ? { platformWarning: result.platformWarning } : {}),
        }),
      );
    }
    if (result.platformWarning) context.stderr(`ecr-deploy ${commandName(action)}: warning: ${result.platformWarning}\n`);
  } finally {
    clients.destroy();
  }
}

function commandName(action: BuildAction): string {
  return action === 'buildAndPush' ? 'build-and-push' : action;
}

function definition(action: BuildAction, summary: string, optionHelp: Array<[string, string]>): CommandDefinition {
  const name = commandName(action);
  return {
    name,
    summary,
    usage: `${name} --repository NAME --tag TAG [--tag TAG2] [options]`,
    options: OPTIONS,
    optionHelp,
    run: (context) => runBuildAction(action, context),
  };
}

export const buildCommand = definition('build', 'Build an image for linux/amd64, tagged with the repository URI.', [...BUILD_HELP, ...PUSH_HELP, ...CLI_HELP]);
export const pushCommand = definition('push', 'Log in to ECR and push tags already built locally; prints the digest.', [
  BUILD_HELP[0],
  BUILD_HELP[1],
  ...PUSH_HELP,
  ...CLI_HELP,
]);
export const buildAndPushCommand = definition('buildAndPush', 'Log in, build for linux/amd64 and push every tag; prints the digest.', [...BUILD_HELP, ...PUSH_HELP, ...CLI_HELP]);
