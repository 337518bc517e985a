/**
 * The CLI's command framework on commander: global options, per-command options and help, exit codes
 * (0 success, 1 failure, 2 bad usage, 130 cancelled) and errors as one line on stderr. Commands are
 * described as data (`CommandDefinition`, options in node:util parseArgs' spec shape) and commander
 * parses them; the help text stays ours.
 */
import { Command, CommanderError, Option } from 'commander';
import type { ParseArgsConfig } from 'node:util';
import { resolveConnection, type ResolvedConnection } from '../aws/connection';
import { describeAwsError, escapeControl } from '../core/errors/awsErrors';
import {
  containerNameProblem,
  controlCharacterProblem,
  ecsResourceProblem,
  endpointUrlProblem,
  logGroupProblem,
  profileProblem,
  regionProblem,
  roleArnProblem,
} from '../core/connection/inputRules';
import { imageReferenceProblem, quoteForMessage, repositoryNameProblem, tagProblem } from '../core/ecr/inputRules';
import { isErrorNamed, isPhrased, PhrasedError } from '../core/errors/named';
import { ECR_DEPLOY_VERSION } from '../core/version';
import type { AwsAccess, AwsEdge } from '../app/ports';

export type OutputFormat = 'json' | 'text' | 'sarif';
type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Bad usage: exit 2. */
export class UsageError extends PhrasedError {
  override name = 'UsageError';
}

/** A failure already phrased for the user (no code prefix added): exit 1. */
export class CommandError extends PhrasedError {
  override name = 'CommandError';
}

export interface CommandContext {
  connection: ResolvedConnection;
  output: OutputFormat;
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  signal: AbortSignal;
  /** The process environment (GITHUB_ACTIONS, GITHUB_STEP_SUMMARY...); absent in some unit tests. */
  env?: NodeJS.ProcessEnv;
}

export interface CommandDefinition {
  name: string;
  summary: string;
  usage: string;
  options: OptionSpec;
  optionHelp: Array<[flag: string, text: string]>;
  /** Output formats beyond json and text that this command writes (`findings --output sarif`). */
  extraOutputs?: readonly OutputFormat[];
  run(context: CommandContext): Promise<number | void>;
}

export const GLOBAL_OPTIONS: OptionSpec = {
  profile: { type: 'string' },
  region: { type: 'string' },
  'endpoint-url': { type: 'string' },
  output: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h' },
};

const GLOBAL_HELP: Array<[string, string]> = [
  ['--profile NAME', 'AWS profile from the shared config files (default: AWS_PROFILE, then the default chain)'],
  ['--region REGION', 'AWS region (default: AWS_REGION, then the profile\'s region)'],
  ['--endpoint-url URL', 'Endpoint override for every AWS API (LocalStack, moto, VPC endpoints)'],
  ['--output json|text', 'Output format (default: text)'],
  ['-h, --help', 'Show help'],
];

