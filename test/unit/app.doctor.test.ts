/**
 * The health-check check against fake ports: moto's DescribeTargetHealth answers every registered target
 * `healthy`, and the local AWS's simulated tasks are healthy unless told otherwise, so a failing target group
 * with ELB's reasons is produced here, with the shapes the SDK returns.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Service, Task, TaskDefinition } from '@aws-sdk/client-ecs';
import { healthCheck, secretRefOf, type Diagnosis } from '../../src/app/doctor/checks';
import { trustsEcsTasks } from '../../src/app/doctor/executionRole';

const TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/0123456789abcdef';

function diagnosis({ tasks = [] as Task[], withHealthCheck = true, loadBalanced = true, targetState = 'healthy' } = {}): Diagnosis {
  const taskDefinition: TaskDefinition = {
    containerDefinitions: [{ name: 'app', image: 'x', ...(withHealthCheck ? { healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:8000/healthz || exit 1'], interval: 10 } } : {}) }],
  };
  const service: Service = { serviceName: 'web', clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/c', ...(loadBalanced ? { loadBalancers: [{ targetGroupArn: TG, containerName: 'app', containerPort: 8000 }] } : {}) };
  const edge = {
    ecs: { listServiceTasks: async () => tasks },
    elbv2: {
      describeTargetGroups: async () => [{ TargetGroupArn: TG, TargetGroupName: 'web-tg', HealthCheckPath: '/healthz', HealthCheckPort: 'traffic-port', HealthCheckProtocol: 'HTTP', Matcher: { HttpCode: '200-299' } }],
      describeTargetHealth: async () => [
        { Target: { Id: '10.0.1.5', Port: 8000 }, TargetHealth: targetState === 'healthy' ? { State: 'healthy' } : { State: 'unhealthy', Reason: 'Target.ResponseCodeMismatch', Description: 'Health checks failed with these codes: [503]' } },
      ],
    },
  };
  return { access: { edge, clients: {} } as never, service, taskDefinition, region: 'us-east-1', account: '123456789012', executionRole: async () => ({ kind: 'none' }) };
}

const running = (health: 'HEALTHY' | 'UNHEALTHY'): Task => ({ taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/c/abcdef0123', lastStatus: 'RUNNING', desiredStatus: 'RUNNING', containers: [{ name: 'app', healthStatus: health }] });

describe('health-check: the container health check and the load balancer\'s', () => {
  it('unhealthy targets and failing containers are a problem, with the path, the expected code and ELB\'s reason', async () => {
    const check = await healthCheck(diagnosis({ tasks: [running('UNHEALTHY')], targetState: 'unhealthy' }));
    assert.equal(check.status, 'problem');
    assert.match(check.message, /1 running task\(s\) fail the container health check; 1 target\(s\) of web-tg are unhealthy \(Target\.ResponseCodeMismatch\)/);
    const evidence = check.evidence.join('\n');
    assert.match(evidence, /app: CMD-SHELL curl -f http:\/\/localhost:8000\/healthz \|\| exit 1 \(every 10 s/);
    assert.match(evidence, /target group web-tg: health check HTTP \/healthz on port traffic-port, expects 200-299/);
    assert.match(evidence, /10\.0\.1\.5:8000 unhealthy \(Target\.ResponseCodeMismatch: Health checks failed with these codes: \[503\]\)/);
    assert.deepEqual(check.followUps, ['tail-logs', 'show-metrics']);
  });

  it('healthy containers and targets are ok; nothing that checks health is unknown, with how to add one', async () => {
    assert.equal((await healthCheck(diagnosis({ tasks: [running('HEALTHY')] }))).status, 'ok');
    const unchecked = await healthCheck(diagnosis({ withHealthCheck: false, loadBalanced: false }));
    assert.equal(unchecked.status, 'unknown');
    assert.match(unchecked.next ?? '', /Add a healthCheck/);
    const noTasks = await healthCheck(diagnosis({ loadBalanced: false }));
    assert.equal(noTasks.status, 'unknown');
    assert.match(noTasks.message, /No task is running/);
  });
});

describe('where a secret comes from, and who may assume the role', () => {
  it('valueFrom: SSM parameter ARNs and names, Secrets Manager ARNs with a JSON key and version', () => {
    assert.deepEqual(secretRefOf('arn:aws:ssm:us-east-1:123456789012:parameter/app/db/password', 'us-east-1', '123456789012'), {
      store: 'ssm',
      region: 'us-east-1',
      id: '/app/db/password',
      arn: 'arn:aws:ssm:us-east-1:123456789012:parameter/app/db/password',
    });
    assert.equal(secretRefOf('arn:aws:ssm:eu-west-1:123456789012:parameter/flat-name', 'us-east-1', '123456789012').id, 'flat-name');
    assert.equal(secretRefOf('arn:aws:ssm:eu-west-1:123456789012:parameter/flat-name', 'us-east-1', '123456789012').region, 'eu-west-1');
    assert.deepEqual(secretRefOf('/app/token', 'us-east-1', '123456789012'), { store: 'ssm', region: 'us-east-1', id: '/app/token', arn: 'arn:aws:ssm:us-east-1:123456789012:parameter/app/token' });
    assert.equal(secretRefOf('plain', 'us-east-1', '123456789012').arn, 'arn:aws:ssm:us-east-1:123456789012:parameter/plain');
    const secret = secretRefOf('arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf:password::', 'us-east-1', '123456789012');
    assert.equal(secret.store, 'secretsmanager');
    assert.equal(secret.id, 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf', 'the JSON key and version parts are not the secret');
  });

  it('the trust policy must let ecs-tasks.amazonaws.com assume the role', () => {
    const trust = (principal: unknown, action: unknown = 'sts:AssumeRole') => encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: action }] }));
    assert.ok(trustsEcsTasks(trust({ Service: 'ecs-tasks.amazonaws.com' })));
    assert.ok(trustsEcsTasks(trust({ Service: ['ec2.amazonaws.com', 'ecs-tasks.amazonaws.com'] }, ['sts:AssumeRole', 'sts:TagSession'])));
    assert.ok(!trustsEcsTasks(trust({ Service: 'ec2.amazonaws.com' })));
    assert.ok(!trustsEcsTasks(trust({ Service: 'ecs-tasks.amazonaws.com' }, 'sts:TagSession')));
    assert.ok(!trustsEcsTasks(undefined));
    assert.ok(!trustsEcsTasks('not json'));
  });
});
