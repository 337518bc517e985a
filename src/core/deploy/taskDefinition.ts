/**
 * The new task definition revision: what DescribeTaskDefinition returned, with only the chosen
 * container's image changed and the read-only fields dropped. Everything else (secrets, environment,
 * health checks, log configuration, sidecars, runtime platform, tags, and fields newer than this code)
 * is carried over as it is, because a redeploy must never change more than the image.
 */
import type { ContainerDefinition, RegisterTaskDefinitionCommandInput, Tag, TaskDefinition } from '@aws-sdk/client-ecs';

/**
 * Fields ECS sets and RegisterTaskDefinition does not take. `deleteRequestedAt` is read-only too: it
 * appears on revisions whose deletion was requested, and newer SDK models list it beside the others.
 */
export const READ_ONLY_TASK_DEFINITION_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
  'deleteRequestedAt',
] as const;

export interface DescribedTaskDefinition {
  taskDefinition: TaskDefinition;
  /** Present when DescribeTaskDefinition was called with `include: ['TAGS']`. */
  tags?: Tag[];
}

export interface RewriteResult {
  input: RegisterTaskDefinitionCommandInput;
  /** AWS-managed tags (`aws:` prefix) that RegisterTaskDefinition refuses, so not carried over. */
  droppedTags: Tag[];
}

const isAwsManagedTag = (tag: Tag) => (tag.key ?? '').toLowerCase().startsWith('aws:');

/** Removes the read-only fields, keeping every other field and its order. */
export function withoutReadOnlyFields(taskDefinition: TaskDefinition): Omit<RegisterTaskDefinitionCommandInput, 'tags'> {
  const copy: Record<string, unknown> = { ...taskDefinition };
  for (const field of READ_ONLY_TASK_DEFINITION_FIELDS) delete copy[field];
  return copy as unknown as Omit<RegisterTaskDefinitionCommandInput, 'tags'>;
}

/** RegisterTaskDefinition input that re-registers the described revision as it is. */
export function registerInputOf(described: DescribedTaskDefinition): RewriteResult {
  const base = withoutReadOnlyFields(described.taskDefinition);
  const tags = described.tags ?? [];
  const kept = tags.filter((t) => !isAwsManagedTag(t));
  return { input: kept.length ? { ...base, tags: kept.map((t) => ({ ...t })) } : base, droppedTags: tags.filter(isAwsManagedTag) };
}

/**
 * The input for a new revision running `image` in `containerName`. Throws when the container is not in
 * the task definition: a silent no-op would register a copy and "deploy" nothing.
 */
export function rewriteImage(described: DescribedTaskDefinition, containerName: string, image: string): RewriteResult {
  const containers = described.taskDefinition.containerDefinitions ?? [];
  if (!containers.some((c) => c.name === containerName)) {
    throw new Error(`Task definition ${taskDefinitionLabel(described.taskDefinition)} has no container "${containerName}" (it has ${containerNames(containers)}).`);
  }
  const { input, droppedTags } = registerInputOf(described);
  return {
    input: { ...input, containerDefinitions: containers.map((c) => (c.name === containerName ? { ...c, image } : c)) },
    droppedTags,
  };
}

export function containerNames(containers: readonly ContainerDefinition[]): string {
  return containers.map((c) => `"${c.name}"`).join(', ') || 'none';
}

/** `family:revision`, what people call a revision. */
export function taskDefinitionLabel(td: Pick<TaskDefinition, 'family' | 'revision' | 'taskDefinitionArn'>): string {
  if (td.family && td.revision !== undefined) return `${td.family}:${td.revision}`;
  return td.taskDefinitionArn ? shortTaskDefinition(td.taskDefinitionArn) : '?';
}

/** `arn:aws:ecs:r:a:task-definition/family:3` -> `family:3`. */
export function shortTaskDefinition(arn: string): string {
  const slash = arn.lastIndexOf('/');
  return slash >= 0 ? arn.slice(slash + 1) : arn;
}

export function revisionOf(arn: string): number | undefined {
  const match = /:(\d+)$/.exec(arn);
  return match ? Number(match[1]) : undefined;
}

/** Container names whose definition has a health check: their tasks must report HEALTHY. */
export function healthCheckedContainers(td: Pick<TaskDefinition, 'containerDefinitions'> | Pick<RegisterTaskDefinitionCommandInput, 'containerDefinitions'>): string[] {
  return (td.containerDefinitions ?? []).filter((c) => (c.healthCheck?.command ?? []).length > 0).map((c) => c.name ?? '');
}

/** Where the containers log, in words, for "Show Logs" when no log tail is available. */
export function logHintOf(described: DescribedTaskDefinition): string | undefined {
  const groups = (described.taskDefinition.containerDefinitions ?? [])
    .map((c) => c.logConfiguration)
    .filter((l) => l?.logDriver === 'awslogs' && l.options?.['awslogs-group'])
    .map((l) => `CloudWatch Logs group ${l!.options!['awslogs-group']}${l!.options!['awslogs-stream-prefix'] ? ` (stream prefix ${l!.options!['awslogs-stream-prefix']})` : ''}`);
  return [...new Set(groups)].join(', ') || undefined;
}

/** `family` of a task definition ARN or `family:revision`. */
export function familyOf(taskDefinition: string): string {
  return shortTaskDefinition(taskDefinition).replace(/:\d+$/, '');
}

/** A value with its object keys sorted and undefined fields and empty lists dropped: how ECS may echo an input back. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const field = (value as Record<string, unknown>)[key];
      if (field === undefined || field === null || (Array.isArray(field) && field.length === 0)) continue;
      out[key] = canonical(field);
    }
    return out;
  }
  return value;
}

/**
 * True when a stored revision is what `input` registers: the same content, however ECS orders fields or
 * echoes empty lists. How a deploy recognises the revision a register whose answer was lost made.
 */
export function registersSameContent(described: DescribedTaskDefinition, input: RegisterTaskDefinitionCommandInput): boolean {
  return JSON.stringify(canonical(registerInputOf(described).input)) === JSON.stringify(canonical(input));
}
