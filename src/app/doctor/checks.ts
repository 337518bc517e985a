/**
 * The doctor's checks, one function each, over what the diagnosis read once (service, task definition,
 * execution role). Each answers ok, problem or unknown with its evidence and the next step.
 */
import type { ContainerDefinition, Service, TaskDefinition } from '@aws-sdk/client-ecs';
import type { AwsAccess } from '../ports';
import { parseEcrRepositoryUri, parseImageReference, repositoryUriOf } from '../../core/ecr/imageReference';
import { checkPlatform } from '../../core/deploy/platform';
import { parsePolicyDocument, type NamedPolicy } from '../../core/iam/policy';
import { taskHealth } from '../../core/deploy/taskHealth';
import { readTargetHealth } from '../metrics/targetHealth';
import { permission, type ExecutionRole, type PermissionAnswer } from './executionRole';
import { worstStatus, type DoctorCheck } from './report';

export interface Diagnosis {
  access: AwsAccess;
  service: Service;
  taskDefinition: TaskDefinition;
  region: string;
  account: string;
  executionRole: () => Promise<ExecutionRole>;
  signal?: AbortSignal;
}

interface EcrImage {
  container: string;
  image: string;
  registryId: string;
  region: string;
  repositoryName: string;
  imageId: { imageTag?: string; imageDigest?: string };
  repositoryArn: string;
}

const containersOf = (d: Diagnosis): ContainerDefinition[] => d.taskDefinition.containerDefinitions ?? [];

/** The containers whose image is in ECR, with the repository's parts; the others are listed apart. */
export function ecrImagesOf(d: Diagnosis): { ecr: EcrImage[]; elsewhere: string[] } {
  const ecr: EcrImage[] = [];
  const elsewhere: string[] = [];
  for (const c of containersOf(d)) {
    const image = c.image ?? '';
    const repository = parseEcrRepositoryUri(repositoryUriOf(image));
    if (!repository) {
      elsewhere.push(`${c.name}: ${image || '(no image)'} is not in ECR, not checked`);
      continue;
    }
    const ref = parseImageReference(image);
    ecr.push({
      container: c.name ?? '?',
      image,
      ...repository,
      imageId: ref.digest ? { imageDigest: ref.digest } : { imageTag: ref.tag ?? 'latest' },
      repositoryArn: `arn:aws:ecr:${repository.region}:${repository.registryId}:repository/${repository.repositoryName}`,
    });
  }
  return { ecr, elsewhere };
}

const versionOf = (i: EcrImage) => i.imageId.imageDigest ?? i.imageId.imageTag!;
const pushCommand = (i: EcrImage) => `ecr-deploy build-and-push --repository ${i.repositoryName} --tag ${i.imageId.imageTag ?? 'TAG'}`;

export async function imageExists(d: Diagnosis): Promise<DoctorCheck> {
  const { ecr, elsewhere } = ecrImagesOf(d);
  if (!ecr.length) return { id: 'image-exists', status: 'ok', message: 'No container image is in ECR: nothing to look up.', evidence: elsewhere };
  const { edge, clients } = d.access;
  const evidence = [...elsewhere];
  const missing: string[] = [];
  let unknown = false;
  await Promise.all(
    ecr.map(async (i) => {
      if (i.region !== d.region) {
        unknown = true;
        evidence.push(`${i.container}: ${i.image} is in ${i.region}; this connection reads ${d.region}`);
        return;
      }
      const found = await edge.doctorReads.lookUpImage(clients.ecr, i, i.imageId, { signal: d.signal });
      if (found.kind === 'found') evidence.push(`${i.container}: ${i.repositoryName}:${versionOf(i)} exists (${found.image.imageDigest ?? 'no digest'}, pushed ${found.image.imagePushedAt?.toISOString() ?? '?'})`);
      else {
        const what = found.kind === 'no-repository' ? `repository ${i.repositoryName} does not exist` : `${i.repositoryName} has no image ${versionOf(i)}`;
        missing.push(what);
        evidence.push(`${i.container}: ${what}`);
      }
    }),
  );
  if (missing.length) {
    return {
      id: 'image-exists',
      status: 'problem',
      message: `The task definition names an image that is not in ECR: ${missing.join('; ')}. Tasks stop with CannotPullContainerError.`,
      evidence,
      next: `Push that image (${pushCommand(ecr.find((i) => missing.some((m) => m.includes(i.repositoryName)))!)}), or deploy a tag that exists.`,
      followUps: ['deploy', 'show-events'],
    };
  }
  if (unknown) return { id: 'image-exists', status: 'unknown', message: 'An image is in another region than this connection, so it was not looked up.', evidence, next: 'Run the diagnosis with --region set to the image\'s region.' };
  return { id: 'image-exists', status: 'ok', message: `Every ECR image of the task definition exists (${ecr.length}).`, evidence };
}

