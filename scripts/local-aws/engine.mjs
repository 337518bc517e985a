// The ECS rollout engine of the local AWS: services, their deployments (the `deployments` array and the
// ServiceDeployments API), tasks and their health, the circuit breaker, and the BLUE_GREEN / LINEAR / CANARY
// lifecycle with bake time and lifecycle hooks. Field names and values are those of the ECS API reference
// and @aws-sdk/client-ecs.
//
// Services live only here, not in moto. moto 5.2.1 answers 500 for an awsvpc create_service without security
// groups, drops deploymentConfiguration and never makes a deployment, so a copy in moto would be a second,
// wrong truth to keep in step. What moto is good at stays in moto and is read from it: clusters (must exist
// and be ACTIVE) and task definitions (their containers, images and health checks).
//
// Time: every duration is in "ECS seconds" and runs on real timers multiplied by the time scale; a tick loop
// moves every service forward. Nothing waits on a timer inside a request.
import * as ids from './ids.mjs';
import { MotoError } from './moto.mjs';

export const BEHAVIOURS = ['healthy', 'crash', 'unhealthy', 'cannot-pull'];
export const STRATEGIES = ['ROLLING', 'BLUE_GREEN', 'LINEAR', 'CANARY'];
export const LIFECYCLE_STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
  'BAKE_TIME',
  'CLEAN_UP',
];
/** Stages a hook may name (DeploymentLifecycleHookStage): PRE_PRODUCTION_TRAFFIC_SHIFT runs at the start of PRODUCTION_TRAFFIC_SHIFT. */
export const HOOK_STAGES = ['RECONCILE_SERVICE', 'PRE_SCALE_UP', 'POST_SCALE_UP', 'TEST_TRAFFIC_SHIFT', 'POST_TEST_TRAFFIC_SHIFT', 'PRE_PRODUCTION_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT'];

/** Base durations in ECS seconds (multiplied by the time scale). */
export const DURATIONS = {
  provisioning: 2, // PROVISIONING (ENI attach) before PENDING
  pull: 3, // PENDING (image pull) before RUNNING
  crashAfter: 2, // a crashing container exits this long after it started
  stableWithoutHealthCheck: 3, // a task without a container health check counts as healthy after running this long
  stopping: 2, // STOPPING before STOPPED
  reconcile: 1,
  trafficShift: 2, // each shift of test or production traffic
  lambdaHook: 2, // an AWS_LAMBDA hook answers after this long
};

const ACCOUNT = '123456789012';

export class EcsError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}
const invalid = (message) => new EcsError('InvalidParameterException', message);

const secs = (ms) => (ms === undefined ? undefined : ms / 1000);
const clean = (o) => JSON.parse(JSON.stringify(o)); // drops undefined

export function circuitBreakerThreshold(desiredCount, thresholdConfiguration) {
  // ECS: 0.5 * desired task count, rounded up, at least 3 and at most 200 (BOUNDED_PERCENT 50 by default).
  const type = thresholdConfiguration?.type ?? 'BOUNDED_PERCENT';
  const value = thresholdConfiguration?.value ?? 50;
  if (type === 'COUNT') return Math.max(1, value);
  const raw = Math.ceil((value / 100) * desiredCount);
  return type === 'UNBOUNDED_PERCENT' ? Math.max(1, raw) : Math.min(200, Math.max(3, raw));
}

