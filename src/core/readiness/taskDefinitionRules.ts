/**
 * The task-definition rules of the deploy readiness checks, on the JSON text (a file in the workspace, or
 * the deployed revision written out): jsonc-parser's tree keeps where each key is, so a finding lands on
 * the container's `"name"`, `"image"` or `"memory"` line. A file is a task definition when its root (or
 * its `taskDefinition`, as `aws ecs describe-task-definition` prints it) has a `containerDefinitions` array.
 */
import { findNodeAtLocation, getNodeValue, parseTree, type Node, type ParseError } from 'jsonc-parser';
import type { ReadinessFinding, ReadinessSeverity } from './finding';
import { positionFinder } from './position';
import { isMutableTag, looksLikeSecretName } from './rules';

export interface TaskDefinitionCheckOptions {
  /** The task definition is (or is about to be) deployed to a protected service: mutable tags are errors. */
  protectedService?: boolean;
  /** Platforms (`linux/amd64`) each image offers, as the registry reports them; images not listed are not checked. */
  imagePlatforms?: Readonly<Record<string, readonly string[]>>;
}

/** The node of the task definition object in a parsed document: the root, or its `taskDefinition`. */
export function taskDefinitionNode(root: Node | undefined): Node | undefined {
  if (!root || root.type !== 'object') return undefined;
  for (const candidate of [root, findNodeAtLocation(root, ['taskDefinition'])]) {
    if (candidate?.type === 'object' && findNodeAtLocation(candidate, ['containerDefinitions'])?.type === 'array') return candidate;
  }
  return undefined;
}

export function parseTaskDefinitionText(text: string): Node | undefined {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true });
  return errors.length ? undefined : taskDefinitionNode(root);
}

/** Whether a JSON document is a task definition (recognised by content, whatever its file name). */
export function isTaskDefinitionText(text: string): boolean {
  return text.includes('containerDefinitions') && parseTaskDefinitionText(text) !== undefined;
}

function property(node: Node | undefined, key: string): Node | undefined {
  return node?.type === 'object' ? node.children?.find((p) => p.children?.[0]?.value === key) : undefined;
}

function valueOf(node: Node | undefined, key: string): unknown {
  const value = property(node, key)?.children?.[1];
  return value ? getNodeValue(value) : undefined;
}

/** `"512"`, `512`, `"1 GB"`, `"0.5GB"` -> MiB. */
export function memoryMiB(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(gb|mb|mib|gib)?\s*$/i.exec(value);
  if (!match) return undefined;
  const amount = Number(match[1]);
  return /^g/i.test(match[2] ?? '') ? amount * 1024 : amount;
}

/** The tag of an image reference (`repo:tag`, `host:5000/repo:tag`), undefined without one; digests have none. */
function imageTag(image: string): { tag?: string; digest: boolean } {
  if (image.includes('@')) return { digest: true };
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash ? { tag: image.slice(colon + 1), digest: false } : { digest: false };
}

const ECR_IMAGE = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\//;