function noRole(id: DoctorCheck['id'], role: Exclude<ExecutionRole, { kind: 'found' }>, why: string): DoctorCheck {
  if (role.kind === 'none') {
    return { id, status: 'problem', message: `The task definition has no executionRoleArn, but ${why}.`, evidence: [], next: 'Set executionRoleArn to a role ECS tasks may assume with the AmazonECSTaskExecutionRolePolicy managed policy.' };
  }
  return { id, status: 'problem', message: `The execution role ${role.roleName} does not exist, but ${why}.`, evidence: [`GetRole ${role.roleName}: NoSuchEntity`], next: `Create the role ${role.roleName} (trusting ecs-tasks.amazonaws.com) or point executionRoleArn at one that exists.` };
}

function summarise(answers: readonly PermissionAnswer[]): 'ok' | 'problem' | 'unknown' {
  if (answers.some((a) => a.decision === 'explicit-deny' || a.decision === 'implicit-deny')) return 'problem';
  return answers.some((a) => a.decision === 'unknown') ? 'unknown' : 'ok';
}

const PULL_ACTIONS = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];

export async function executionRoleCanPull(d: Diagnosis): Promise<DoctorCheck> {
  const { ecr } = ecrImagesOf(d);
  if (!ecr.length) return { id: 'execution-role-can-pull', status: 'ok', message: 'No image is pulled from ECR, so the execution role needs no ECR permission.', evidence: [] };
  const role = await d.executionRole();
  if (role.kind !== 'found') return noRole('execution-role-can-pull', role, 'ECS needs one to pull from ECR');
  const evidence = [`role ${role.roleArn}: ${role.policies.map((p) => p.source).join(', ') || 'no policies'}`, ...role.unreadable.map((u) => `unreadable ${u}`)];
  if (!role.trustsEcsTasks) {
    return { id: 'execution-role-can-pull', status: 'problem', message: `ECS tasks may not assume the role ${role.roleName}: its trust policy does not allow ecs-tasks.amazonaws.com.`, evidence, next: 'Add ecs-tasks.amazonaws.com as a trusted service (sts:AssumeRole) to the role\'s trust policy.' };
  }
  const { edge, clients } = d.access;
  const answers: PermissionAnswer[] = [permission(role, 'ecr:GetAuthorizationToken', '*')];
  const repositories = [...new Map(ecr.map((i) => [i.repositoryArn, i])).values()];
  await Promise.all(
    repositories.map(async (i) => {
      let repositoryPolicy: NamedPolicy | undefined;
      if (i.region === d.region) {
        const text = await edge.doctorReads.getRepositoryPolicy(clients.ecr, i, { signal: d.signal });
        if (text) repositoryPolicy = { source: `repository policy of ${i.repositoryName}`, document: parsePolicyDocument(text) };
        evidence.push(`repository ${i.repositoryName}: ${text ? 'has a repository policy' : 'no repository policy'}`);
      } else evidence.push(`repository ${i.repositoryName} is in ${i.region}: its repository policy was not read`);
      for (const action of PULL_ACTIONS) answers.push(permission(role, action, i.repositoryArn, repositoryPolicy, i.registryId !== d.account));
    }),
  );
  evidence.push(...answers.map((a) => a.evidence));
  const status = summarise(answers);
  const refused = answers.filter((a) => a.decision === 'explicit-deny' || a.decision === 'implicit-deny');
  if (status === 'problem') {
    const denied = refused.some((a) => a.decision === 'explicit-deny');
    return {
      id: 'execution-role-can-pull',
      status,
      message: `The execution role ${role.roleName} may not pull the image: ${refused.map((a) => `${a.action} ${a.decision === 'explicit-deny' ? 'is denied' : 'is not allowed'}`).join(', ')}. Tasks stop with CannotPullContainerError.`,
      evidence,
      next: denied
        ? 'Remove or narrow the Deny statement named in the evidence (in the role\'s policies or the repository policy).'
        : 'Attach the AmazonECSTaskExecutionRolePolicy managed policy to the role, or allow ecr:GetAuthorizationToken on * and ecr:BatchGetImage and ecr:GetDownloadUrlForLayer on the repository.',
    };
  }
  if (status === 'unknown') return { id: 'execution-role-can-pull', status, message: 'Whether the execution role may pull depends on a policy condition, which was not evaluated.', evidence, next: 'Read the conditional statements named in the evidence.' };
  return { id: 'execution-role-can-pull', status, message: `The execution role ${role.roleName} may get an ECR token and pull from ${repositories.map((r) => r.repositoryName).join(', ')}.`, evidence };
}

