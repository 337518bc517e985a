import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { HEADLINE_LIMIT, verdictHeadline, verdictMarkdown, type VerdictSubject } from '../../src/app/deploy/verdictStory';
import type { VerdictStory } from '../../src/core/deploy/history';
import { setTimestampStyle, formatTimestamp } from '../../src/core/text/format';

const TD = (n: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/mcp-server-production:${n}`;
const subject: VerdictSubject = { kind: 'deploy', what: 'quilt-mcp-server:v1.1.0', cluster: 'sales-prod', service: 'sales-prod-mcp-server-production' };
const story = (over: Partial<VerdictStory> = {}): VerdictStory => ({ stoppedTasks: [], events: [], runningCount: 2, desiredCount: 2, elapsedMs: 65_000, ...over });

describe('verdictHeadline', () => {
  it('a success names the counts, the revision and the time, with no deployment id', () => {
    const headline = verdictHeadline(subject, 'succeeded', story(), TD(8));
    assert.ok(headline.length <= HEADLINE_LIMIT, headline);
    assert.equal(headline, 'Deployed quilt-mcp-server:v1.1.0 to sales-prod-mcp-server-production: 2/2 tasks running in 1 min 5 s');
    assert.equal(verdictHeadline({ ...subject, what: 'api:v2', service: 'api' }, 'succeeded', story(), TD(8)), 'Deployed api:v2 to api: 2/2 tasks running mcp-server-production:8 in 1 min 5 s');
  });

  it('a long name keeps the verdict and drops detail before cutting words', () => {
    const long = { ...subject, what: 'quilt-mcp-server:jwt-auth-v1.0.0-rc.1' };
    assert.equal(verdictHeadline(long, 'succeeded', story(), TD(12)), 'Deployed quilt-mcp-server:jwt-auth-v1.0.0-rc.1 to sales-prod-mcp-server-production: 2/2 tasks…');
  });

  it('a failure says what stopped the tasks, and our rollback', () => {
    const failed = story({ stoppedTasks: [{ taskId: 'a', reason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref' }], rollback: { to: TD(7), result: 'succeeded' } });
    assert.equal(verdictHeadline(subject, 'failed', failed, TD(8)), 'Deploy of quilt-mcp-server:v1.1.0 to sales-prod-mcp-server-production failed: rolled back');
    const ecsRolledBack = story({ replacedBy: { taskDefinitionArn: TD(7), isRollback: true } });
    assert.equal(verdictHeadline(subject, 'failed', ecsRolledBack, TD(8)), 'Deploy of quilt-mcp-server:v1.1.0 to sales-prod-mcp-server-production failed: ECS rolled back');
    const short = { ...subject, what: 'api:v2', service: 'api' };
    assert.equal(verdictHeadline(short, 'failed', failed, TD(8)), 'Deploy of api:v2 to api failed: 1 task stopped (CannotPullContainerError); rolled back to revision 7');
  });

  it('a regression names the figure that crossed its limit', () => {
    const regressed = story({ verify: { verdict: 'regressed', reason: 'Regressed.', comparisons: ['response time 85 ms -> 90 ms (+6%)', '5xx rate 0.2% -> 18.4% (+18.2 points; limit +1)'] } });
    assert.equal(verdictHeadline({ ...subject, service: 'api' }, 'failed', regressed, TD(8)), 'Deploy of quilt-mcp-server:v1.1.0 to api failed verification: 5xx rate 0.2% -> 18.4%');
  });

  it('not verified, timed out, stopped watching: short and honest', () => {
    assert.equal(verdictHeadline(subject, 'unverified', story({ verify: { verdict: 'not-verified', reason: '', comparisons: [] } }), TD(8)), 'quilt-mcp-server:v1.1.0 on sales-prod-mcp-server-production is not verified: no metrics to compare');
    assert.equal(verdictHeadline({ ...subject, service: 'api' }, 'timed-out', story({ runningCount: 1 }), TD(8)), 'Deploy of quilt-mcp-server:v1.1.0 to api timed out in 1 min 5 s: 1/2 tasks running');
    assert.equal(verdictHeadline(subject, 'stopped-watching', story(), TD(8)), 'Stopped watching sales-prod-mcp-server-production: the deployment continues in ECS');
    assert.equal(verdictHeadline({ ...subject, kind: 'rollback', what: 'mcp-server-production:7' }, 'succeeded', story(), TD(7)), 'Rolled sales-prod-mcp-server-production back to mcp-server-production:7: 2/2 tasks running');
  });

  it('is never longer than the limit, whatever the names and causes', () => {
    const outcomes = ['succeeded', 'failed', 'timed-out', 'unverified', 'stopped-watching', 'not-watched', 'in-progress', 'error'] as const;
    fc.assert(
      fc.property(fc.constantFrom(...outcomes), fc.string({ maxLength: 200 }), fc.string({ minLength: 1, maxLength: 120 }), fc.string({ maxLength: 300 }), (outcome, what, service, reason) => {
        const headline = verdictHeadline({ ...subject, what, service }, outcome, story({ stoppedTasks: reason ? [{ taskId: 't', reason }] : [] }), TD(3));
        assert.ok(headline.length <= HEADLINE_LIMIT, `${headline.length}: ${headline}`);
      }),
    );
  });
});

describe('verdictMarkdown', () => {
  it('tells the whole story: reason, rollback, stopped tasks and events, times in the one format', () => {
    setTimestampStyle(() => ({ utc: true }));
    const at = '2026-12-01T21:35:42.000Z';
    const text = verdictMarkdown(
      subject,
      { at, result: 'failed', reason: 'Deployment ecs-svc/1 FAILED: tasks failed to start.', image: '1.dkr.ecr.us-east-1.amazonaws.com/quilt-mcp-server:v1.1.0', container: 'mcp-server', fromTaskDefinitionArn: TD(7), toTaskDefinitionArn: TD(8), deploymentId: 'ecs-svc/1' },
      story({ stoppedTasks: [{ taskId: 'abc', reason: 'Essential container in task exited | code 1' }], events: [{ createdAt: at, message: '(service x) has started 2 tasks.' }], rollback: { to: TD(7), result: 'succeeded' } }),
    );
    assert.match(text, /^# Deploy of quilt-mcp-server:v1\.1\.0 to sales-prod-mcp-server-production failed: rolled back\n/);
    assert.match(text, /\| Revision \| mcp-server-production:7 → mcp-server-production:8 \|/);
    assert.match(text, /\| Started \| 2026-12-01 21:35:42 UTC \|/);
    assert.match(text, /## What happened\n\nDeployment ecs-svc\/1 FAILED: tasks failed to start\./);
    assert.match(text, /## Rollback\n\nTo mcp-server-production:7: succeeded\./);
    assert.match(text, /\| `abc` \| Essential container in task exited \\\| code 1 \|/, 'a pipe in a reason does not break the table');
    assert.match(text, /- 2026-12-01 21:35:42 UTC: \(service x\) has started 2 tasks\./);
  });

  it('times follow the style the extension sets (local time unless UTC is asked for)', () => {
    const when = new Date('2026-12-01T21:35:42Z');
    setTimestampStyle(() => ({ utc: false, locale: 'en-US' }));
    try {
      assert.equal(formatTimestamp(when), when.toLocaleString('en-US', { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' }));
      assert.doesNotMatch(formatTimestamp(when), /UTC|T21/);
    } finally {
      setTimestampStyle(() => ({ utc: true }));
    }
    assert.equal(formatTimestamp(when), '2026-12-01 21:35:42 UTC');
  });
});
