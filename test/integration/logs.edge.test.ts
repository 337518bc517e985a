/** The CloudWatch Logs edge (src/aws/logs.ts) against a real moto_server, through the same clients users get. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { describeServiceLogTargets, listLogGroups, logGroupArn, tailLogGroups, type TailStatus } from '../../src/aws/logs';
import type { LogEvent } from '../../src/core/logs/events';
import { useReferenceMoto } from '../support/referenceMoto';
import { REFERENCE } from '../support/referenceWorld';

describe('CloudWatch Logs edge against moto', () => {
  const suite = useReferenceMoto();

  it('lists every log group page by page, by prefix, and stops at the maximum', async () => {
    for (let i = 0; i < 120; i++) await suite.clients.logs.send(new CreateLogGroupCommand({ logGroupName: `/ecs/svc-${String(i).padStart(3, '0')}` }));
    const pages: number[] = [];
    const all = await listLogGroups(suite.clients.logs, { onPage: (groups) => pages.push(groups.length) });
    assert.equal(all.groups.length, 121);
    assert.equal(all.truncated, false);
    assert.ok(pages.length >= 3, `read in pages of at most 50: ${pages.join(', ')}`);
    const prefixed = await listLogGroups(suite.clients.logs, { prefix: '/ecs/svc-01' });
    assert.deepEqual(prefixed.groups.map((g) => g.logGroupName), Array.from({ length: 10 }, (_, i) => `/ecs/svc-01${i}`));
    const capped = await listLogGroups(suite.clients.logs, { max: 60 });
    assert.deepEqual([capped.groups.length, capped.truncated], [60, true]);
  });

  it('finds a group\'s ARN for live tail, and says ResourceNotFoundException for a missing one', async () => {
    assert.equal(await logGroupArn(suite.clients.logs, REFERENCE.logGroup), `arn:aws:logs:us-east-1:123456789012:log-group:${REFERENCE.logGroup}`);
    await suite.clients.logs.send(new CreateLogGroupCommand({ logGroupName: `${REFERENCE.logGroup}-canary` }));
    assert.match(await logGroupArn(suite.clients.logs, REFERENCE.logGroup), /:log-group:\/ecs\/mcp-server-production$/);
    await assert.rejects(logGroupArn(suite.clients.logs, '/nope'), { name: 'ResourceNotFoundException' });
  });

  it('reads the service\'s log targets from its current task definition', async () => {
    const setup = await describeServiceLogTargets(suite.clients.ecs, REFERENCE.cluster, REFERENCE.service);
    assert.match(setup.taskDefinitionArn, /task-definition\/mcp-server-production:1$/);
    assert.deepEqual(setup.targets, [{ logGroupName: REFERENCE.logGroup, region: 'us-east-1', streamPrefixes: ['ecs/mcp-server/'], containers: [REFERENCE.container] }]);
    await assert.rejects(describeServiceLogTargets(suite.clients.ecs, REFERENCE.cluster, 'missing'), { name: 'LogSetupError', message: `Service "missing" was not found in cluster "${REFERENCE.cluster}".` });
  });

  it('follows with polling after moto refuses live tail, from history to new events', async () => {
    const abort = new AbortController();
    const delivered: LogEvent[] = [];
    const statuses: TailStatus[] = [];
    const tail = tailLogGroups(
      suite.clients.logs,
      { targets: [{ logGroupName: REFERENCE.logGroup, streamPrefixes: ['ecs/mcp-server/'], containers: [] }], startTime: Date.now() - 600_000, follow: true },
      { onEvents: (events) => void delivered.push(...events), onStatus: (status) => void statuses.push(status) },
      abort.signal,
    );
    try {
      const deadline = Date.now() + 15_000;
      while (delivered.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const stream = `${REFERENCE.logStreamPrefix}/${REFERENCE.container}/feedfacefeedface`;
      await suite.clients.logs.send(new CreateLogStreamCommand({ logGroupName: REFERENCE.logGroup, logStreamName: stream }));
      await suite.clients.logs.send(new PutLogEventsCommand({ logGroupName: REFERENCE.logGroup, logStreamName: stream, logEvents: [{ timestamp: Date.now(), message: 'new while following' }] }));
      while (delivered.length < 4 && Date.now() < deadline + 10_000) await new Promise((r) => setTimeout(r, 100));
    } finally {
      abort.abort();
      await tail;
    }
    assert.deepEqual(delivered.map((e) => e.message), ['INFO Starting quilt-mcp-server v1.0.0', 'INFO Listening on 0.0.0.0:8000', 'INFO GET /healthz 200 1ms', 'new while following']);
    assert.deepEqual(statuses[0], { state: 'fallback', reason: 'live tail is not available here (HTTP 500)' });
    assert.ok(statuses.some((s) => s.state === 'polling'));
  });
});