interface SecretRef {
  container: string;
  name: string;
  valueFrom: string;
  store: 'ssm' | 'secretsmanager';
  region: string;
  /** SSM: the parameter name; Secrets Manager: the secret's id (ARN without the JSON key and version parts). */
  id: string;
  arn: string;
}

/** Where a `valueFrom` points: an SSM parameter (ARN or name) or a Secrets Manager secret (ARN, maybe with `:key:stage:version`). */
export function secretRefOf(valueFrom: string, region: string, account: string): Pick<SecretRef, 'store' | 'region' | 'id' | 'arn'> {
  const secret = /^(arn:aws[\w-]*:secretsmanager:([^:]+):(\d+):secret:[^:]+)/.exec(valueFrom);
  if (secret) return { store: 'secretsmanager', region: secret[2], id: secret[1], arn: secret[1] };
  const parameter = /^arn:aws[\w-]*:ssm:([^:]+):(\d+):parameter\/(.+)$/.exec(valueFrom);
  if (parameter) return { store: 'ssm', region: parameter[1], id: parameter[3].includes('/') ? `/${parameter[3]}` : parameter[3], arn: valueFrom };
  return { store: 'ssm', region, id: valueFrom, arn: `arn:aws:ssm:${region}:${account}:parameter${valueFrom.startsWith('/') ? '' : '/'}${valueFrom}` };
}

