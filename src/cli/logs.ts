import * as edge from '../aws/index';
import type { ResolvedConnection } from '../aws/connection';
import type { TailMechanism } from '../aws/logs';
import type { LogEvent } from '../core/logs/events';
import { DEFAULT_MAX_LINE_LENGTH, LogLineFormatter } from '../core/logs/format';
import type { LogGroupTarget } from '../core/logs/logConfiguration';
import { parseSince } from '../core/logs/since';
import { isErrorNamed } from '../core/errors/named';
import { findServiceLogs, logGroupSource, tailLogs } from '../app/logs/tail';
import { CommandError, requireRegion, UsageError, type CommandContext, type CommandDefinition } from './framework';

const MECHANISMS: Record<string, TailMechanism> = { auto: 'auto', live: 'liveTail', poll: 'polling' };

function stringOption(context: CommandContext, name: string): string | undefined {
  const value = context.values[name];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** One JSON object per line with the AWS field names; live-tail events have no eventId (null). */
function jsonLine(event: LogEvent): string {
  return JSON.stringify({ timestamp: event.timestamp, logStreamName: event.logStreamName, eventId: event.eventId ?? null, message: event.message });
}

async function resolveTargets(context: CommandContext, connection: ResolvedConnection): Promise<LogGroupTarget[]> {
  const group = stringOption(context, 'group');
  const cluster = stringOption(context, 'cluster');
  const service = stringOption(context, 'service');
  if (group && (cluster || service)) throw new UsageError('give either --group or --cluster with --service, not both.');
  if (group) return logGroupSource(group).targets;
  if (!cluster || !service) throw new UsageError('give --cluster and --service, or --group.');
  const clients = edge.createAwsClients(connection);
  try {
    const source = await findServiceLogs({ edge, clients }, { cluster, service }, context.signal);
    for (const note of source.notes) context.stderr(`ecr-deploy logs: note: ${note}\n`);
    return source.targets;
  } catch (error) {
    if (isErrorNamed(error, 'LogSetupError', 'NoLogTargetsError')) throw new CommandError(error.message);
    throw error;
  } finally {
    clients.destroy();
  }
}

export const logsCommand: CommandDefinition = {
  name: 'logs',
  summary: 'Print (and with --follow, keep printing) the CloudWatch log events of a service or a log group, each exactly once.',
  usage: 'logs (--cluster C --service S | --group G) [--since 1h] [--filter P] [--follow] [--output json|text]',
  options: {
    cluster: { type: 'string' },
    service: { type: 'string' },
    group: { type: 'string', short: 'g' },
    since: { type: 'string' },
    filter: { type: 'string' },
    follow: { type: 'boolean', short: 'f' },
    utc: { type: 'boolean' },
    'max-line-length': { type: 'string' },
    mechanism: { type: 'string' },
  },
  optionHelp: [
    ['--cluster C --service S', 'Logs of the service, from its task definition\'s logConfiguration (awslogs)'],
    ['-g, --group G', 'Logs of the log group G'],
    ['--since WHEN', 'From a duration ago (30s, 10m, 1h, 2d) or a time (2026-11-27T10:00:00Z); default 10m; never before the group can hold events'],
    ['--filter P', 'CloudWatch filter pattern, passed to the API (e.g. ERROR, "GET /healthz")'],
    ['-f, --follow', 'Keep printing new events until interrupted (Ctrl-C)'],
    ['--utc', 'Text output: times in UTC instead of local time'],
    ['--max-line-length N', `Text output: cut longer lines (default ${DEFAULT_MAX_LINE_LENGTH}, 0 keeps them whole)`],
    ['--mechanism auto|live|poll', 'Follow with StartLiveTail or FilterLogEvents; default auto (json: poll, so every line has its eventId)'],
  ],
  async run(context) {
    requireRegion(context);
    const since = parseSince(stringOption(context, 'since') ?? '10m', Date.now());
    if (!since.ok) throw new UsageError(since.message);
    const maxLineLength = Number(stringOption(context, 'max-line-length') ?? DEFAULT_MAX_LINE_LENGTH);
    if (!Number.isInteger(maxLineLength) || maxLineLength < 0) throw new UsageError('--max-line-length must be a whole number, 0 or more.');
    const mechanismName = stringOption(context, 'mechanism') ?? (context.output === 'json' ? 'poll' : 'auto');
    const mechanism = MECHANISMS[mechanismName];
    if (!mechanism) throw new UsageError(`--mechanism must be auto, live or poll, not "${mechanismName}".`);

    const targets = await resolveTargets(context, context.connection);
    const formatter = new LogLineFormatter({ utc: Boolean(context.values.utc), maxLineLength });
    const write = (events: LogEvent[]) => {
      context.stdout(context.output === 'json' ? events.map(jsonLine).join('\n') + '\n' : events.map((e) => formatter.format(e)).join(''));
    };
    await tailLogs(
      { targets, startTime: since.startTime, follow: Boolean(context.values.follow), filterPattern: stringOption(context, 'filter'), mechanism },
      { edge, connection: context.connection, onEvents: write, onNote: (note) => context.stderr(`ecr-deploy logs: ${note}\n`), signal: context.signal },
    );
    return 0;
  },
};