export function checkTaskDefinition(text: string, file: string, options: TaskDefinitionCheckOptions = {}): ReadinessFinding[] {
  const taskDefinition = parseTaskDefinitionText(text);
  if (!taskDefinition) return [];
  const position = positionFinder(text);
  const findings: ReadinessFinding[] = [];
  const at = (rule: string, severity: ReadinessSeverity, node: Node, message: string) => {
    const start = position(node.offset);
    const end = position(node.offset + node.length);
    findings.push({ file, line: start.line, column: start.column, endColumn: end.line === start.line ? end.column : start.column + 1, rule, severity, message });
  };
  const keyOf = (container: Node, key: string) => property(container, key)?.children?.[0];

  const taskMemory = memoryMiB(valueOf(taskDefinition, 'memory'));
  const runtimePlatform = valueOf(taskDefinition, 'runtimePlatform') as { cpuArchitecture?: string; operatingSystemFamily?: string } | undefined;
  const wantedPlatform = `${/^WINDOWS/i.test(runtimePlatform?.operatingSystemFamily ?? '') ? 'windows' : 'linux'}/${(runtimePlatform?.cpuArchitecture ?? 'X86_64').toUpperCase() === 'ARM64' ? 'arm64' : 'amd64'}`;
  const containers = findNodeAtLocation(taskDefinition, ['containerDefinitions'])?.children ?? [];
  let needsExecutionRole: string | undefined;

  for (const container of containers) {
    if (container.type !== 'object') continue;
    const name = String(valueOf(container, 'name') ?? '(unnamed)');
    const nameKey = keyOf(container, 'name') ?? container;
    const essential = valueOf(container, 'essential') !== false;

    const user = valueOf(container, 'user');
    if (typeof user !== 'string' || !user.trim()) {
      at('taskdef/root-user', 'warning', nameKey, `Container ${name} sets no "user", so it runs as the image's user, root unless the Dockerfile says otherwise. Set "user" to a non-root user ("1000").`);
    } else if (/^(root|0)(:.*)?$/i.test(user.trim())) {
      at('taskdef/root-user', 'warning', keyOf(container, 'user')!, `Container ${name} runs as ${user}: a process that is broken into owns the container. Set "user" to a non-root user ("1000").`);
    }

    if (valueOf(container, 'readonlyRootFilesystem') !== true) {
      const key = keyOf(container, 'readonlyRootFilesystem');
      at('taskdef/writable-root-fs', 'warning', key ?? nameKey, `Container ${name} has a writable root filesystem: an intruder can change the app's files. Set "readonlyRootFilesystem": true and mount a volume where the app writes.`);
    }

    const environment = findNodeAtLocation(container, ['environment'])?.children ?? [];
    for (const entry of environment) {
      const entryName = valueOf(entry, 'name');
      if (typeof entryName !== 'string' || !looksLikeSecretName(entryName)) continue;
      at('taskdef/secret-in-environment', 'error', keyOf(entry, 'name') ?? entry, `Environment variable ${entryName} of container ${name} looks like a secret: plain environment values are shown to anyone who can describe the task definition. Move it to "secrets" with a "valueFrom" (a Secrets Manager or SSM Parameter Store ARN).`);
    }

    if (essential && valueOf(container, 'healthCheck') === undefined) {
      at('taskdef/no-health-check', 'warning', nameKey, `Essential container ${name} has no healthCheck: ECS counts it healthy as soon as it runs, so a deploy that hangs is not rolled back. Add one ("CMD-SHELL", "curl -f http://localhost/healthz || exit 1").`);
    }

    const containerMemory = memoryMiB(valueOf(container, 'memory'));
    if (taskMemory !== undefined && containerMemory !== undefined && containerMemory > taskMemory) {
      at('taskdef/memory-over-task', 'error', keyOf(container, 'memory')!, `Container ${name} asks for ${containerMemory} MiB, more than the task's ${taskMemory} MiB: ECS refuses to register it. Lower the container's "memory" or raise the task's.`);
    }

    const image = valueOf(container, 'image');
    const imageKey = keyOf(container, 'image') ?? nameKey;
    if (typeof image === 'string' && image) {
      const { tag, digest } = imageTag(image);
      if (!digest && isMutableTag(tag)) {
        at('taskdef/mutable-image-tag', options.protectedService ? 'error' : 'warning', imageKey, `Container ${name} runs ${image}, a tag that moves${options.protectedService ? ' (on a protected service)' : ''}: a restarted task may pull another image than the one deployed. Deploy a version tag ("v1.2.0") or the image's digest.`);
      }
      const platforms = options.imagePlatforms?.[image];
      if (platforms && platforms.length && !platforms.some((p) => p === wantedPlatform || p.startsWith(`${wantedPlatform}/`))) {
        at('taskdef/platform-mismatch', 'error', imageKey, `Image ${image} is built for ${platforms.join(', ')} but the task runs on ${wantedPlatform}: its tasks stop with "exec format error". Build with "--platform ${wantedPlatform}" or change runtimePlatform.`);
      }
      if (ECR_IMAGE.test(image)) needsExecutionRole ??= `pulls ${image} from ECR`;
    }

    if (valueOf(container, 'logConfiguration') === undefined) {
      at('taskdef/no-log-configuration', 'warning', nameKey, `Container ${name} has no logConfiguration: its output is lost, and so is why a task stopped. Add the awslogs driver with an awslogs-group and awslogs-stream-prefix.`);
    } else if ((valueOf(container, 'logConfiguration') as { logDriver?: string }).logDriver === 'awslogs') {
      needsExecutionRole ??= 'logs to CloudWatch (awslogs)';
    }
    if ((findNodeAtLocation(container, ['secrets'])?.children ?? []).length) needsExecutionRole ??= 'reads secrets';
  }

  if (needsExecutionRole && !valueOf(taskDefinition, 'executionRoleArn')) {
    at('taskdef/no-execution-role', 'error', property(taskDefinition, 'family')?.children?.[0] ?? property(taskDefinition, 'containerDefinitions')!.children![0]!, `The task ${needsExecutionRole} but has no executionRoleArn: its tasks cannot start. Set "executionRoleArn" to a role with AmazonECSTaskExecutionRolePolicy.`);
  }
  return findings.sort((a, b) => a.line - b.line || a.column - b.column);
}