export async function secretsExist(d: Diagnosis): Promise<DoctorCheck> {
  const refs: SecretRef[] = containersOf(d).flatMap((c) => (c.secrets ?? []).map((s) => ({ container: c.name ?? '?', name: s.name ?? '?', valueFrom: s.valueFrom ?? '', ...secretRefOf(s.valueFrom ?? '', d.region, d.account) })));
  if (!refs.length) return { id: 'secrets-exist', status: 'ok', message: 'The task definition reads no secrets.', evidence: [] };
  const { edge, clients } = d.access;
  const here = refs.filter((r) => r.region === d.region);
  const evidence: string[] = refs.filter((r) => r.region !== d.region).map((r) => `${r.container} ${r.name}: ${r.valueFrom} is in ${r.region}, not read`);
  // An ARN's `parameter/name` is the ARN of `name` and of `/name` alike: both are looked up.
  const namesOf = (r: SecretRef) => (r.id.startsWith('/') || !r.valueFrom.startsWith('arn:') ? [r.id] : [r.id, `/${r.id}`]);
  const parameterNames = [...new Set(here.filter((r) => r.store === 'ssm').flatMap(namesOf))];
  const [parameters, secrets, role] = await Promise.all([
    parameterNames.length ? edge.ssm.describeParameters(clients.ssm, parameterNames, { signal: d.signal }) : Promise.resolve([]),
    Promise.all(here.filter((r) => r.store === 'secretsmanager').map(async (r) => [r.id, await edge.secretsManager.describeSecret(clients.secretsManager, r.id, { signal: d.signal })] as const)),
    d.executionRole(),
  ]);
  const secretById = new Map(secrets);
  const missing: string[] = [];
  const answers: PermissionAnswer[] = [];
  for (const r of here) {
    const label = `${r.container} ${r.name}`;
    if (r.store === 'ssm') {
      const found = parameters.find((p) => namesOf(r).includes(p.Name ?? ''));
      if (!found) {
        missing.push(`SSM parameter ${r.id}`);
        evidence.push(`${label}: SSM parameter ${r.id} does not exist`);
        continue;
      }
      evidence.push(`${label}: SSM parameter ${found.Name} exists (${found.Type ?? '?'}${found.KeyId && found.KeyId !== 'alias/aws/ssm' ? `, key ${found.KeyId}: kms:Decrypt not checked` : ''})`);
      if (role.kind === 'found') answers.push(permission(role, 'ssm:GetParameters', r.arn));
    } else {
      const found = secretById.get(r.id);
      if (!found || found.DeletedDate) {
        missing.push(`secret ${r.id}${found?.DeletedDate ? ' (scheduled for deletion)' : ''}`);
        evidence.push(`${label}: Secrets Manager secret ${r.id} ${found ? `is scheduled for deletion since ${found.DeletedDate!.toISOString()}` : 'does not exist'}`);
        continue;
      }
      evidence.push(`${label}: secret ${found.Name ?? r.id} exists${found.KmsKeyId ? ` (key ${found.KmsKeyId}: kms:Decrypt not checked)` : ''}`);
      if (role.kind === 'found') answers.push(permission(role, 'secretsmanager:GetSecretValue', found.ARN ?? r.arn));
    }
  }
  evidence.push(...answers.map((a) => a.evidence));
  if (missing.length) {
    return {
      id: 'secrets-exist',
      status: 'problem',
      message: `A secret the task definition names does not exist: ${missing.join(', ')}. Tasks stop with ResourceInitializationError.`,
      evidence,
      next: 'Create it (aws ssm put-parameter / aws secretsmanager create-secret) in the task\'s region, or correct valueFrom.',
    };
  }
  if (role.kind !== 'found') return { ...noRole('secrets-exist', role, 'ECS needs one to read the secrets'), evidence };
  const status = summarise(answers);
  if (status === 'problem') {
    return {
      id: 'secrets-exist',
      status,
      message: `The execution role ${role.roleName} may not read ${answers.filter((a) => a.decision !== 'allow' && a.decision !== 'unknown').map((a) => a.resource).join(', ')}. Tasks stop with ResourceInitializationError.`,
      evidence,
      next: 'Allow ssm:GetParameters or secretsmanager:GetSecretValue on those ARNs in the execution role (and kms:Decrypt for a customer-managed key).',
    };
  }
  if (status === 'unknown') return { id: 'secrets-exist', status, message: 'Every secret exists; whether the role may read them depends on a policy condition.', evidence, next: 'Read the conditional statements named in the evidence.' };
  if (evidence.some((e) => / is in \S+, not read$/.test(e))) return { id: 'secrets-exist', status: 'unknown', message: 'A secret is in another region than this connection, so it was not read.', evidence };
  return { id: 'secrets-exist', status: 'ok', message: `Every secret exists and the execution role may read it (${here.length}).`, evidence };
}

