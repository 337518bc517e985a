/**
 * Where a service's logs are, read from its task definition's `logConfiguration` (DESIGN.md: never
 * guessed from the cluster name). `awslogs` writes streams `<prefix>/<container>/<task id>`; FireLens
 * with the CloudWatch output names its group and prefix in its options; any other driver sends the
 * logs elsewhere, and the user is told so.
 */

export interface ContainerLogSettings {
  name?: string;
  logConfiguration?: { logDriver?: string; options?: Record<string, string> };
}

export interface LogGroupTarget {
  logGroupName: string;
  /** The region the driver writes to, when it says so. */
  region?: string;
  /** Only streams starting with one of these; undefined reads every stream of the group. */
  streamPrefixes?: string[];
  containers: string[];
}

export interface UnreadableContainer {
  container: string;
  driver?: string;
  message: string;
}

export interface ServiceLogTargets {
  targets: LogGroupTarget[];
  unreadable: UnreadableContainer[];
}

const FIRELENS_CLOUDWATCH_OUTPUTS = new Set(['cloudwatch', 'cloudwatch_logs']);

interface Location {
  group: string;
  region?: string;
  prefix?: string;
}

function locate(container: string, driver: string, options: Record<string, string>): Location | string {
  if (driver === 'awslogs') {
    const group = options['awslogs-group'];
    if (!group) return `Container "${container}" uses awslogs without an awslogs-group option.`;
    const prefix = options['awslogs-stream-prefix'];
    return { group, region: options['awslogs-region'], prefix: prefix ? `${prefix}/${container}/` : undefined };
  }
  if (driver === 'awsfirelens' && FIRELENS_CLOUDWATCH_OUTPUTS.has(options.Name ?? '') && options.log_group_name) {
    return { group: options.log_group_name, region: options.region, prefix: options.log_stream_prefix || undefined };
  }
  const where = driver === 'awsfirelens' ? `FireLens (output "${options.Name ?? 'unknown'}")` : `the "${driver}" log driver`;
  return `Container "${container}" sends its logs through ${where}, not to CloudWatch Logs, so they cannot be tailed here. Use the awslogs driver (or FireLens with the cloudwatch_logs output) to tail it.`;
}

export function logTargetsFromContainers(containers: readonly ContainerLogSettings[]): ServiceLogTargets {
  const byGroup = new Map<string, LogGroupTarget>();
  const unreadable: UnreadableContainer[] = [];
  for (const definition of containers) {
    const container = definition.name ?? '(unnamed)';
    const driver = definition.logConfiguration?.logDriver;
    if (!driver) {
      unreadable.push({ container, message: `Container "${container}" has no logConfiguration: its output goes nowhere CloudWatch can show. Add the awslogs driver to its task definition.` });
      continue;
    }
    const location = locate(container, driver, definition.logConfiguration?.options ?? {});
    if (typeof location === 'string') {
      unreadable.push({ container, driver, message: location });
      continue;
    }
    const key = `${location.region ?? ''}\u0000${location.group}`;
    const existing = byGroup.get(key);
    if (!existing) {
      byGroup.set(key, { logGroupName: location.group, region: location.region, streamPrefixes: location.prefix ? [location.prefix] : undefined, containers: [container] });
      continue;
    }
    existing.containers.push(container);
    // A container without a prefix writes streams of any name: the group is read whole.
    existing.streamPrefixes = existing.streamPrefixes && location.prefix ? [...existing.streamPrefixes, location.prefix] : undefined;
  }
  return { targets: [...byGroup.values()], unreadable };
}

/** Whether a stream belongs to the target (the endpoint may ignore a prefix it was given). */
export function streamMatches(target: Pick<LogGroupTarget, 'streamPrefixes'>, logStreamName: string): boolean {
  return !target.streamPrefixes || target.streamPrefixes.some((prefix) => logStreamName.startsWith(prefix));
}

/** Targets by the region their driver writes to (a client serves one region). */
export function targetsByRegion(targets: readonly LogGroupTarget[], defaultRegion: string): Map<string, LogGroupTarget[]> {
  const byRegion = new Map<string, LogGroupTarget[]>();
  for (const target of targets) {
    const region = target.region ?? defaultRegion;
    byRegion.set(region, [...(byRegion.get(region) ?? []), target]);
  }
  return byRegion;
}
