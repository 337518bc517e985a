#!/usr/bin/env node
/** `ecr-deploy`: the headless entry, on the same core and AWS edge as the extension, no vscode. */
import { runCli, type CommandDefinition } from './cli/framework';

// The SDK warns on every run that releases after January 2027 need Node 22; users of the CLI cannot act on it.
if (!process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED) process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/**
 * Each command's module, evaluated only when that command runs: a one-shot `ecr-deploy repos` pays for the
 * ECR client, not for ECS, CloudWatch Logs, the container CLI or the workflow generator (esbuild keeps a
 * module reached only through import() uninitialised until it is imported). A new command is one line here.
 */
const COMMANDS: ReadonlyArray<{ name: string; load: () => Promise<CommandDefinition> }> = [
  { name: 'repos', load: async () => (await import('./cli/repos')).reposCommand },
  { name: 'images', load: async () => (await import('./cli/images')).imagesCommand },
  { name: 'services', load: async () => (await import('./cli/services')).servicesCommand },
  { name: 'build', load: async () => (await import('./cli/build')).buildCommand },
  { name: 'push', load: async () => (await import('./cli/build')).pushCommand },
  { name: 'build-and-push', load: async () => (await import('./cli/build')).buildAndPushCommand },
  { name: 'deploy', load: async () => (await import('./cli/deploy')).deployCommand },
  { name: 'validate', load: async () => (await import('./cli/deploy')).validateCommand },
  { name: 'rollback', load: async () => (await import('./cli/deploy')).rollbackCommand },
  { name: 'continue', load: async () => (await import('./cli/continue')).continueCommand },
  { name: 'logs', load: async () => (await import('./cli/logs')).logsCommand },
  { name: 'findings', load: async () => (await import('./cli/findings')).findingsCommand },
  { name: 'init-ci', load: async () => (await import('./cli/initCi')).initCiCommand },
];

/** The command the arguments name (the framework reads it from argv[0]), else all of them: help, usage errors. */
async function commandsFor(argv: readonly string[]): Promise<CommandDefinition[]> {
  const named = COMMANDS.find((c) => c.name === argv[0]);
  const definitions = await Promise.all((named ? [named] : COMMANDS).map((c) => c.load()));
  const mismatch = definitions.find((d, i) => d.name !== (named ? [named] : COMMANDS)[i]!.name);
  // A command listed under another name than its definition has would run under the wrong name.
  if (mismatch) throw new Error(`src/cli.ts lists a command whose definition is named "${mismatch.name}"`);
  return definitions;
}

async function main(): Promise<void> {
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  const argv = process.argv.slice(2);
  const code = await runCli(argv, await commandsFor(argv), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    signal: abort.signal,
  });
  process.exitCode = code;
}

void main();
