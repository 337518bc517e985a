/** The stopped-task classifier on stoppedReason and container reason strings as ECS writes them (AWS's troubleshooting pages and the local AWS). */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Task } from '@aws-sdk/client-ecs';
import { classifyStoppedTask } from '../../src/core/doctor/stoppedTasks';
import { stoppedTasksCheck } from '../../src/app/doctor/diagnose';
import type { DoctorCheck } from '../../src/app/doctor/report';

describe('stopped tasks: classified from what ECS says', () => {
  it('CannotPullContainerError, in the task reason or the container reason', () => {
    const notFound = classifyStoppedTask({
      stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v9: 123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v9: not found',
      stopCode: 'TaskFailedToStart',
    });
    assert.equal(notFound.kind, 'cannot-pull');
    assert.deepEqual(notFound.relatedChecks, ['image-exists', 'execution-role-can-pull']);
    const denied = classifyStoppedTask({
      stoppedReason: 'Task failed to start',
      containers: [{ name: 'app', reason: 'CannotPullContainerError: ref pull has been retried 1 time(s): failed to copy: httpReadSeeker: failed open: unexpected status code https://123456789012.dkr.ecr.us-east-1.amazonaws.com/v2/web/manifests/sha256:abc: 403 Forbidden' }],
    });
    assert.equal(denied.kind, 'cannot-pull');
    assert.ok(denied.failure);
  });

  it('ResourceInitializationError names what ECS was fetching', () => {
    const secret = classifyStoppedTask({
      stoppedReason:
        'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf from secrets manager: ResourceNotFoundException: Secrets Manager can\'t find the specified secret.',
    });
    assert.equal(secret.kind, 'resource-initialization');
    assert.equal(secret.part, 'secrets');
    assert.deepEqual(secret.relatedChecks, ['secrets-exist']);
    const ssm = classifyStoppedTask({ stoppedReason: 'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s): AccessDeniedException: User is not authorized to perform: ssm:GetParameters' });
    assert.equal(ssm.part, 'secrets');
    const logs = classifyStoppedTask({ stoppedReason: 'ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1' });
    assert.equal(logs.part, 'logs');
    assert.deepEqual(logs.relatedChecks, ['log-group-exists']);
    const auth = classifyStoppedTask({ stoppedReason: 'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): AccessDeniedException: not authorized to perform: ecr:GetAuthorizationToken' });
    assert.equal(auth.part, 'registry-auth');
    const network = classifyStoppedTask({ stoppedReason: 'ResourceInitializationError: unable to pull registry auth: RequestError: send request failed caused by: Post "https://api.ecr.us-east-1.amazonaws.com/": dial tcp 52.46.1.1:443: i/o timeout' });
    assert.equal(network.part, 'network');
    assert.match(network.summary, /NAT or VPC endpoint/);
  });

  it('an essential container that exited, with its code', () => {
    const crash = classifyStoppedTask({ stoppedReason: 'Essential container in task exited', stopCode: 'EssentialContainerExited', containers: [{ name: 'sidecar', exitCode: 0, essential: false }, { name: 'app', exitCode: 1, essential: true }] });
    assert.equal(crash.kind, 'essential-exited');
    assert.equal(crash.container, 'app');
    assert.equal(crash.exitCode, 1);
    assert.equal(crash.summary, 'Essential container app exited with code 1');
    const killed = classifyStoppedTask({ stoppedReason: 'Essential container in task exited', containers: [{ name: 'app', exitCode: 137 }] });
    assert.match(killed.summary, /code 137 \(killed/);
  });

  it('OutOfMemoryError from the container reason', () => {
    const oom = classifyStoppedTask({ stoppedReason: 'Essential container in task exited', containers: [{ name: 'app', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' }] });
    assert.equal(oom.kind, 'out-of-memory');
    assert.equal(oom.container, 'app');
    assert.match(oom.summary, /more memory than its limit/);
  });

  it('exec format error, in the container reason or only in its last log lines', () => {
    const inReason = classifyStoppedTask({ stoppedReason: 'Essential container in task exited', containers: [{ name: 'app', exitCode: 1, reason: 'CannotStartContainerError: Error response from daemon: failed to create shim task: OCI runtime create failed: exec: "/app/server": exec format error' }] });
    assert.equal(inReason.kind, 'exec-format');
    assert.deepEqual(inReason.relatedChecks, ['platform-matches']);
    const inLogs = classifyStoppedTask({ stoppedReason: 'Essential container in task exited', containers: [{ name: 'app', exitCode: 255 }], logLines: ['exec /usr/local/bin/docker-entrypoint.sh: exec format error'] });
    assert.equal(inLogs.kind, 'exec-format');
    assert.equal(inLogs.exitCode, 255);
  });

  it('health checks: the container\'s and the load balancer\'s', () => {
    assert.equal(classifyStoppedTask({ stoppedReason: 'Task failed container health checks', stopCode: 'TaskFailedToStart' }).kind, 'health-check');
    const elb = classifyStoppedTask({ stoppedReason: 'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef)' });
    assert.equal(elb.kind, 'load-balancer-health-check');
    assert.deepEqual(elb.relatedChecks, ['health-check']);
  });

  it('the scheduler replacing or scaling in a task is not a failure', () => {
    const scaled = classifyStoppedTask({ stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/1234567890123456789)', stopCode: 'ServiceSchedulerInitiated' });
    assert.equal(scaled.kind, 'scaled-in');
    assert.equal(scaled.failure, false);
    const other = classifyStoppedTask({ stoppedReason: 'Something new', stopCode: 'SpotInterruption' });
    assert.equal(other.kind, 'other');
    assert.equal(other.failure, false);
  });
});

describe('stopped-tasks check: grouped, with the likely cause from the other checks', () => {
  const task = (id: string, stoppedReason: string, exitCode?: number): Task => ({ taskArn: `arn:aws:ecs:us-east-1:123456789012:task/c/${id}`, stoppedReason, containers: [{ name: 'app', ...(exitCode !== undefined ? { exitCode } : {}) }] });
  const classified = (t: Task) => ({ task: t, verdict: classifyStoppedTask({ stoppedReason: t.stoppedReason, containers: t.containers }) });

  it('a failed pull names image-exists when that check found a problem, and quotes only a few tasks of one kind', () => {
    const tasks = Array.from({ length: 6 }, (_, i) => classified(task(`t${i}`, 'CannotPullContainerError: pull image manifest has been retried 7 time(s): not found')));
    const imageMissing: DoctorCheck = { id: 'image-exists', status: 'problem', message: 'web has no image v9.', evidence: [] };
    const check = stoppedTasksCheck(tasks, [imageMissing]);
    assert.equal(check.status, 'problem');
    assert.match(check.message, /^6 of 6 recently stopped task\(s\) failed: 6 × CannotPullContainerError.*Likely cause: image-exists: web has no image v9\.$/);
    assert.equal(check.evidence.filter((e) => e.startsWith('task ')).length, 3);
    assert.ok(check.evidence.includes('3 more task(s): CannotPullContainerError: the image could not be pulled'));
    assert.equal(check.next, 'Fix what image-exists reports, then deploy again.');
  });

  it('with the other checks ok, an exit is the application\'s own; tasks ECS replaced are not failures', () => {
    const check = stoppedTasksCheck([classified(task('a', 'Essential container in task exited', 1)), { task: { stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/1)', stopCode: 'ServiceSchedulerInitiated' }, verdict: classifyStoppedTask({ stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/1)', stopCode: 'ServiceSchedulerInitiated' }) }], []);
    assert.match(check.message, /^1 of 2 .*Essential container app exited with code 1\. Likely cause: the application itself exited/);
    assert.ok(check.evidence.includes('1 task(s) stopped by ECS itself (replaced or scaled in), not failures'));
    assert.equal(stoppedTasksCheck([], []).status, 'ok');
  });
});