function formatOptions(rows: Array<[string, string]>): string {
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return rows.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`).join('\n');
}

export function commandHelp(command: CommandDefinition): string {
  const own = command.optionHelp.length ? `\nOptions:\n${formatOptions(command.optionHelp)}\n` : '';
  return `Usage: ecr-deploy ${command.usage}\n\n${command.summary}\n${own}\nGlobal options:\n${formatOptions(GLOBAL_HELP)}\n`;
}

export function mainHelp(commands: readonly CommandDefinition[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: ecr-deploy <command> [options]',
    '',
    'Build, push and deploy container images on Amazon ECR and ECS, from a terminal or CI.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Global options:',
    formatOptions(GLOBAL_HELP),
    '',
    'Run `ecr-deploy <command> --help` for the options of a command; `ecr-deploy --version` prints the version.',
    'Exit codes: 0 success, 1 failure, 2 bad usage, 130 cancelled.',
    '',
  ].join('\n');
}

export interface RunIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
}

/** A parseArgs option spec as a commander option; `--no-x` stays a flag of its own (commander would negate `x`). */
function toOption(name: string, spec: OptionSpec[string]): Option {
  const flags = `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.type === 'string' ? ' <value>' : ''}`;
  const option = new Option(flags);
  if (spec.multiple) option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
  return option;
}

/** The values commander parsed, under the spec's own names and only those given, as parseArgs returns them. */
function givenValues(parsed: Command, options: OptionSpec): CommandContext['values'] {
  const values: CommandContext['values'] = {};
  for (const option of parsed.options) {
    const key = option.long!.slice(2);
    const attribute = option.attributeName();
    if (!(key in options) || parsed.getOptionValueSource(attribute) !== 'cli') continue;
    const value = parsed.getOptionValue(attribute) as string | boolean | string[];
    // A negatable `--no-x` flag stores `x: false`; the command asked for `no-x: true`.
    values[key] = option.negate ? true : value;
  }
  return values;
}

/** Commander's error as our one line: no `error: ` prefix, a suggestion kept on the same line. */
function usageLine(error: CommanderError): string {
  return escapeControl(error.message.replace(/^error: /, '').replace(/\n+/g, ' ').replace(/[.\s]+$/, ''));
}

/**
 * `--tag -x`: commander would take `-x` as the tag; like parseArgs, we ask for `--tag=-x`, so a
 * forgotten value never swallows the next option (`--repository --tag dev`).
 */
function ambiguousValue(args: readonly string[], options: OptionSpec): string | undefined {
  const byFlag = new Map<string, string>();
  for (const [name, spec] of Object.entries(options)) {
    if (spec.type !== 'string') continue;
    byFlag.set(`--${name}`, name);
    if (spec.short) byFlag.set(`-${spec.short}`, name);
  }
  for (let i = 0; i < args.length - 1; i++) {
    if (args[i] === '--') break;
    const name = byFlag.get(args[i]);
    if (name === undefined) continue;
    if (args[i + 1].startsWith('-')) return `option '${args[i]}' needs a value, but ${quoteForMessage(args[i + 1])} follows it: give the value, or write --${name}=${escapeControl(args[i + 1])} if that is the value`;
    i++;
  }
  return undefined;
}

/**
 * The rule of each option that names an AWS thing, by option name, whichever command has it: every
 * such value is checked before a client is made, and a broken rule is bad usage (exit 2).
 */
const OPTION_RULES: Record<string, (value: string) => string | undefined> = {
  profile: profileProblem,
  region: regionProblem,
  'endpoint-url': endpointUrlProblem,
  cluster: (value) => ecsResourceProblem('cluster', value),
  service: (value) => ecsResourceProblem('service', value),
  container: containerNameProblem,
  repository: (value) => {
    const problem = repositoryNameProblem(value);
    return problem && `--repository: ${problem}`;
  },
  'role-arn': roleArnProblem,
  group: logGroupProblem,
  tag: tagProblem,
  image: (value) => {
    const problem = imageReferenceProblem(value);
    return problem && `--image: ${problem}`;
  },
};

/** Options whose command says what is wrong with them in its own words (`--build-arg NAME=VALUE`). */
const CHECKED_BY_COMMAND = new Set(['build-arg']);

/** The first rule a given value breaks: the option's own rule, then no control characters in any value. */
function inputProblem(values: CommandContext['values']): string | undefined {
  for (const [option, given] of Object.entries(values)) {
    for (const value of typeof given === 'string' ? [given] : Array.isArray(given) ? given : []) {
      const problem = (value.trim() ? OPTION_RULES[option]?.(value.trim()) : undefined) ?? (CHECKED_BY_COMMAND.has(option) ? undefined : controlCharacterProblem(option, value));
      if (problem) return problem;
    }
  }
  return undefined;
}

interface Parsed {
  command: CommandDefinition;
  values: CommandContext['values'];
  positionals: string[];
}

function buildProgram(commands: readonly CommandDefinition[], io: RunIo, chosen: (parsed: Parsed) => void): Command {
  const program = new Command('ecr-deploy')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: () => undefined, outputError: () => undefined })
    .configureHelp({ formatHelp: () => mainHelp(commands) })
    .helpOption('-h, --help')
    .helpCommand('help [command]')
    .showSuggestionAfterError(true)
    .allowExcessArguments(false);
  for (const definition of commands) {
    const allOptions = { ...GLOBAL_OPTIONS, ...definition.options };
    const command = program
      .command(definition.name)
      .description(definition.summary)
      .helpOption('-h, --help')
      .configureHelp({ formatHelp: () => commandHelp(definition) })
      .allowExcessArguments(false)
      .action((_options, self: Command) => chosen({ command: definition, values: givenValues(self, allOptions), positionals: self.args }));
    for (const [name, spec] of Object.entries(allOptions)) if (name !== 'help') command.addOption(toOption(name, spec));
  }
  return program;
}

export async function runCli(argv: string[], commands: readonly CommandDefinition[], io: RunIo): Promise<number> {
  if (!argv.length) {
    io.stdout(mainHelp(commands));
    return 2;
  }
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    io.stdout(`${ECR_DEPLOY_VERSION}\n`);
    return 0;
  }
  const named = commands.find((c) => c.name === argv[0]);
  const ambiguous = named && ambiguousValue(argv.slice(1), { ...GLOBAL_OPTIONS, ...named.options });
  if (ambiguous) {
    io.stderr(`ecr-deploy ${argv[0]}: ${ambiguous}. Run \`ecr-deploy ${argv[0]} --help\`.\n`);
    return 2;
  }
  let parsed: Parsed | undefined;
  try {
    buildProgram(commands, io, (p) => (parsed = p)).parse(argv, { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.help' || error.code === 'commander.version') return 0;
    if (error.code === 'commander.unknownCommand' || !commands.some((c) => c.name === argv[0])) {
      io.stderr(`ecr-deploy: unknown command "${argv[0]}". Run \`ecr-deploy --help\` for the list.\n`);
      return 2;
    }
    io.stderr(`ecr-deploy ${argv[0]}: ${usageLine(error)}. Run \`ecr-deploy ${argv[0]} --help\`.\n`);
    return 2;
  }
  if (!parsed) return 0;
  const { command, values, positionals } = parsed;
  const name = command.name;
  const problem = inputProblem(values);
  if (problem) {
    io.stderr(`ecr-deploy ${name}: ${problem}\n`);
    return 2;
  }
  const output = (values.output as string | undefined) ?? 'text';
  const formats: readonly string[] = ['json', 'text', ...(command.extraOutputs ?? [])];
  if (!formats.includes(output)) {
    io.stderr(`ecr-deploy ${name}: --output must be ${formats.slice(0, -1).join(', ')} or ${formats.at(-1)}, not ${quoteForMessage(output)}.\n`);
    return 2;
  }
  const connection = resolveConnection(
    { profile: values.profile as string | undefined, region: values.region as string | undefined, endpointUrl: values['endpoint-url'] as string | undefined },
    io.env,
  );
  try {
    const code = await command.run({ connection, output: output as OutputFormat, values, positionals, stdout: io.stdout, stderr: io.stderr, signal: io.signal, env: io.env });
    return code ?? 0;
  } catch (error) {
    // Whatever a message quotes, it is one line: a newline in a value is shown as \n.
    if (isErrorNamed(error, 'UsageError')) {
      io.stderr(`ecr-deploy ${name}: ${escapeControl(error.message)}\n`);
      return 2;
    }
    if (isPhrased(error)) {
      io.stderr(`ecr-deploy ${name}: ${escapeControl(error.message)}\n`);
      return 1;
    }
    const described = describeAwsError(error, {
      profile: connection.profileLabel,
      region: connection.region,
      endpoint: connection.effectiveEndpoint,
      profileUsesSso: connection.profileUsesSso,
    });
    io.stderr(`ecr-deploy ${name}: ${described.message}\n`);
    return described.cancelled ? 130 : 1;
  }
}

export function requireRegion(context: CommandContext): void {
  if (!context.connection.region) {
    throw new UsageError('no AWS region: pass --region, set AWS_REGION, or set a region in the profile.');
  }
}

/** `--cluster` and `--service`, both required, trimmed. */
export function requiredServiceRef(context: CommandContext): { cluster: string; service: string } {
  const { cluster, service } = context.values;
  if (typeof cluster !== 'string' || !cluster.trim()) throw new UsageError('--cluster is required.');
  if (typeof service !== 'string' || !service.trim()) throw new UsageError('--service is required.');
  return { cluster: cluster.trim(), service: service.trim() };
}

/**
 * Runs a use case with AWS clients made for this command (a region is required) and destroyed after; an error
 * the use case already phrased for a person is printed as it is, without an error-class prefix.
 */
export async function withAwsClients<T>(context: CommandContext, edge: AwsEdge, work: (access: AwsAccess) => Promise<T>): Promise<T> {
  requireRegion(context);
  const clients = edge.createAwsClients(context.connection);
  try {
    return await work({ edge, clients });
  } catch (error) {
    if (isPhrased(error)) throw new CommandError(error.message);
    throw error;
  } finally {
    clients.destroy();
  }
}

/** Fixed-width columns for text output. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

/** JSON with Dates as ISO strings (the SDK parses timestamps into Date). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}