export async function logGroupExists(d: Diagnosis): Promise<DoctorCheck> {
  const awslogs = containersOf(d)
    .filter((c) => c.logConfiguration?.logDriver === 'awslogs')
    .map((c) => ({ container: c.name ?? '?', options: c.logConfiguration?.options ?? {} }));
  if (!awslogs.length) return { id: 'log-group-exists', status: 'ok', message: 'No container logs to CloudWatch Logs (awslogs): no log group is needed.', evidence: [] };
  const { edge, clients } = d.access;
  const role = await d.executionRole();
  const evidence: string[] = [];
  const problems: string[] = [];
  const missingGroups: string[] = [];
  if (role.kind !== 'found') problems.push(noRole('log-group-exists', role, 'ECS needs one to write awslogs logs').message.replace(/\.$/, ''));
  let unknown = false;
  for (const { container, options } of awslogs) {
    const group = options['awslogs-group'];
    const region = options['awslogs-region'] ?? d.region;
    if (!group) {
      problems.push(`${container} has no awslogs-group`);
      evidence.push(`${container}: awslogs without awslogs-group`);
      continue;
    }
    if (region !== d.region) {
      unknown = true;
      evidence.push(`${container}: ${group} is in ${region}, not read`);
      continue;
    }
    const groupArn = `arn:aws:logs:${region}:${d.account}:log-group:${group}`;
    const stream = `${groupArn}:log-stream:${options['awslogs-stream-prefix'] ? `${options['awslogs-stream-prefix']}/${container}/` : ''}task`;
    const found = await edge.doctorReads.describeLogGroup(clients.logs, group, { signal: d.signal });
    const create = options['awslogs-create-group'] === 'true';
    const may = (action: string, resource: string) => (role.kind === 'found' ? [permission(role, action, resource)] : []);
    const answers = [...may('logs:CreateLogStream', stream), ...may('logs:PutLogEvents', stream)];
    if (!found) {
      if (create) {
        answers.unshift(...may('logs:CreateLogGroup', groupArn));
        evidence.push(`${container}: ${group} does not exist yet; awslogs-create-group is true`);
      } else {
        problems.push(`log group ${group} does not exist`);
        missingGroups.push(group);
        evidence.push(`${container}: ${group} does not exist and awslogs-create-group is not set`);
      }
    } else evidence.push(`${container}: ${group} exists${found.retentionInDays ? ` (retention ${found.retentionInDays} days)` : ''}`);
    evidence.push(...answers.map((a) => a.evidence));
    const verdict = summarise(answers);
    if (verdict === 'problem') problems.push(`the role may not ${answers.filter((a) => a.decision !== 'allow' && a.decision !== 'unknown').map((a) => a.action).join(', ')} for ${group}`);
    if (verdict === 'unknown') unknown = true;
  }
  if (problems.length) {
    return {
      id: 'log-group-exists',
      status: 'problem',
      message: `${problems.join('; ').replace(/^./, (c) => c.toUpperCase())}. Tasks stop with ResourceInitializationError before the app starts.`,
      evidence,
      next: role.kind !== 'found'
        ? 'Set executionRoleArn to a role ECS tasks may assume with the AmazonECSTaskExecutionRolePolicy managed policy (and create any missing log group).'
        : missingGroups.length
          ? `Create the group (${missingGroups.map((g) => `aws logs create-log-group --log-group-name ${g}`).join('; ')}), or set awslogs-create-group to "true" and allow logs:CreateLogGroup.`
        : 'Allow logs:CreateLogStream and logs:PutLogEvents (and logs:CreateLogGroup with awslogs-create-group) in the execution role.',
    };
  }
  if (unknown) return { id: 'log-group-exists', status: 'unknown', message: 'A log group could not be confirmed: another region, or a policy condition.', evidence };
  return { id: 'log-group-exists', status: 'ok', message: 'The log groups exist (or will be created) and the execution role may write to them.', evidence };
}

