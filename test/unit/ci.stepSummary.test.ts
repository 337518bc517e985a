import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { appendStepSummary, serviceConsoleUrl, updateSummaryMarkdown, validateSummaryMarkdown } from '../../src/cli/stepSummary';
import type { CommandContext } from '../../src/cli/framework';

const TD = (n: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/mcp-server-production:${n}`;

describe('GitHub step summaries of deploy, rollback and validate', () => {
  it('a deploy: verdict first, image, revisions, deployment and the console link; table cells cannot be broken by | or a newline', () => {
    const text = updateSummaryMarkdown({
      command: 'deploy',
      region: 'eu-west-1',
      cluster: 'sales-prod',
      service: 'api',
      image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:v1.2.0',
      previousTaskDefinitionArn: TD(4),
      taskDefinitionArn: TD(5),
      deploymentId: 'ecs-svc/123',
      outcome: 'failed',
      reason: 'ROLLBACK_SUCCESSFUL | 2 tasks stopped\nsecond line',
      rollback: { taskDefinitionArn: TD(4), outcome: 'succeeded', reason: 'back on 4' },
    });
    const lines = text.split('\n');
    assert.equal(lines[0], '### Deploy to `sales-prod/api`');
    assert.equal(lines[4], '| Verdict | **failed**: ROLLBACK_SUCCESSFUL \\| 2 tasks stopped |');
    assert.ok(lines.includes('| Image | `123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:v1.2.0` |'));
    assert.ok(lines.includes('| Revision | mcp-server-production:4 → mcp-server-production:5 |'));
    assert.ok(lines.includes('| Deployment | `ecs-svc/123` |'));
    assert.ok(lines.includes('| Rolled back to | mcp-server-production:4: succeeded. back on 4 |'));
    assert.ok(lines.includes('| Service | [open in the ECS console](https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/sales-prod/services/api/deployments?region=eu-west-1) |'));
    assert.ok(!text.includes('second line'), 'only the reason\'s first line');
  });

  it('the console link takes names out of ARNs', () => {
    assert.equal(
      serviceConsoleUrl('us-east-1', 'arn:aws:ecs:us-east-1:1:cluster/c1', 'arn:aws:ecs:us-east-1:1:service/c1/s1'),
      'https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/c1/services/s1/deployments?region=us-east-1',
    );
  });

  it('a validation: the verdict and its reasons, revision, image per container, tasks', () => {
    const text = validateSummaryMarkdown({ region: 'us-east-1', cluster: 'c', service: 's', verdict: 'unhealthy', reasons: ['1/2 running', 'a task failed its health check'], taskDefinitionArn: TD(7), images: { web: 'repo:v1' }, runningCount: 1, desiredCount: 2 });
    assert.match(text, /^### Validation of `c\/s`\n\n\*\*unhealthy\*\*: 1\/2 running\n\n- a task failed its health check\n/);
    assert.match(text, /\| Revision \| mcp-server-production:7 \|\n\| Image of web \| `repo:v1` \|\n\| Tasks \| 1\/2 running \|/);
  });

  it('appends to the file GITHUB_STEP_SUMMARY names, and writes nothing without it', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-deploy-summary-')), 'summary.md');
    fs.writeFileSync(file, 'before\n');
    await appendStepSummary({ env: { GITHUB_STEP_SUMMARY: file } } as unknown as CommandContext, '### one');
    await appendStepSummary({ env: {} } as unknown as CommandContext, '### never');
    await appendStepSummary({ env: { GITHUB_STEP_SUMMARY: file } } as unknown as CommandContext, '### two\n');
    assert.equal(fs.readFileSync(file, 'utf8'), 'before\n### one\n### two\n');
    fs.rmSync(path.dirname(file), { recursive: true });
  });
});
