import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { workflowFlagProblems } from '../../src/app/ci/workflowFlags';
import { releaseWorkflowText, resolveWorkflowOptions } from '../../src/app/ci/releaseWorkflow';
import { COMMAND_FLAGS, GLOBAL_FLAGS, type CommandFlags } from '../../src/core/ci/cliFlags';
import { commandsFor } from '../../src/cli/commands';
import { GLOBAL_OPTIONS, type CommandDefinition } from '../../src/cli/framework';

function flagsOf(options: CommandDefinition['options']): CommandFlags {
  const entries = Object.entries(options);
  return {
    values: entries.filter(([, o]) => o.type === 'string').map(([n]) => n).sort(),
    switches: entries.filter(([, o]) => o.type === 'boolean').map(([n]) => n).sort(),
    shorts: Object.fromEntries(entries.filter(([, o]) => o.short).map(([n, o]) => [o.short!, n])),
  };
}
const sorted = (f: CommandFlags): CommandFlags => ({ values: [...f.values].sort(), switches: [...f.switches].sort(), shorts: f.shorts });

describe('the flag table the editor checks workflows with', () => {
  it('is the CLI\'s own: every command, every flag, which take a value, the short forms', async () => {
    const COMMANDS = await commandsFor([]);
    assert.deepEqual(Object.keys(COMMAND_FLAGS), COMMANDS.map((c) => c.name));
    for (const command of COMMANDS) assert.deepEqual(sorted(COMMAND_FLAGS[command.name]), flagsOf(command.options), command.name);
    assert.deepEqual(sorted(GLOBAL_FLAGS), flagsOf(GLOBAL_OPTIONS));
  });
});

describe('ecr-deploy calls in workflow files', () => {
  const workflow = (run: string, env = '') => `name: Release\non: push\n${env}jobs:\n  release:\n    runs-on: ubuntu-latest\n    steps:\n      - name: Deploy\n        run: ${run}\n`;

  it('the generated release workflow has no problem', () => {
    const options = resolveWorkflowOptions({ provider: 'github', repository: 'app', cluster: 'c', service: 's', roleArn: 'arn:aws:iam::123456789012:role/r', region: 'us-east-1', version: '1.2.3', pullRequests: true });
    assert.deepEqual(workflowFlagProblems(releaseWorkflowText(options)), []);
  });

  it('a misspelt flag in a block script: on its line and column, with the nearest flag', () => {
    const text = workflow('|\n          echo start\n          npx --yes ecr-deploy@1.2.3 deploy --cluster c --service s \\\n            --tag v1 --rolback-on-failure\n');
    const lines = text.split('\n');
    const [problem, ...rest] = workflowFlagProblems(text);
    assert.deepEqual(rest, []);
    assert.equal(problem.message, 'ecr-deploy deploy has no --rolback-on-failure: did you mean --rollback-on-failure?');
    assert.equal(lines[problem.line].slice(problem.column, problem.column + problem.length), '--rolback-on-failure');
  });

  it('follows a variable the workflow sets to ecr-deploy, values are not flags, --opt=value and global flags are known', () => {
    const env = 'env:\n  ECR_DEPLOY: npx --yes ecr-deploy@1.2.3\n';
    assert.deepEqual(workflowFlagProblems(workflow('$ECR_DEPLOY logs --group /ecs/x --since=1h --filter --follow --region eu-west-1 -o json', env)), []);
    const [problem] = workflowFlagProblems(workflow('|\n          "$ECR_DEPLOY" findings --repository r --tag t --fail-on=high --sacn', env));
    assert.equal(problem.message, 'ecr-deploy findings has no --sacn: did you mean --scan?');
  });

  it('an unknown command, an unknown short flag; other programs and comments are left alone', () => {
    const problems = workflowFlagProblems(workflow('|\n          ecr-deploy deplyo --cluster c\n          docker build --no-such-thing . # ecr-deploy --bogus\n          ecr-deploy images -x && echo --nope'));
    assert.deepEqual(problems.map((p) => p.message), ['ecr-deploy has no command "deplyo": did you mean deploy?', 'ecr-deploy images has no -x']);
    assert.equal(problems[0].line, 8);
  });

  it('a file that never names ecr-deploy is not parsed at all', () => {
    assert.deepEqual(workflowFlagProblems('this: [is not: valid yaml'), []);
  });
});
