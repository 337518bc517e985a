/** The `ecr-deploy` task definition as written in tasks.json: shapes accepted, problems named. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildTaskName, defaultContext, parseBuildTaskDefinition } from '../../src/core/build/buildTask';
import { REPO_ROOT } from '../support/cliProcess';

describe('ecr-deploy task definition', () => {
  it('a full definition is kept as written', () => {
    const raw = { type: 'ecr-deploy', action: 'build', repository: 'team/api', tags: ['dev', 'v1.0.0'], dockerfile: 'svc/Dockerfile', context: 'svc', platform: 'linux/arm64', buildArgs: { A: '1', B: 2, C: true }, target: 'runtime' };
    assert.deepEqual(parseBuildTaskDefinition(raw), { definition: { ...raw, buildArgs: { A: '1', B: '2', C: 'true' } } });
  });

  it('defaults: action buildAndPush, a single tag as a string', () => {
    assert.deepEqual(parseBuildTaskDefinition({ type: 'ecr-deploy', repository: 'quilt-mcp-server', tags: 'dev' }), {
      definition: { type: 'ecr-deploy', action: 'buildAndPush', repository: 'quilt-mcp-server', tags: ['dev'] },
    });
  });

  const problems: Array<[unknown, RegExp]> = [
    [undefined, /no definition/],
    [{ repository: 'r1', tags: ['dev'], action: 'deploy' }, /"action" must be one of build, push, buildAndPush, not "deploy"/],
    [{ tags: ['dev'] }, /Set "repository"/],
    [{ repository: 'Bad Repo', tags: ['dev'] }, /repository name "Bad Repo" has capitals/],
    [{ repository: 'r1' }, /Set "tags"/],
    [{ repository: 'r1', tags: [] }, /Set "tags"/],
    [{ repository: 'r1', tags: [1] }, /Set "tags"/],
    [{ repository: 'r1', tags: ['dev'], dockerfile: 7 }, /"dockerfile" must be a string/],
    [{ repository: 'r1', tags: ['dev'], buildArgs: ['A=1'] }, /"buildArgs" must be an object/],
    [{ repository: 'r1', tags: ['dev'], buildArgs: { A: { nested: 1 } } }, /build argument A must be a string/],
  ];
  for (const [raw, message] of problems) {
    it(`refused: ${JSON.stringify(raw)}`, () => assert.match(parseBuildTaskDefinition(raw).problem ?? '', message));
  }

  it('the context defaults to the Dockerfile\'s folder', () => {
    assert.equal(defaultContext('Dockerfile'), '.');
    assert.equal(defaultContext('services/api/Dockerfile'), 'services/api');
    assert.equal(defaultContext('/abs/Dockerfile'), '/abs');
  });

  it('task names say what runs', () => {
    assert.equal(buildTaskName({ action: 'buildAndPush', repository: 'quilt-mcp-server', tags: ['commit-abc1234', 'dev'], dockerfile: 'Dockerfile' }), 'Build and Push Dockerfile to quilt-mcp-server:commit-abc1234,dev');
    assert.equal(buildTaskName({ action: 'push', repository: 'r1', tags: ['dev'] }), 'Push r1:dev');
  });

  it('package.json declares the same fields, the trust restriction and the repository-node menu', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    const [taskDefinition] = manifest.contributes.taskDefinitions;
    assert.equal(taskDefinition.type, 'ecr-deploy');
    assert.deepEqual(Object.keys(taskDefinition.properties).sort(), ['action', 'buildArgs', 'context', 'dockerfile', 'platform', 'repository', 'tags', 'target']);
    assert.deepEqual(taskDefinition.properties.action.enum, ['build', 'push', 'buildAndPush']);
    assert.ok(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('ecrDeploy.containerCli'));
    const itemMenus = manifest.contributes.menus['view/item/context'].filter((m: { command: string }) => m.command === 'ecrDeploy.buildAndPush');
    assert.ok(itemMenus.length > 0 && itemMenus.every((m: { when: string }) => /viewItem =~ \/\^repository\//.test(m.when) && /isWorkspaceTrusted/.test(m.when)));
  });
});