export async function platformMatches(d: Diagnosis): Promise<DoctorCheck> {
  const { ecr, elsewhere } = ecrImagesOf(d);
  if (!ecr.length) return { id: 'platform-matches', status: 'unknown', message: 'No image is in ECR, so its platform could not be read.', evidence: elsewhere };
  const { edge, clients } = d.access;
  const evidence = [...elsewhere];
  const results = await Promise.all(
    ecr.map(async (i) => {
      let reading;
      try {
        reading = await edge.deploy.readImagePlatform(clients.ecr, i.image, { region: d.region, signal: d.signal });
      } catch (error) {
        if (d.signal?.aborted) throw error;
        evidence.push(`${i.container}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
        return 'unknown' as const;
      }
      const verdict = checkPlatform(d.taskDefinition.runtimePlatform, reading);
      evidence.push(`${i.container}: ${verdict.message}`);
      return verdict.verdict === 'match' ? ('ok' as const) : verdict.verdict === 'mismatch' ? ('problem' as const) : ('unknown' as const);
    }),
  );
  const status = worstStatus(results);
  if (status === 'problem') {
    return { id: 'platform-matches', status, message: 'An image is built for another platform than the task definition asks for: its tasks stop with "exec format error".', evidence, next: 'Rebuild for the task\'s platform (docker build --platform linux/amd64, or linux/arm64 for ARM64) and push it.' };
  }
  if (status === 'unknown') return { id: 'platform-matches', status, message: "An image's platform could not be read.", evidence };
  return { id: 'platform-matches', status, message: 'Every ECR image provides the platform the task definition needs.', evidence };
}

export async function healthCheck(d: Diagnosis): Promise<DoctorCheck> {
  const { edge, clients } = d.access;
  const checked = containersOf(d).filter((c) => c.healthCheck?.command?.length);
  const evidence = checked.map((c) => {
    const h = c.healthCheck!;
    return `${c.name}: ${h.command!.join(' ')} (every ${h.interval ?? 30} s, timeout ${h.timeout ?? 5} s, ${h.retries ?? 3} retries, start period ${h.startPeriod ?? 0} s)`;
  });
  const [tasks, targets] = await Promise.all([
    checked.length ? edge.ecs.listServiceTasks(clients.ecs, d.service.clusterArn ?? '', d.service.serviceName ?? '', { signal: d.signal, maxPerStatus: 100 }) : Promise.resolve([]),
    d.service.loadBalancers?.some((lb) => lb.targetGroupArn) ? readTargetHealth(d.access, d.service, d.signal) : Promise.resolve([]),
  ]);
  const problems: string[] = [];
  if (checked.length) {
    const health = taskHealth(tasks, checked.map((c) => c.name ?? ''));
    evidence.push(`running tasks: ${health.running}, healthy: ${health.healthy}${health.waiting.length ? `, waiting: ${health.waiting.join('; ')}` : ''}`);
    for (const u of health.unhealthy) evidence.push(u);
    if (health.unhealthy.length) problems.push(`${health.unhealthy.length} running task(s) fail the container health check`);
  }
  if (targets.length) {
    const groups = await edge.elbv2.describeTargetGroups(clients.elbv2, targets.map((t) => t.targetGroupArn), { signal: d.signal });
    for (const t of targets) {
      const g = groups.find((x) => x.TargetGroupArn === t.targetGroupArn);
      evidence.push(`target group ${t.targetGroupName}: health check ${g?.HealthCheckProtocol ?? 'HTTP'} ${g?.HealthCheckPath ?? '/'} on port ${g?.HealthCheckPort ?? 'traffic-port'}, expects ${g?.Matcher?.HttpCode ?? '200'}`);
      const bad = t.targets.filter((x) => x.state === 'unhealthy');
      for (const x of t.targets) evidence.push(`  ${x.id}${x.port ? `:${x.port}` : ''} ${x.state}${x.reason ? ` (${x.reason}${x.description ? `: ${x.description}` : ''})` : ''}`);
      if (bad.length) problems.push(`${bad.length} target(s) of ${t.targetGroupName} are unhealthy (${[...new Set(bad.map((x) => x.reason ?? 'no reason'))].join(', ')})`);
    }
  }
  if (problems.length) {
    return {
      id: 'health-check',
      status: 'problem',
      message: `${problems.join('; ')}.`,
      evidence,
      next: 'Check that the app answers its health check (the path, port and expected code above) within the timeout; its logs say why it does not.',
      followUps: ['tail-logs', 'show-metrics'],
    };
  }
  if (!checked.length && !targets.length) {
    return { id: 'health-check', status: 'unknown', message: 'Nothing checks the app\'s health: no container health check and no load balancer, so ECS only sees whether its process runs.', evidence, next: 'Add a healthCheck to the essential container (for example CMD-SHELL curl -f http://localhost:PORT/healthz || exit 1).' };
  }
  if (checked.length && !tasks.some((t) => t.lastStatus === 'RUNNING')) return { id: 'health-check', status: 'unknown', message: 'No task is running, so no health check has answered.', evidence, followUps: ['show-events'] };
  return { id: 'health-check', status: 'ok', message: `The health checks pass${targets.length ? ', in ECS and at the load balancer' : ''}.`, evidence };
}
