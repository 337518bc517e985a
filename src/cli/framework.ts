/**
 * The CLI's small command framework: global options, per-command options and help, exit codes
 * (0 success, 1 failure, 2 bad usage) and errors as one line on stderr.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { resolveConnection, type ResolvedConnection } from '../aws/connection';
import { describeAwsError } from '../core/errors/awsErrors';

export type OutputFormat = 'json' | 'text';
type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export class UsageError extends Error {
  override name = 'UsageError';
}

/** A failure already phrased for the user (no code prefix added). */
export class CommandError extends Error {
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
}

export interface CommandDefinition {
  name: string;
  summary: string;
  usage: string;
  options: OptionSpec;
  optionHelp: Array<[flag: string, text: string]>;
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
    'Run `ecr-deploy <command> --help` for the options of a command.',
    '',
  ].join('\n');
}

export interface RunIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
}

export async function runCli(argv: string[], commands: readonly CommandDefinition[], io: RunIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(mainHelp(commands));
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`ecr-deploy: unknown command "${name}". Run \`ecr-deploy --help\` for the list.\n`);
    return 2;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...GLOBAL_OPTIONS, ...command.options }, allowPositionals: false, strict: true });
  } catch (error) {
    io.stderr(`ecr-deploy ${name}: ${(error as Error).message.split('\n')[0]}. Run \`ecr-deploy ${name} --help\`.\n`);
    return 2;
  }
  const values = parsed.values as CommandContext['values'];
  if (values.help) {
    io.stdout(commandHelp(command));
    return 0;
  }
  const output = (values.output as string | undefined) ?? 'text';
  if (output !== 'json' && output !== 'text') {
    io.stderr(`ecr-deploy ${name}: --output must be json or text, not "${output}".\n`);
    return 2;
  }
  const connection = resolveConnection(
    { profile: values.profile as string | undefined, region: values.region as string | undefined, endpointUrl: values['endpoint-url'] as string | undefined },
    io.env,
  );
  try {
    const code = await command.run({ connection, output, values, positionals: parsed.positionals, stdout: io.stdout, stderr: io.stderr, signal: io.signal });
    return code ?? 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`ecr-deploy ${name}: ${error.message}\n`);
      return 2;
    }
    if (error instanceof CommandError) {
      io.stderr(`ecr-deploy ${name}: ${error.message}\n`);
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
