/**
 * Every command of `ecr-deploy`, in the order the help lists them. Each command's module is evaluated only when
 * that command runs: a one-shot `ecr-deploy repos` pays for the ECR client, not for ECS, CloudWatch Logs, the
 * container CLI or the workflow generator (esbuild keeps a module reached only through import() uninitialised
 * until it is imported). A new command is one line here.
 */
import type { CommandDefinition } from './framework';

export const COMMANDS: ReadonlyArray<{ name: string; load: () => Promise<CommandDefinition> }> = [
  { name: 'repos', load: async () => (await import('./repos')).reposCommand },
  { name: 'images', load: async () => (await import('./images')).imagesCommand },
  { name: 'services', load: async () => (await import('./services')).servicesCommand },
  { name: 'build', load: async () => (await import('./build')).buildCommand },
  { name: 'push', load: async () => (await import('./build')).pushCommand },
  { name: 'build-and-push', load: async () => (await import('./build')).buildAndPushCommand },
  { name: 'deploy', load: async () => (await import('./deploy')).deployCommand },
  { name: 'validate', load: async () => (await import('./deploy')).validateCommand },
  { name: 'rollback', load: async () => (await import('./deploy')).rollbackCommand },
  { name: 'continue', load: async () => (await import('./continue')).continueCommand },
  { name: 'logs', load: async () => (await import('./logs')).logsCommand },
  { name: 'metrics', load: async () => (await import('./metrics')).metricsCommand },
  { name: 'findings', load: async () => (await import('./findings')).findingsCommand },
  { name: 'init-ci', load: async () => (await import('./initCi')).initCiCommand },
  { name: 'check', load: async () => (await import('./check')).checkCommand },
  { name: 'doctor', load: async () => (await import('./doctor')).doctorCommand },
];

/**
 * The command the arguments name (the framework reads it from argv[0]); none for `--version`, which needs no
 * command (loading them all costs 200 ms); else all of them: help, usage errors.
 */
export async function commandsFor(argv: readonly string[]): Promise<CommandDefinition[]> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) return [];
  const named = COMMANDS.find((c) => c.name === argv[0]);
  const listed = named ? [named] : COMMANDS;
  const definitions = await Promise.all(listed.map((c) => c.load()));
  const mismatch = definitions.find((d, i) => d.name !== listed[i].name);
  // A command listed under another name than its definition has would run under the wrong name.
  if (mismatch) throw new Error(`src/cli/commands.ts lists a command whose definition is named "${mismatch.name}"`);
  return definitions;
}