export function createEngine({ call, elb, region = 'us-east-1', timeScale = 1, now = () => Date.now(), runtime: givenRuntime }) {
  // Real containers (scripts/local-aws/containers.mjs) where a Docker engine and registry were given.
  let runtime = givenRuntime;
  const d = (ecsSeconds) => ecsSeconds * 1000 * timeScale;
  const arnPrefix = `arn:aws:ecs:${region}:${ACCOUNT}`;
  let services = new Map(); // serviceArn -> service
  let tasks = new Map(); // taskArn -> task
  let serviceDeployments = new Map(); // arn -> service deployment
  let revisions = new Map(); // arn -> service revision
  let behaviours = new Map(); // image key -> behaviour
  let hookResults = new Map(); // hookTargetArn -> SUCCEEDED | FAILED

  // ---------------------------------------------------------------- moto reads

  async function resolveCluster(ref) {
    const name = String(ref ?? 'default').split('/').pop();
    const out = await call('ecs', 'DescribeClusters', { clusters: [name] });
    const cluster = (out.clusters ?? [])[0];
    if (!cluster || cluster.status !== 'ACTIVE') throw new EcsError('ClusterNotFoundException', 'Cluster not found.');
    return { name: cluster.clusterName, arn: cluster.clusterArn };
  }

  async function readTaskDefinition(ref) {
    if (!ref) throw invalid('TaskDefinition must be specified.');
    let out;
    try {
      out = await call('ecs', 'DescribeTaskDefinition', { taskDefinition: ref });
    } catch (e) {
      if (e instanceof MotoError && e.status < 500) throw invalid('TaskDefinition not found.');
      throw e;
    }
    const td = out.taskDefinition;
    if (!td || td.status === 'INACTIVE') throw invalid(`TaskDefinition is inactive`);
    return td;
  }

  /** Repository and digest of an image reference, through ECR in moto; undefined when it is not an ECR image there. */
  async function imageIdentity(image) {
    const m = /^(?:([^/]+)\/)?([^:@]+(?:\/[^:@]+)*)(?::([^@]+))?(?:@(sha256:[a-f0-9]+))?$/.exec(image);
    if (!m) return undefined;
    let [, host, repo, tag, digest] = m;
    if (host && !/[.:]/.test(host) && host !== 'localhost') repo = `${host}/${repo}`;
    const imageId = digest ? { imageDigest: digest } : { imageTag: tag ?? 'latest' };
    try {
      const out = await call('ecr', 'DescribeImages', { repositoryName: repo, imageIds: [imageId] });
      const found = (out.imageDetails ?? [])[0];
      return found ? { repositoryName: repo, imageDigest: found.imageDigest } : undefined;
    } catch {
      return undefined;
    }
  }

  async function containerImages(td) {
    const out = [];
    for (const c of td.containerDefinitions ?? []) {
      const identity = await imageIdentity(c.image);
      const localRef = runtime ? await runtime.localImage(c.image) : undefined;
      out.push({ containerName: c.name, image: c.image, imageDigest: identity?.imageDigest, key: identity ? `${identity.repositoryName}@${identity.imageDigest}` : undefined, localRef });
    }
    return out;
  }

  async function setBehaviour(image, behaviour) {
    if (!BEHAVIOURS.includes(behaviour)) throw invalid(`behaviour must be one of ${BEHAVIOURS.join(', ')}`);
    if (typeof image !== 'string' || !image) throw invalid('image must be an image reference');
    const identity = await imageIdentity(image);
    behaviours.set(image, behaviour);
    if (identity) behaviours.set(`${identity.repositoryName}@${identity.imageDigest}`, behaviour);
    return { image, behaviour, imageDigest: identity?.imageDigest };
  }

  function setHookResult(hookTargetArn, result) {
    if (!['SUCCEEDED', 'FAILED'].includes(result)) throw invalid('result must be SUCCEEDED or FAILED');
    if (typeof hookTargetArn !== 'string' || !hookTargetArn) throw invalid('hookTargetArn must be an ARN');
    hookResults.set(hookTargetArn, result);
    return { hookTargetArn, result };
  }

  const RANK = { 'cannot-pull': 3, crash: 2, unhealthy: 1, healthy: 0 };
  function behaviourOf(images) {
    let worst = 'healthy';
    for (const i of images) {
      const b = (i.key && behaviours.get(i.key)) ?? behaviours.get(i.image) ?? 'healthy';
      if (RANK[b] > RANK[worst]) worst = b;
    }
    return worst;
  }

  // ---------------------------------------------------------------- validation

  function normaliseDeploymentConfiguration(given = {}, previous) {
    const base = previous ?? { deploymentCircuitBreaker: { enable: false, rollback: false }, maximumPercent: 200, minimumHealthyPercent: 100, strategy: 'ROLLING' };
    const c = { ...base, ...clean(given) };
    if (!STRATEGIES.includes(c.strategy)) throw invalid(`Invalid deployment strategy ${c.strategy}. Valid values: ${STRATEGIES.join(', ')}.`);
    if (!Number.isInteger(c.minimumHealthyPercent) || c.minimumHealthyPercent < 0 || c.minimumHealthyPercent > 100) throw invalid('minimumHealthyPercent must be between 0 and 100.');
    if (!Number.isInteger(c.maximumPercent) || c.maximumPercent < 100) throw invalid('maximumPercent must be at least 100.');
    if (c.bakeTimeInMinutes !== undefined && !(c.bakeTimeInMinutes >= 0 && c.bakeTimeInMinutes <= 1440)) throw invalid('bakeTimeInMinutes must be between 0 and 1440.');
    if (c.strategy === 'LINEAR') {
      const l = c.linearConfiguration;
      if (!l || !(l.stepPercent >= 3 && l.stepPercent <= 100)) throw invalid('linearConfiguration.stepPercent must be between 3.0 and 100.0 for the LINEAR deployment strategy.');
      if (l.stepBakeTimeInMinutes !== undefined && !(l.stepBakeTimeInMinutes >= 0 && l.stepBakeTimeInMinutes <= 1440)) throw invalid('linearConfiguration.stepBakeTimeInMinutes must be between 0 and 1440.');
    } else if (given.linearConfiguration) throw invalid('linearConfiguration is only valid with the LINEAR deployment strategy.');
    if (c.strategy === 'CANARY') {
      const k = c.canaryConfiguration;
      if (!k || !(k.canaryPercent >= 0.1 && k.canaryPercent <= 100)) throw invalid('canaryConfiguration.canaryPercent must be between 0.1 and 100.0 for the CANARY deployment strategy.');
      if (k.canaryBakeTimeInMinutes !== undefined && !(k.canaryBakeTimeInMinutes >= 0 && k.canaryBakeTimeInMinutes <= 1440)) throw invalid('canaryConfiguration.canaryBakeTimeInMinutes must be between 0 and 1440.');
    } else if (given.canaryConfiguration) throw invalid('canaryConfiguration is only valid with the CANARY deployment strategy.');
    const hooks = c.lifecycleHooks ?? [];
    if (hooks.length && c.strategy === 'ROLLING') throw invalid('lifecycleHooks are only supported with the BLUE_GREEN, LINEAR and CANARY deployment strategies.');
    c.lifecycleHooks = hooks.length || given.lifecycleHooks ? hooks.map(normaliseHook) : undefined;
    return clean(c);
  }

  function normaliseHook(h) {
    const targetType = h.targetType ?? 'AWS_LAMBDA';
    if (!['AWS_LAMBDA', 'PAUSE'].includes(targetType)) throw invalid(`Invalid lifecycle hook targetType ${targetType}.`);
    if (targetType === 'AWS_LAMBDA' && !h.hookTargetArn) throw invalid('hookTargetArn is required for an AWS_LAMBDA lifecycle hook.');
    if (targetType === 'AWS_LAMBDA' && !h.roleArn) throw invalid('roleArn is required for an AWS_LAMBDA lifecycle hook.');
    if (!Array.isArray(h.lifecycleStages) || h.lifecycleStages.length === 0) throw invalid('lifecycleStages must name at least one lifecycle stage.');
    for (const s of h.lifecycleStages) if (!HOOK_STAGES.includes(s)) throw invalid(`Invalid lifecycle stage ${s} for a lifecycle hook.`);
    const t = h.timeoutConfiguration;
    if (t?.action !== undefined && !['CONTINUE', 'ROLLBACK'].includes(t.action)) throw invalid('timeoutConfiguration.action must be CONTINUE or ROLLBACK.');
    return clean({ ...h, targetType });
  }

  function validateLoadBalancers(strategy, loadBalancers) {
    if (strategy === 'ROLLING') return;
    if (!loadBalancers?.length) throw invalid(`The ${strategy} deployment strategy requires a load balancer with advancedConfiguration.`);
    for (const lb of loadBalancers) {
      if (!lb.targetGroupArn) throw invalid(`The ${strategy} deployment strategy requires targetGroupArn in loadBalancers.`);
      const a = lb.advancedConfiguration;
      if (!a) throw invalid(`The ${strategy} deployment strategy requires advancedConfiguration in loadBalancers.`);
      for (const field of ['alternateTargetGroupArn', 'productionListenerRule', 'roleArn']) {
        if (!a[field]) throw invalid(`advancedConfiguration.${field} is required for the ${strategy} deployment strategy.`);
      }
      if (a.alternateTargetGroupArn === lb.targetGroupArn) throw invalid('advancedConfiguration.alternateTargetGroupArn must differ from targetGroupArn.');
    }
  }

  /** The target groups and listener rules must exist in (moto's) ELBv2, the primary target group behind a load balancer. */
  async function checkLoadBalancerResources(strategy, loadBalancers) {
    if (strategy === 'ROLLING' || !elb) return;
    for (const lb of loadBalancers) {
      const a = lb.advancedConfiguration;
      const primary = await elb.targetGroupLoadBalancers(lb.targetGroupArn);
      if (!primary) throw invalid(`The target group with targetGroupArn ${lb.targetGroupArn} does not exist.`);
      if (primary.length === 0) throw invalid(`The target group with targetGroupArn ${lb.targetGroupArn} does not have an associated load balancer.`);
      if (!(await elb.targetGroupLoadBalancers(a.alternateTargetGroupArn))) throw invalid(`The target group with targetGroupArn ${a.alternateTargetGroupArn} does not exist.`);
      for (const rule of [a.productionListenerRule, a.testListenerRule].filter(Boolean)) {
        if (!(await elb.ruleExists(rule))) throw invalid(`The listener rule ${rule} does not exist.`);
      }
    }
  }

  // ---------------------------------------------------------------- lookups

  function serviceArnOf(clusterName, name) {
    return `${arnPrefix}:service/${clusterName}/${name}`;
  }
  function findService(cluster, ref) {
    if (!ref) throw invalid('Service must be specified.');
    const name = String(ref).split('/').pop();
    return services.get(serviceArnOf(cluster.name, name));
  }
  function requireService(cluster, ref) {
    const s = findService(cluster, ref);
    if (!s) throw new EcsError('ServiceNotFoundException', 'Service not found.');
    return s;
  }
  const serviceTasks = (s) => [...tasks.values()].filter((t) => t.serviceArn === s.serviceArn);
  const deploymentTasks = (dep) => [...tasks.values()].filter((t) => t.deploymentId === dep.id);
  const live = (t) => t.lastStatus !== 'STOPPED';
  const wanted = (t) => t.desiredStatus === 'RUNNING';
  const hasHealthCheck = (t) => t.containers.some((c) => c.healthCheck);
  function isHealthy(t, at = now()) {
    if (t.lastStatus !== 'RUNNING' || !wanted(t)) return false;
    return hasHealthCheck(t) ? t.healthStatus === 'HEALTHY' : at >= t.startedAtMs + d(DURATIONS.stableWithoutHealthCheck);
  }
  const primaryOf = (s) => s.deployments.find((dep) => dep.status === 'PRIMARY');

  function event(s, message) {
    s.events.unshift({ id: ids.uuid(), createdAt: now(), message });
    if (s.events.length > 100) s.events.length = 100;
  }
  const shortTask = (t) => `(task ${t.taskArn.split('/').pop()})`;

  // ---------------------------------------------------------------- deployments

  function newRevision(s, taskDefinition, images) {
    const arn = `${arnPrefix}:service-revision/${s.clusterName}/${s.serviceName}/${ids.serviceRevisionId()}`;
    const revision = {
      serviceRevisionArn: arn,
      serviceArn: s.serviceArn,
      clusterArn: s.clusterArn,
      taskDefinition: taskDefinition.taskDefinitionArn,
      launchType: s.launchType,
      platformVersion: s.platformVersion,
      platformFamily: s.launchType === 'FARGATE' ? 'Linux' : undefined,
      loadBalancers: s.loadBalancers,
      serviceRegistries: [],
      networkConfiguration: s.networkConfiguration,
      containerImages: images.map(({ containerName, imageDigest, image }) => ({ containerName, imageDigest, image })),
      guardDutyEnabled: false,
      createdAt: now(),
    };
    revisions.set(arn, revision);
    return revision;
  }

  /** A new deployment of `taskDefinition`: PRIMARY, the others ACTIVE; and its service deployment unless it is a rollback. */
  function startDeployment(s, taskDefinition, images, { rollbackOf, revision } = {}) {
    const t = now();
    const rev = revision ?? newRevision(s, taskDefinition, images);
    const previous = s.deployments.filter((dep) => deploymentTasks(dep).some(live) || dep.status === 'PRIMARY');
    for (const old of s.deployments) {
      old.status = 'ACTIVE';
      old.launching = false;
      old.keep = false; // a superseded blue/green deployment no longer holds its blue tasks
    }
    const dep = {
      id: ids.deploymentId(),
      status: 'PRIMARY',
      taskDefinition: taskDefinition.taskDefinitionArn,
      taskDefinitionInfo: taskDefinition,
      images,
      revisionArn: rev.serviceRevisionArn,
      failedTasks: 0,
      everHealthy: false,
      launching: true,
      keep: false,
      createdAt: t,
      updatedAt: t,
      rolloutState: 'IN_PROGRESS',
      rolloutStateReason: 'ECS deployment in progress',
    };
    s.deployments.unshift(dep);
    s.taskDefinition = dep.taskDefinition;
    if (rollbackOf) {
      dep.sdArn = rollbackOf.serviceDeploymentArn;
      return dep;
    }
    dep.rolloutStateReason = `ECS deployment ${dep.id} in progress.`;
    // A newer deployment supersedes one still in progress.
    for (const sd of serviceDeployments.values()) {
      if (sd.serviceArn === s.serviceArn && ['PENDING', 'IN_PROGRESS', 'STOP_REQUESTED'].includes(sd.status)) {
        finishServiceDeployment(sd, 'STOPPED', `Stopped by a newer service deployment.`);
        for (const h of sd.hooks) if (['AWAITING_ACTION', 'IN_PROGRESS'].includes(h.status)) h.status = 'FAILED';
      }
    }
    const blue = previous.filter((p) => p !== dep);
    const strategy = s.deploymentConfiguration.strategy;
    const cb = s.deploymentConfiguration.deploymentCircuitBreaker ?? {};
    const sd = {
      serviceDeploymentArn: `${arnPrefix}:service-deployment/${s.clusterName}/${s.serviceName}/${ids.serviceDeploymentId()}`,
      serviceArn: s.serviceArn,
      clusterArn: s.clusterArn,
      createdAt: t,
      updatedAt: t,
      status: 'PENDING',
      sourceDeploymentIds: blue.map((b) => b.id),
      sourceRevisionArns: [...new Set(blue.map((b) => b.revisionArn))],
      targetRevisionArn: rev.serviceRevisionArn,
      deploymentId: dep.id,
      deploymentConfiguration: s.deploymentConfiguration,
      // The lifecycle runs only when there is a blue revision to shift traffic from; a first deployment just scales up.
      staged: strategy !== 'ROLLING' && blue.some((b) => deploymentTasks(b).some(live)),
      strategy,
      stageIndex: -1,
      hooks: [],
      weights: { production: 0, test: 0 },
      circuitBreaker: cb.enable ? { status: 'MONITORING', failureCount: 0, threshold: circuitBreakerThreshold(s.desiredCount, cb.thresholdConfiguration) } : { status: 'DISABLED', failureCount: 0, threshold: 0 },
    };
    serviceDeployments.set(sd.serviceDeploymentArn, sd);
    dep.sdArn = sd.serviceDeploymentArn;
    s.currentServiceDeployment = sd.serviceDeploymentArn;
    if (sd.staged) {
      for (const b of blue) b.keep = true;
      dep.launching = false; // SCALE_UP starts the green tasks
    }
    return dep;
  }

  function finishServiceDeployment(sd, status, statusReason) {
    const t = now();
    sd.status = status;
    if (statusReason) sd.statusReason = statusReason;
    sd.updatedAt = t;
    if (status === 'STOPPED') sd.stoppedAt = t;
    sd.finishedAt = t;
    if (sd.circuitBreaker.status === 'MONITORING') sd.circuitBreaker.status = 'MONITORING_COMPLETE';
  }

  function completeDeployment(s, dep) {
    const t = now();
    dep.rolloutState = 'COMPLETED';
    dep.rolloutStateReason = dep.rollbackTo ? dep.rolloutStateReason : `ECS deployment ${dep.id} completed.`;
    dep.updatedAt = t;
    s.deployments = s.deployments.filter((other) => other === dep || deploymentTasks(other).some(live));
    s.lastCompleted = { taskDefinition: dep.taskDefinitionInfo, images: dep.images, revisionArn: dep.revisionArn, deploymentId: dep.id };
    event(s, `(service ${s.serviceName}) (deployment ${dep.id}) deployment completed.`);
    event(s, `(service ${s.serviceName}) has reached a steady state.`);
    s.steady = true;
    const sd = serviceDeployments.get(dep.sdArn);
    if (sd && !['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'].includes(sd.status)) {
      if (sd.status === 'ROLLBACK_IN_PROGRESS') finishServiceDeployment(sd, 'ROLLBACK_SUCCESSFUL', sd.statusReason);
      else finishServiceDeployment(sd, 'SUCCESSFUL');
      sd.hooks = sd.hooks.filter((h) => h.status !== 'AWAITING_ACTION');
    }
  }

  /** The circuit breaker (or a hook, or a user) failed `dep`: rolls back when it may, else leaves it FAILED. */
  function failDeployment(s, dep, why, { rollback, reason }) {
    const t = now();
    const sd = serviceDeployments.get(dep.sdArn);
    dep.rolloutState = 'FAILED';
    dep.rolloutStateReason = why;
    dep.launching = false;
    dep.updatedAt = t;
    if (sd?.status === 'ROLLBACK_IN_PROGRESS') {
      // The rollback itself failed: nothing further to fall back to.
      finishServiceDeployment(sd, 'ROLLBACK_FAILED', why);
      return;
    }
    if (!rollback) {
      if (sd) finishServiceDeployment(sd, 'STOPPED', why);
      return;
    }
    rollBack(s, dep, sd, reason ?? why);
  }

  function rollBack(s, dep, sd, reason) {
    const t = now();
    dep.launching = false;
    if (dep.rolloutState === 'IN_PROGRESS') {
      dep.rolloutState = 'FAILED';
      dep.rolloutStateReason = reason;
    }
    const blue = sd?.staged ? s.deployments.find((b) => b !== dep && b.keep) : undefined;
    if (blue) {
      // Blue/green: blue still serves; traffic goes back to it and green is stopped.
      for (const other of s.deployments) other.status = 'ACTIVE';
      blue.status = 'PRIMARY';
      blue.keep = false;
      s.taskDefinition = blue.taskDefinition;
      sd.weights = { production: 0, test: 0 };
      sd.status = 'ROLLBACK_IN_PROGRESS';
      sd.rollbackMode = 'staged';
      sd.rollback = { reason, startedAt: t, serviceRevisionArn: blue.revisionArn };
      sd.rollbackDeploymentId = blue.id;
      sd.updatedAt = t;
      event(s, `(service ${s.serviceName}) rolling back to deployment ${blue.id}.`);
      return;
    }
    const last = s.lastCompleted;
    if (!last || last.deploymentId === dep.id) {
      if (sd) finishServiceDeployment(sd, 'ROLLBACK_FAILED', `${reason} No completed deployment to roll back to.`);
      return;
    }
    event(s, `(service ${s.serviceName}) rolling back to deployment ${last.deploymentId}.`);
    const back = startDeployment(s, last.taskDefinition, last.images, { rollbackOf: sd, revision: revisions.get(last.revisionArn) });
    back.rollbackTo = last.deploymentId;
    back.rolloutStateReason = `ECS deployment circuit breaker: rolling back to deploymentId ${last.deploymentId}.`;
    if (sd) {
      sd.status = 'ROLLBACK_IN_PROGRESS';
      sd.rollbackMode = 'rolling';
      sd.rollback = { reason, startedAt: t, serviceRevisionArn: last.revisionArn };
      sd.rollbackDeploymentId = back.id;
      sd.updatedAt = t;
    }
  }

  // ---------------------------------------------------------------- tasks

  function launchTask(s, dep) {
    const t = now();
    const id = ids.taskId();
    const taskArn = `${arnPrefix}:task/${s.clusterName}/${id}`;
    const td = dep.taskDefinitionInfo;
    const task = {
      taskArn,
      serviceArn: s.serviceArn,
      deploymentId: dep.id,
      clusterArn: s.clusterArn,
      clusterName: s.clusterName,
      taskDefinitionArn: dep.taskDefinition,
      group: `service:${s.serviceName}`,
      startedBy: dep.id,
      launchType: s.launchType,
      platformVersion: s.launchType === 'FARGATE' ? '1.4.0' : undefined,
      platformFamily: s.launchType === 'FARGATE' ? 'Linux' : undefined,
      cpu: td.cpu,
      memory: td.memory,
      availabilityZone: `${region}a`,
      lastStatus: 'PROVISIONING',
      desiredStatus: 'RUNNING',
      healthStatus: 'UNKNOWN',
      createdAtMs: t,
      nextAt: t + d(DURATIONS.provisioning),
      behaviour: behaviourOf(dep.images),
      // Every image in the local registry: the task runs as real containers, its behaviour is theirs.
      real: Boolean(runtime && dep.images.length && dep.images.every((i) => i.localRef)),
      version: 1,
      containers: (td.containerDefinitions ?? []).map((c) => {
        const image = dep.images.find((i) => i.containerName === c.name);
        return {
          containerArn: `${arnPrefix}:container/${s.clusterName}/${id}/${ids.uuid()}`,
          taskArn,
          name: c.name,
          image: c.image,
          imageDigest: image?.imageDigest,
          lastStatus: 'PENDING',
          healthStatus: 'UNKNOWN',
          essential: c.essential !== false,
          healthCheck: c.healthCheck,
          cpu: c.cpu !== undefined ? String(c.cpu) : undefined,
          memory: c.memory !== undefined ? String(c.memory) : undefined,
          networkBindings: [],
          networkInterfaces: [],
        };
      }),
    };
    tasks.set(taskArn, task);
    return task;
  }

  /** The scheduler or a failure stops a task: STOPPING now, STOPPED a little later. */
  function stopTask(task, { reason, stopCode, exitCode, containerReason, failed }) {
    const t = now();
    task.desiredStatus = 'STOPPED';
    task.lastStatus = 'STOPPING';
    task.stoppingAtMs = t;
    task.stoppedReason = reason;
    task.stopCode = stopCode;
    task.failed = failed;
    task.nextAt = t + d(failed ? 1 : DURATIONS.stopping);
    task.version++;
    for (const c of task.containers) {
      if (c.lastStatus === 'RUNNING' || c.lastStatus === 'PENDING') {
        // A real container's exit code is the one docker reports when it has stopped.
        if (exitCode !== undefined && c.exitCode === undefined && !task.real) c.exitCode = c.essential ? exitCode : 0;
        if (containerReason && c.essential) c.reason = containerReason;
      }
    }
    if (task.real && runtime) {
      // STOPPED once the containers are really stopped and removed.
      task.nextAt = Infinity;
      const stopping = runtime;
      void stopping
        .stopTask(task.taskArn)
        .catch((e) => {
          console.error(`local-aws: stopping the containers of ${task.taskArn}: ${e.message}`);
          return {};
        })
        .then((codes) => {
          for (const c of task.containers) if (c.exitCode === undefined && codes[c.name] !== undefined && c.lastStatus !== 'PENDING') c.exitCode = codes[c.name];
          task.nextAt = now();
          tick();
        });
    }
  }

  /** A real task's containers, started by the runtime; its callbacks move the task as a simulated one would move. */
  function startRealTask(s, task) {
    const dep = s.deployments.find((x) => x.id === task.deploymentId);
    const definitions = dep?.taskDefinitionInfo.containerDefinitions ?? [];
    const refs = Object.fromEntries((dep?.images ?? []).map((i) => [i.containerName, i.localRef]));
    const started = new Set();
    const stillWanted = () => wanted(task) && task.lastStatus !== 'STOPPED';
    const container = (name) => task.containers.find((c) => c.name === name);
    runtime.startTask({ taskArn: task.taskArn, definitions, refs, stopTimeout: Math.max(0, ...definitions.map((x) => x.stopTimeout ?? 30)) }, {
      started(name, { runtimeId, networkBindings }) {
        const c = container(name);
        if (!c || !stillWanted()) return;
        c.runtimeId = runtimeId;
        c.networkBindings = networkBindings;
        started.add(name);
        if (started.size === task.containers.length && task.lastStatus === 'PENDING') markRunning(task, now());
        task.version++;
      },
      health(name, status) {
        const c = container(name);
        if (!c || !stillWanted()) return;
        c.healthStatus = status;
        task.version++;
        tick();
      },
      exited(name, exitCode) {
        const c = container(name);
        if (!c) return;
        c.exitCode = exitCode;
        c.lastStatus = 'STOPPED';
        task.version++;
        if (c.essential && stillWanted()) {
          stopTask(task, { reason: 'Essential container in task exited', stopCode: 'EssentialContainerExited', exitCode, failed: true });
          tick();
        }
      },
      failed(reason) {
        if (!stillWanted()) return;
        stopTask(task, { reason, stopCode: 'TaskFailedToStart', containerReason: reason, failed: true });
        tick();
      },
    });
  }

  function markRunning(task, t) {
    task.lastStatus = 'RUNNING';
    task.pullStoppedAtMs = t;
    task.startedAtMs = t;
    task.connectivityAtMs = t;
    task.version++;
    for (const c of task.containers) {
      c.lastStatus = 'RUNNING';
      c.runtimeId ??= `${task.taskArn.split('/').pop()}-${Math.abs(hashOf(c.name))}`;
      c.networkInterfaces = [{ attachmentId: ids.uuid(), privateIpv4Address: `10.0.${1 + (hashOf(task.taskArn) & 0x7f)}.${1 + (hashOf(c.name + task.taskArn) & 0x7f)}` }];
    }
  }

  function advanceTask(s, task, t) {
    if (task.lastStatus === 'STOPPED' || t < task.nextAt) {
      if (task.lastStatus === 'RUNNING' && wanted(task)) checkHealth(s, task, t);
      return;
    }
    task.version++;
    switch (task.lastStatus) {
      case 'PROVISIONING':
        task.lastStatus = 'PENDING';
        task.pullStartedAtMs = t;
        task.nextAt = t + d(DURATIONS.pull);
        return;
      case 'PENDING': {
        if (task.real) {
          // The pull and the start are real: the runtime's callbacks move the task on.
          task.nextAt = Infinity;
          startRealTask(s, task);
          return;
        }
        if (task.behaviour === 'cannot-pull') {
          const c = task.containers.find((x) => x.essential) ?? task.containers[0];
          const why = `CannotPullContainerError: pull image manifest has been retried 7 time(s): failed to resolve ref ${c.image}: ${c.image}: not found`;
          stopTask(task, { reason: why, stopCode: 'TaskFailedToStart', containerReason: why, failed: true });
          return;
        }
        markRunning(task, t);
        task.nextAt = task.behaviour === 'crash' ? t + d(DURATIONS.crashAfter) : Infinity;
        return;
      }
      case 'RUNNING':
        if (task.behaviour === 'crash' && wanted(task) && !task.real) {
          stopTask(task, { reason: 'Essential container in task exited', stopCode: 'EssentialContainerExited', exitCode: 1, failed: true });
          const c = task.containers.find((x) => x.essential);
          if (c) c.lastStatus = 'STOPPED';
        }
        return;
      case 'STOPPING':
        task.lastStatus = 'STOPPED';
        task.stoppedAtMs = t;
        task.executionStoppedAtMs = t;
        for (const c of task.containers) {
          if (c.lastStatus === 'RUNNING' && c.exitCode === undefined) c.exitCode = task.stopCode === 'ServiceSchedulerInitiated' && !task.failed ? 0 : 137;
          c.lastStatus = 'STOPPED';
        }
        onTaskStopped(s, task);
        return;
    }
  }

  function checkHealth(s, task, t) {
    for (const c of task.containers) {
      // A real container's health is docker's verdict on its health check command, set by the runtime.
      if (!c.healthCheck || c.healthStatus !== 'UNKNOWN' || task.real) continue;
      const interval = c.healthCheck.interval ?? 30;
      const retries = c.healthCheck.retries ?? 3;
      const startPeriod = c.healthCheck.startPeriod ?? 0;
      if (task.behaviour === 'unhealthy') {
        if (t >= task.startedAtMs + d(startPeriod + interval * retries)) c.healthStatus = 'UNHEALTHY';
      } else if (t >= task.startedAtMs + d(interval)) c.healthStatus = 'HEALTHY';
    }
    const essentials = task.containers.filter((c) => c.essential && c.healthCheck);
    const before = task.healthStatus;
    if (essentials.some((c) => c.healthStatus === 'UNHEALTHY')) task.healthStatus = 'UNHEALTHY';
    else if (essentials.length && essentials.every((c) => c.healthStatus === 'HEALTHY')) task.healthStatus = 'HEALTHY';
    if (before !== task.healthStatus) task.version++;
    // ECS ignores failing health checks during the service's health check grace period.
    const graceEnds = task.startedAtMs + d(s.healthCheckGracePeriodSeconds ?? 0);
    if (task.healthStatus === 'UNHEALTHY' && t >= graceEnds) {
      event(s, `(service ${s.serviceName}) ${shortTask(task)} failed container health checks.`);
      stopTask(task, { reason: 'Task failed container health checks', stopCode: 'ServiceSchedulerInitiated', exitCode: 137, failed: true });
      event(s, `(service ${s.serviceName}) has stopped 1 running tasks: ${shortTask(task)}.`);
    }
  }

  function onTaskStopped(s, task) {
    if (!task.failed) return;
    const dep = s.deployments.find((x) => x.id === task.deploymentId);
    if (!dep || dep.everHealthy || dep.rolloutState !== 'IN_PROGRESS') return;
    dep.failedTasks++;
    dep.updatedAt = now();
    const cb = s.deploymentConfiguration.deploymentCircuitBreaker ?? {};
    const sd = serviceDeployments.get(dep.sdArn);
    if (sd) sd.circuitBreaker.failureCount = dep.failedTasks;
    if (!cb.enable) return;
    const threshold = circuitBreakerThreshold(s.desiredCount, cb.thresholdConfiguration);
    if (dep.failedTasks >= threshold) {
      if (sd) sd.circuitBreaker.status = 'TRIGGERED';
      event(s, `(service ${s.serviceName}) deployment ${dep.id} deployment failed: tasks failed to start.`);
      failDeployment(s, dep, 'ECS deployment circuit breaker: tasks failed to start.', { rollback: cb.rollback === true });
    }
  }

  // ---------------------------------------------------------------- the scheduler

  function schedule(s, t) {
    const primary = primaryOf(s);
    const desired = s.status === 'ACTIVE' ? s.desiredCount : 0;
    const dc = s.deploymentConfiguration;
    const all = serviceTasks(s).filter(wanted);
    // Launch for the primary deployment within maximumPercent (blue/green SCALE_UP starts green at full size).
    if (primary?.launching && s.status === 'ACTIVE') {
      const mine = all.filter((x) => x.deploymentId === primary.id).length;
      const sd = serviceDeployments.get(primary.sdArn);
      const ceiling = sd?.staged ? Infinity : Math.floor((desired * dc.maximumPercent) / 100);
      const count = Math.min(desired - mine, ceiling - all.length);
      if (count > 0) {
        const started = [];
        for (let i = 0; i < count; i++) started.push(launchTask(s, primary));
        event(s, `(service ${s.serviceName}) has started ${started.length} tasks: ${started.map(shortTask).join(' ')}.`);
        s.steady = false;
      }
    }
    // Drain what is not the primary's (unless blue/green still keeps it), keeping minimumHealthyPercent healthy.
    const minHealthy = Math.ceil((desired * dc.minimumHealthyPercent) / 100);
    let healthy = all.filter((x) => isHealthy(x, t)).length;
    const stoppable = all
      .filter((x) => {
        const dep = s.deployments.find((y) => y.id === x.deploymentId);
        return !dep || (dep !== primary && !dep.keep);
      })
      .sort((a, b) => Number(isHealthy(a, t)) - Number(isHealthy(b, t)));
    // The primary's own surplus (desired count lowered) drains too.
    if (primary && s.status === 'ACTIVE') {
      const mine = all.filter((x) => x.deploymentId === primary.id);
      const surplus = mine.length - desired;
      if (surplus > 0) stoppable.push(...mine.sort((a, b) => Number(isHealthy(a, t)) - Number(isHealthy(b, t))).slice(0, surplus));
    }
    const stopped = [];
    for (const x of stoppable) {
      const h = isHealthy(x, t);
      if (h && healthy - 1 < minHealthy && s.status === 'ACTIVE') continue;
      if (h) healthy--;
      const owner = s.deployments.find((y) => y.id === x.deploymentId);
      const by = s.status === 'ACTIVE' ? (primary ?? owner).id : (owner ?? primary)?.id;
      stopTask(x, { reason: `Scaling activity initiated by (deployment ${by})`, stopCode: 'ServiceSchedulerInitiated', failed: false });
      stopped.push(x);
    }
    if (stopped.length) event(s, `(service ${s.serviceName}) has stopped ${stopped.length} running tasks: ${stopped.map(shortTask).join(' ')}.`);
  }

  // ---------------------------------------------------------------- the blue/green lifecycle

  function enterStage(s, sd, index, t) {
    sd.stageIndex = index;
    sd.lifecycleStage = LIFECYCLE_STAGES[index];
    sd.stageEnteredAt = t;
    sd.stagePhase = 'work';
    sd.stageWork = {};
    sd.activeHookStage = undefined;
    sd.updatedAt = t;
    const green = s.deployments.find((x) => x.id === sd.deploymentId);
    if (sd.lifecycleStage === 'SCALE_UP' && green) green.launching = true;
    if (sd.lifecycleStage === 'TEST_TRAFFIC_SHIFT') sd.weights.test = 100;
    if (sd.lifecycleStage === 'PRODUCTION_TRAFFIC_SHIFT') {
      sd.stagePhase = 'prehooks';
      startHooks(s, sd, 'PRE_PRODUCTION_TRAFFIC_SHIFT', t);
    }
    if (sd.lifecycleStage === 'CLEAN_UP') for (const b of s.deployments) if (b.id !== sd.deploymentId) b.keep = false;
  }

  function startHooks(s, sd, stage, t) {
    sd.activeHookStage = stage;
    for (const h of sd.deploymentConfiguration.lifecycleHooks ?? []) {
      if (!h.lifecycleStages.includes(stage)) continue;
      const timeoutMinutes = h.timeoutConfiguration?.timeoutInMinutes ?? 1440;
      sd.hooks.push({
        stage,
        hookId: ids.hookId(h.targetType),
        targetType: h.targetType,
        targetArn: h.targetType === 'AWS_LAMBDA' ? h.hookTargetArn : undefined,
        status: h.targetType === 'PAUSE' ? 'AWAITING_ACTION' : 'IN_PROGRESS',
        expiresAtMs: t + d(timeoutMinutes * 60),
        answersAtMs: t + d(DURATIONS.lambdaHook),
        timeoutAction: h.timeoutConfiguration?.action ?? 'ROLLBACK',
      });
    }
  }

  /** Moves hooks on; true when every hook of the stage has let the deployment pass. */
  function hooksPassed(s, sd, green, t) {
    // lifecycleHookDetails keeps the hooks of earlier stages too; only the current stage's hold the deployment.
    const current = sd.hooks.filter((h) => h.stage === sd.activeHookStage);
    for (const h of current) {
      if (h.status === 'IN_PROGRESS' && t >= h.answersAtMs) h.status = hookResults.get(h.targetArn) ?? 'SUCCEEDED';
      if ((h.status === 'IN_PROGRESS' || h.status === 'AWAITING_ACTION') && t >= h.expiresAtMs) {
        h.status = 'TIMED_OUT';
        if (h.timeoutAction === 'ROLLBACK') {
          rollBack(s, green, sd, `Lifecycle hook ${h.hookId} timed out at ${sd.lifecycleStage}.`);
          return false;
        }
      }
      if (h.status === 'FAILED') {
        rollBack(s, green, sd, `Lifecycle hook ${h.hookId} failed at ${sd.lifecycleStage}.`);
        return false;
      }
    }
    return current.every((h) => h.status === 'SUCCEEDED' || h.status === 'TIMED_OUT');
  }

  function stageWorkDone(s, sd, green, t) {
    const dc = sd.deploymentConfiguration;
    const elapsed = t - sd.stageEnteredAt;
    switch (sd.lifecycleStage) {
      case 'RECONCILE_SERVICE':
        return elapsed >= d(DURATIONS.reconcile);
      case 'SCALE_UP':
        return deploymentTasks(green).filter((x) => isHealthy(x, t)).length >= s.desiredCount;
      case 'TEST_TRAFFIC_SHIFT':
        return elapsed >= d(DURATIONS.trafficShift);
      case 'PRODUCTION_TRAFFIC_SHIFT': {
        const w = sd.stageWork;
        if (w.nextShiftAt === undefined || t >= w.nextShiftAt) {
          if (sd.weights.production >= 100) return true;
          if (sd.strategy === 'LINEAR') {
            sd.weights.production = Math.min(100, sd.weights.production + dc.linearConfiguration.stepPercent);
            w.nextShiftAt = t + d(DURATIONS.trafficShift + (sd.weights.production < 100 ? (dc.linearConfiguration.stepBakeTimeInMinutes ?? 6) * 60 : 0));
          } else if (sd.strategy === 'CANARY' && sd.weights.production === 0) {
            sd.weights.production = dc.canaryConfiguration.canaryPercent;
            w.nextShiftAt = t + d(DURATIONS.trafficShift + (dc.canaryConfiguration.canaryBakeTimeInMinutes ?? 10) * 60);
          } else {
            sd.weights.production = 100;
            w.nextShiftAt = t + d(DURATIONS.trafficShift);
          }
          sd.updatedAt = t;
        }
        return false;
      }
      case 'BAKE_TIME':
        return elapsed >= d((dc.bakeTimeInMinutes ?? 0) * 60);
      case 'CLEAN_UP':
        return s.deployments.filter((x) => x.id !== sd.deploymentId).every((x) => !deploymentTasks(x).some(live));
      default:
        return true;
    }
  }

  function advanceServiceDeployment(s, sd, t) {
    if (sd.status === 'PENDING') {
      sd.status = 'IN_PROGRESS';
      sd.startedAt = t;
      sd.updatedAt = t;
    }
    const green = s.deployments.find((x) => x.id === sd.deploymentId);
    if (sd.status === 'ROLLBACK_REQUESTED') {
      if (green) rollBack(s, green, sd, sd.rollbackRequestReason);
      else finishServiceDeployment(sd, 'ROLLBACK_FAILED', sd.rollbackRequestReason);
      return;
    }
    if (sd.status === 'STOP_REQUESTED') {
      if (green) green.launching = false;
      finishServiceDeployment(sd, 'STOPPED', 'Stopped by StopServiceDeployment (ABORT).');
      return;
    }
    if (sd.status === 'ROLLBACK_IN_PROGRESS' && sd.rollbackMode === 'staged') {
      // Blue/green rollback: done once green has no task left.
      const greenLeft = green && deploymentTasks(green).some(live);
      if (!greenLeft) {
        const blue = s.deployments.find((x) => x.id === sd.rollbackDeploymentId);
        finishServiceDeployment(sd, 'ROLLBACK_SUCCESSFUL', sd.statusReason);
        sd.hooks = sd.hooks.filter((h) => h.status !== 'AWAITING_ACTION');
        s.deployments = s.deployments.filter((x) => x === blue || deploymentTasks(x).some(live));
        if (blue) {
          blue.updatedAt = t;
          event(s, `(service ${s.serviceName}) has reached a steady state.`);
        }
      }
      return;
    }
    if (sd.status !== 'IN_PROGRESS' || !sd.staged || !green) return;
    if (green.rolloutState === 'FAILED') return;
    if (sd.stageIndex < 0) enterStage(s, sd, 0, t);
    for (let guard = 0; guard < LIFECYCLE_STAGES.length; guard++) {
      if (sd.stagePhase === 'prehooks') {
        if (!hooksPassed(s, sd, green, t)) return;
        sd.stagePhase = 'work';
      }
      if (sd.stagePhase === 'work') {
        if (!stageWorkDone(s, sd, green, t)) return;
        sd.stagePhase = 'hooks';
        startHooks(s, sd, sd.lifecycleStage, t);
      }
      if (!hooksPassed(s, sd, green, t)) return;
      if (sd.stageIndex === LIFECYCLE_STAGES.length - 1) {
        completeDeployment(s, green);
        return;
      }
      enterStage(s, sd, sd.stageIndex + 1, t);
    }
  }

  function tickService(s, t) {
    for (const task of serviceTasks(s)) advanceTask(s, task, t);
    for (const dep of s.deployments) {
      if (!dep.everHealthy && deploymentTasks(dep).some((x) => isHealthy(x, t))) {
        dep.everHealthy = true;
        dep.failedTasks = 0; // ECS: once a task runs successfully the failed count resets and stops being evaluated
      }
    }
    for (const sd of serviceDeployments.values()) if (sd.serviceArn === s.serviceArn && !sd.finishedAt) advanceServiceDeployment(s, sd, t);
    schedule(s, t);
    const primary = primaryOf(s);
    if (s.status !== 'ACTIVE') {
      if (!serviceTasks(s).some(live)) {
        s.status = 'INACTIVE';
        s.deployments = [];
      }
      return;
    }
    if (!primary || primary.rolloutState !== 'IN_PROGRESS') return;
    const sd = serviceDeployments.get(primary.sdArn);
    if (sd?.staged && sd.status === 'IN_PROGRESS') return; // the lifecycle completes it
    if (sd?.rollbackMode === 'staged' && sd.status === 'ROLLBACK_IN_PROGRESS') return;
    const mine = deploymentTasks(primary).filter(wanted);
    const healthyMine = mine.filter((x) => isHealthy(x, t)).length;
    const othersLive = s.deployments.some((x) => x !== primary && deploymentTasks(x).some(live));
    if (healthyMine >= s.desiredCount && mine.length === s.desiredCount && !othersLive) completeDeployment(s, primary);
  }

  function tick() {
    const t = now();
    for (const s of services.values()) if (s.status !== 'INACTIVE') tickService(s, t);
  }

  // ---------------------------------------------------------------- views

  const count = (list, statuses) => list.filter((x) => statuses.includes(x.lastStatus)).length;
  const PENDING_STATES = ['PROVISIONING', 'PENDING', 'ACTIVATING'];

  function deploymentView(s, dep) {
    const mine = deploymentTasks(dep);
    return clean({
      id: dep.id,
      status: dep.status,
      taskDefinition: dep.taskDefinition,
      desiredCount: dep.status === 'PRIMARY' || dep.keep ? s.desiredCount : mine.filter((x) => wanted(x) && live(x)).length,
      pendingCount: count(mine, PENDING_STATES),
      runningCount: count(mine, ['RUNNING']),
      failedTasks: dep.failedTasks,
      createdAt: secs(dep.createdAt),
      updatedAt: secs(dep.updatedAt),
      launchType: s.launchType,
      platformVersion: s.platformVersion,
      platformFamily: s.launchType === 'FARGATE' ? 'Linux' : undefined,
      networkConfiguration: s.networkConfiguration,
      rolloutState: dep.rolloutState,
      rolloutStateReason: dep.rolloutStateReason,
    });
  }

  function serviceView(s, include = []) {
    const all = serviceTasks(s);
    return clean({
      serviceArn: s.serviceArn,
      serviceName: s.serviceName,
      clusterArn: s.clusterArn,
      loadBalancers: s.loadBalancers,
      serviceRegistries: [],
      status: s.status,
      desiredCount: s.desiredCount,
      runningCount: count(all, ['RUNNING']),
      pendingCount: count(all, PENDING_STATES),
      launchType: s.launchType,
      platformVersion: s.platformVersion,
      platformFamily: s.launchType === 'FARGATE' ? 'Linux' : undefined,
      taskDefinition: s.taskDefinition,
      deploymentConfiguration: s.deploymentConfiguration,
      deployments: s.deployments.map((dep) => deploymentView(s, dep)),
      roleArn: s.roleArn,
      events: s.events.map((e) => ({ id: e.id, createdAt: secs(e.createdAt), message: e.message })),
      createdAt: secs(s.createdAt),
      currentServiceDeployment: s.currentServiceDeployment,
      currentServiceRevisions: currentRevisions(s),
      placementConstraints: [],
      placementStrategy: [],
      networkConfiguration: s.networkConfiguration,
      healthCheckGracePeriodSeconds: s.healthCheckGracePeriodSeconds,
      schedulingStrategy: 'REPLICA',
      deploymentController: { type: 'ECS' },
      tags: include.includes('TAGS') ? s.tags : undefined,
      createdBy: `arn:aws:iam::${ACCOUNT}:root`,
      enableECSManagedTags: s.enableECSManagedTags,
      propagateTags: s.propagateTags,
      enableExecuteCommand: s.enableExecuteCommand,
      availabilityZoneRebalancing: s.availabilityZoneRebalancing,
    });
  }

  function revisionCounts(s, revisionArn) {
    const deps = s.deployments.filter((x) => x.revisionArn === revisionArn);
    const mine = deps.flatMap(deploymentTasks);
    return {
      arn: revisionArn,
      requestedTaskCount: deps.some((x) => x.status === 'PRIMARY' || x.keep) ? s.desiredCount : mine.filter((x) => wanted(x) && live(x)).length,
      runningTaskCount: count(mine, ['RUNNING']),
      pendingTaskCount: count(mine, PENDING_STATES),
    };
  }

  function currentRevisions(s) {
    const arns = [...new Set(s.deployments.filter((x) => x.status === 'PRIMARY' || deploymentTasks(x).some(live)).map((x) => x.revisionArn))];
    return arns.map((arn) => revisionCounts(s, arn));
  }

  function serviceDeploymentView(sd) {
    const s = services.get(sd.serviceArn);
    const weighted = sd.strategy !== 'ROLLING';
    const target = { ...revisionCounts(s, sd.targetRevisionArn) };
    if (weighted) {
      target.requestedProductionTrafficWeight = sd.staged ? sd.weights.production : 100;
      target.requestedTestTrafficWeight = sd.staged ? sd.weights.test : 100;
    }
    return clean({
      serviceDeploymentArn: sd.serviceDeploymentArn,
      serviceArn: sd.serviceArn,
      clusterArn: sd.clusterArn,
      createdAt: secs(sd.createdAt),
      startedAt: secs(sd.startedAt),
      finishedAt: secs(sd.finishedAt),
      stoppedAt: secs(sd.stoppedAt),
      updatedAt: secs(sd.updatedAt),
      sourceServiceRevisions: sd.sourceRevisionArns.map((arn) => {
        const r = revisionCounts(s, arn);
        if (weighted) {
          r.requestedProductionTrafficWeight = sd.staged ? 100 - sd.weights.production : 0;
          r.requestedTestTrafficWeight = sd.staged ? 100 - sd.weights.test : 0;
        }
        return r;
      }),
      targetServiceRevision: target,
      status: sd.status,
      statusReason: sd.statusReason,
      lifecycleStage: sd.lifecycleStage,
      lifecycleHookDetails: sd.hooks.map((h) => ({ hookId: h.hookId, targetType: h.targetType, targetArn: h.targetArn, status: h.status, expiresAt: secs(h.expiresAtMs), timeoutAction: h.timeoutAction })),
      deploymentConfiguration: sd.deploymentConfiguration,
      rollback: sd.rollback ? { reason: sd.rollback.reason, startedAt: secs(sd.rollback.startedAt), serviceRevisionArn: sd.rollback.serviceRevisionArn } : undefined,
      deploymentCircuitBreaker: sd.circuitBreaker,
      alarms: { status: 'DISABLED' },
    });
  }

  function taskView(task) {
    return clean({
      attachments: [],
      availabilityZone: task.availabilityZone,
      clusterArn: task.clusterArn,
      connectivity: task.connectivityAtMs ? 'CONNECTED' : undefined,
      connectivityAt: secs(task.connectivityAtMs),
      containers: task.containers.map((c) => ({
        containerArn: c.containerArn,
        taskArn: c.taskArn,
        name: c.name,
        image: c.image,
        imageDigest: c.imageDigest,
        runtimeId: c.runtimeId,
        lastStatus: c.lastStatus,
        exitCode: c.exitCode,
        reason: c.reason,
        networkBindings: c.networkBindings,
        networkInterfaces: c.networkInterfaces,
        healthStatus: c.healthStatus,
        cpu: c.cpu,
        memory: c.memory,
      })),
      cpu: task.cpu,
      memory: task.memory,
      createdAt: secs(task.createdAtMs),
      desiredStatus: task.desiredStatus,
      enableExecuteCommand: false,
      executionStoppedAt: secs(task.executionStoppedAtMs),
      group: task.group,
      healthStatus: task.healthStatus,
      lastStatus: task.lastStatus,
      launchType: task.launchType,
      platformVersion: task.platformVersion,
      platformFamily: task.platformFamily,
      pullStartedAt: secs(task.pullStartedAtMs),
      pullStoppedAt: secs(task.pullStoppedAtMs),
      startedAt: secs(task.startedAtMs),
      startedBy: task.startedBy,
      stopCode: task.stopCode,
      stoppedAt: secs(task.stoppedAtMs),
      stoppedReason: task.stoppedReason,
      stoppingAt: secs(task.stoppingAtMs),
      tags: [],
      taskArn: task.taskArn,
      taskDefinitionArn: task.taskDefinitionArn,
      version: task.version,
    });
  }

  // ---------------------------------------------------------------- operations

  function page(list, maxResults, nextToken, limit = 100) {
    const start = nextToken ? Number(Buffer.from(nextToken, 'base64').toString()) || 0 : 0;
    const size = Math.min(maxResults ?? limit, limit);
    const items = list.slice(start, start + size);
    const next = start + size < list.length ? Buffer.from(String(start + size)).toString('base64') : undefined;
    return { items, nextToken: next };
  }

  function findServiceDeployment(arn) {
    const sd = serviceDeployments.get(arn);
    if (!sd) throw new EcsError('ServiceDeploymentNotFoundException', 'The service deployment does not exist.');
    return sd;
  }

  const operations = {
    async CreateService(b) {
      const cluster = await resolveCluster(b.cluster);
      if (!b.serviceName) throw invalid('serviceName must be specified.');
      const arn = serviceArnOf(cluster.name, b.serviceName);
      const existing = services.get(arn);
      if (existing && existing.status !== 'INACTIVE') throw invalid('Creation of service was not idempotent.');
      if (b.deploymentController?.type && b.deploymentController.type !== 'ECS') throw new EcsError('UnsupportedFeatureException', 'The local AWS runs services with the ECS deployment controller only.');
      if (b.desiredCount !== undefined && (!Number.isInteger(b.desiredCount) || b.desiredCount < 0)) throw invalid('desiredCount must be a non-negative integer.');
      const deploymentConfiguration = normaliseDeploymentConfiguration(b.deploymentConfiguration);
      validateLoadBalancers(deploymentConfiguration.strategy, b.loadBalancers);
      await checkLoadBalancerResources(deploymentConfiguration.strategy, b.loadBalancers ?? []);
      const td = await readTaskDefinition(b.taskDefinition);
      const images = await containerImages(td);
      const launchType = b.launchType ?? (b.capacityProviderStrategy ? undefined : 'EC2');
      const s = {
        serviceArn: arn,
        serviceName: b.serviceName,
        clusterArn: cluster.arn,
        clusterName: cluster.name,
        loadBalancers: b.loadBalancers ?? [],
        status: 'ACTIVE',
        desiredCount: b.desiredCount ?? 0,
        launchType,
        platformVersion: launchType === 'FARGATE' ? (b.platformVersion ?? 'LATEST') : undefined,
        deploymentConfiguration,
        roleArn: b.role,
        events: [],
        createdAt: now(),
        networkConfiguration: b.networkConfiguration,
        healthCheckGracePeriodSeconds: b.healthCheckGracePeriodSeconds ?? (b.loadBalancers?.length ? 0 : undefined),
        tags: b.tags ?? [],
        enableECSManagedTags: b.enableECSManagedTags ?? false,
        propagateTags: b.propagateTags ?? 'NONE',
        enableExecuteCommand: b.enableExecuteCommand ?? false,
        availabilityZoneRebalancing: b.availabilityZoneRebalancing ?? 'ENABLED',
        deployments: [],
      };
      services.set(arn, s);
      startDeployment(s, td, images);
      return { service: serviceView(s) };
    },

    async UpdateService(b) {
      const cluster = await resolveCluster(b.cluster);
      const s = requireService(cluster, b.service);
      if (s.status !== 'ACTIVE') throw new EcsError('ServiceNotActiveException', 'Service was not ACTIVE.');
      if (b.desiredCount !== undefined && (!Number.isInteger(b.desiredCount) || b.desiredCount < 0)) throw invalid('desiredCount must be a non-negative integer.');
      const deploymentConfiguration = b.deploymentConfiguration ? normaliseDeploymentConfiguration(b.deploymentConfiguration, s.deploymentConfiguration) : s.deploymentConfiguration;
      const loadBalancers = b.loadBalancers ?? s.loadBalancers;
      validateLoadBalancers(deploymentConfiguration.strategy, loadBalancers);
      if (b.loadBalancers || b.deploymentConfiguration?.strategy) await checkLoadBalancerResources(deploymentConfiguration.strategy, loadBalancers);
      const td = b.taskDefinition ? await readTaskDefinition(b.taskDefinition) : undefined;
      const images = td ? await containerImages(td) : undefined;
      s.deploymentConfiguration = deploymentConfiguration;
      s.loadBalancers = loadBalancers;
      if (b.networkConfiguration) s.networkConfiguration = b.networkConfiguration;
      if (b.healthCheckGracePeriodSeconds !== undefined) s.healthCheckGracePeriodSeconds = b.healthCheckGracePeriodSeconds;
      if (b.platformVersion) s.platformVersion = b.platformVersion;
      if (b.enableExecuteCommand !== undefined) s.enableExecuteCommand = b.enableExecuteCommand;
      if (b.desiredCount !== undefined) s.desiredCount = b.desiredCount;
      const primary = primaryOf(s);
      const changed = td && td.taskDefinitionArn !== primary?.taskDefinition;
      if (changed || b.forceNewDeployment) {
        startDeployment(s, td ?? primary.taskDefinitionInfo, images ?? primary.images);
      } else if (b.desiredCount !== undefined && primary?.rolloutState === 'COMPLETED') {
        s.steady = false;
      }
      return { service: serviceView(s) };
    },

    async DescribeServices(b) {
      const cluster = await resolveCluster(b.cluster);
      if (!Array.isArray(b.services) || b.services.length === 0) throw invalid('Services cannot be empty.');
      if (b.services.length > 10) throw invalid('Services cannot contain more than 10 elements.');
      const out = { services: [], failures: [] };
      for (const ref of b.services) {
        const s = findService(cluster, ref);
        if (s) out.services.push(serviceView(s, b.include ?? []));
        else out.failures.push({ arn: String(ref).startsWith('arn:') ? ref : serviceArnOf(cluster.name, ref), reason: 'MISSING' });
      }
      return out;
    },

    async ListServices(b) {
      const cluster = await resolveCluster(b.cluster);
      const arns = [...services.values()]
        .filter((s) => s.clusterArn === cluster.arn && s.status !== 'INACTIVE' && (!b.launchType || s.launchType === b.launchType))
        .map((s) => s.serviceArn);
      const { items, nextToken } = page(arns, b.maxResults, b.nextToken, 100);
      return clean({ serviceArns: items, nextToken });
    },

    async DeleteService(b) {
      const cluster = await resolveCluster(b.cluster);
      const s = requireService(cluster, b.service);
      if (s.status === 'INACTIVE') throw new EcsError('ServiceNotActiveException', 'Service was not ACTIVE.');
      if (s.desiredCount > 0 && !b.force) throw invalid('The service cannot be stopped while it is scaled above 0.');
      s.status = 'DRAINING';
      s.desiredCount = 0;
      for (const task of serviceTasks(s).filter(wanted)) stopTask(task, { reason: 'Service deleted', stopCode: 'ServiceSchedulerInitiated', failed: false });
      return { service: serviceView(s) };
    },

    async ListTasks(b) {
      const cluster = await resolveCluster(b.cluster);
      let list = [...tasks.values()].filter((x) => x.clusterArn === cluster.arn);
      if (b.serviceName) {
        const s = requireService(cluster, b.serviceName);
        list = list.filter((x) => x.serviceArn === s.serviceArn);
      }
      const desired = b.desiredStatus ?? 'RUNNING';
      list = list.filter((x) => x.desiredStatus === desired || (desired === 'PENDING' && PENDING_STATES.includes(x.lastStatus)));
      if (b.startedBy) list = list.filter((x) => x.startedBy === b.startedBy);
      if (b.family) list = list.filter((x) => x.taskDefinitionArn.split('/').pop().split(':')[0] === b.family);
      if (b.launchType) list = list.filter((x) => x.launchType === b.launchType);
      const { items, nextToken } = page(list.map((x) => x.taskArn), b.maxResults, b.nextToken, 100);
      return clean({ taskArns: items, nextToken });
    },

    async DescribeTasks(b) {
      const cluster = await resolveCluster(b.cluster);
      if (!Array.isArray(b.tasks) || b.tasks.length === 0) throw invalid('Tasks cannot be empty.');
      if (b.tasks.length > 100) throw invalid('Tasks cannot contain more than 100 elements.');
      const out = { tasks: [], failures: [] };
      for (const ref of b.tasks) {
        const id = String(ref).split('/').pop();
        const task = tasks.get(`${arnPrefix}:task/${cluster.name}/${id}`);
        if (task) out.tasks.push(taskView(task));
        else out.failures.push({ arn: String(ref).startsWith('arn:') ? ref : `${arnPrefix}:task/${cluster.name}/${id}`, reason: 'MISSING' });
      }
      return out;
    },

    async StopTask(b) {
      const cluster = await resolveCluster(b.cluster);
      const id = String(b.task ?? '').split('/').pop();
      const task = tasks.get(`${arnPrefix}:task/${cluster.name}/${id}`);
      if (!task) throw invalid('The referenced task was not found.');
      if (wanted(task)) stopTask(task, { reason: b.reason ?? 'Task stopped by user', stopCode: 'UserInitiated', failed: false });
      return { task: taskView(task) };
    },

    async ListServiceDeployments(b) {
      const cluster = await resolveCluster(b.cluster);
      const s = requireService(cluster, b.service);
      let list = [...serviceDeployments.values()].filter((sd) => sd.serviceArn === s.serviceArn);
      if (b.status?.length) list = list.filter((sd) => b.status.includes(sd.status));
      const after = b.createdAt?.after !== undefined ? Number(b.createdAt.after) * 1000 : undefined;
      const before = b.createdAt?.before !== undefined ? Number(b.createdAt.before) * 1000 : undefined;
      if (after !== undefined) list = list.filter((sd) => sd.createdAt >= after);
      if (before !== undefined) list = list.filter((sd) => sd.createdAt <= before);
      list.sort((x, y) => y.createdAt - x.createdAt);
      const { items, nextToken } = page(list, b.maxResults, b.nextToken, 100);
      return clean({
        serviceDeployments: items.map((sd) => ({
          serviceDeploymentArn: sd.serviceDeploymentArn,
          serviceArn: sd.serviceArn,
          clusterArn: sd.clusterArn,
          startedAt: secs(sd.startedAt),
          createdAt: secs(sd.createdAt),
          finishedAt: secs(sd.finishedAt),
          targetServiceRevisionArn: sd.targetRevisionArn,
          status: sd.status,
          statusReason: sd.statusReason,
        })),
        nextToken,
      });
    },

    async DescribeServiceDeployments(b) {
      if (!Array.isArray(b.serviceDeploymentArns) || b.serviceDeploymentArns.length === 0) throw invalid('serviceDeploymentArns cannot be empty.');
      const out = { serviceDeployments: [], failures: [] };
      for (const arn of b.serviceDeploymentArns) {
        const sd = serviceDeployments.get(arn);
        if (sd) out.serviceDeployments.push(serviceDeploymentView(sd));
        else out.failures.push({ arn, reason: 'MISSING' });
      }
      return out;
    },

    async DescribeServiceRevisions(b) {
      if (!Array.isArray(b.serviceRevisionArns) || b.serviceRevisionArns.length === 0) throw invalid('serviceRevisionArns cannot be empty.');
      const out = { serviceRevisions: [], failures: [] };
      for (const arn of b.serviceRevisionArns) {
        const r = revisions.get(arn);
        if (r) out.serviceRevisions.push(clean({ ...r, createdAt: secs(r.createdAt) }));
        else out.failures.push({ arn, reason: 'MISSING' });
      }
      return out;
    },

    async StopServiceDeployment(b) {
      const sd = findServiceDeployment(b.serviceDeploymentArn);
      if (!['PENDING', 'IN_PROGRESS'].includes(sd.status)) throw new EcsError('ConflictException', `The service deployment is ${sd.status} and cannot be stopped.`);
      const stopType = b.stopType ?? 'ROLLBACK';
      if (!['ROLLBACK', 'ABORT'].includes(stopType)) throw invalid('stopType must be ROLLBACK or ABORT.');
      sd.updatedAt = now();
      if (stopType === 'ROLLBACK') {
        sd.status = 'ROLLBACK_REQUESTED';
        sd.rollbackRequestReason = 'Rollback requested by StopServiceDeployment.';
      } else sd.status = 'STOP_REQUESTED';
      return { serviceDeploymentArn: sd.serviceDeploymentArn };
    },

    async ContinueServiceDeployment(b) {
      const sd = findServiceDeployment(b.serviceDeploymentArn);
      const hook = sd.hooks.find((h) => h.hookId === b.hookId);
      if (!hook || hook.status !== 'AWAITING_ACTION' || sd.status !== 'IN_PROGRESS') throw invalid(`No lifecycle hook ${b.hookId} is awaiting action in this service deployment.`);
      const action = b.action ?? 'CONTINUE';
      if (!['CONTINUE', 'ROLLBACK'].includes(action)) throw invalid('action must be CONTINUE or ROLLBACK.');
      sd.updatedAt = now();
      if (action === 'CONTINUE') hook.status = 'SUCCEEDED';
      else {
        hook.status = 'FAILED';
        sd.status = 'ROLLBACK_REQUESTED';
        sd.rollbackRequestReason = `Rollback requested by ContinueServiceDeployment at ${sd.lifecycleStage}.`;
      }
      return { serviceDeploymentArn: sd.serviceDeploymentArn };
    },
  };

  async function handle(operation, body) {
    const op = operations[operation];
    if (!op) throw new EcsError('InvalidParameterException', `Unsupported operation ${operation}`);
    const out = await op(body ?? {});
    tick(); // a change shows at once in the next read
    return out;
  }

  /** Counts moto leaves at 0, from the engine's own services and tasks. */
  function clusterCounts(clusterArn) {
    const list = [...tasks.values()].filter((x) => x.clusterArn === clusterArn);
    return {
      activeServicesCount: [...services.values()].filter((s) => s.clusterArn === clusterArn && s.status === 'ACTIVE').length,
      runningTasksCount: count(list, ['RUNNING']),
      pendingTasksCount: count(list, PENDING_STATES),
    };
  }

  function reset() {
    const removing = runtime?.removeAll();
    services = new Map();
    tasks = new Map();
    serviceDeployments = new Map();
    revisions = new Map();
    behaviours = new Map();
    hookResults = new Map();
    return removing;
  }

  let timer;
  const tickMs = Math.max(5, Math.min(250, 1000 * timeScale));
  return {
    owns: (operation) => Object.hasOwn(operations, operation),
    handle,
    tick,
    clusterCounts,
    setBehaviour,
    setHookResult,
    reset,
    /** Real containers from now on for images in the runtime's registry (undefined: simulated tasks only). */
    async setRuntime(next) {
      if (runtime && runtime !== next) await runtime.removeAll();
      runtime = next;
    },
    get runtime() {
      return runtime;
    },
    start() {
      timer = setInterval(() => {
        try {
          tick();
        } catch (e) {
          console.error('local-aws engine tick failed:', e);
        }
      }, tickMs);
    },
    async stop() {
      clearInterval(timer);
      await runtime?.removeAll();
    },
  };
}

function hashOf(text) {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
  return h;
}
