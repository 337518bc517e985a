import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkDockerfile, finalBaseImage } from '../../src/core/readiness/dockerfileRules';
import { checkTaskDefinition, isTaskDefinitionText, memoryMiB } from '../../src/core/readiness/taskDefinitionRules';
import { moveToSecretsEdits, readonlyRootFilesystemEdits, containerAt } from '../../src/core/readiness/taskDefinitionFixes';
import { checkRepository } from '../../src/core/readiness/repositoryRules';
import { suppressDockerfileFindings, withoutIgnored, suppressionComment } from '../../src/core/readiness/suppression';
import { READINESS_RULES } from '../../src/core/readiness/rules';
import type { ReadinessFinding } from '../../src/core/readiness/finding';
import { applyEdits } from 'jsonc-parser';

const lines = (text: string) => text.split('\n');
const byRule = (findings: readonly ReadinessFinding[], rule: string) => findings.filter((f) => f.rule === rule);
/** [line, the text at the finding's column] of each finding of a rule. */
const places = (text: string, findings: readonly ReadinessFinding[], rule: string) => byRule(findings, rule).map((f) => [f.line, lines(text)[f.line - 1]!.slice(f.column - 1, f.endColumn ? f.endColumn - 1 : undefined)]);

const CLEAN_DOCKERFILE = [
  'FROM node:20-slim@sha256:' + 'a'.repeat(64) + ' AS build',
  'RUN npm ci',
  'FROM node:20.11-slim@sha256:' + 'b'.repeat(64),
  'COPY --from=build /app /app',
  'USER node',
  'HEALTHCHECK CMD curl -f http://localhost/healthz || exit 1',
  'CMD ["node", "/app/server.js"]',
  '',
].join('\n');

describe('readiness: Dockerfile rules', () => {
  it('a clean Dockerfile gives no finding', () => {
    assert.deepEqual(checkDockerfile(CLEAN_DOCKERFILE, 'Dockerfile'), []);
  });

  it('dockerfile/root-user: no USER (on the final FROM), USER root and USER 0:0 (on the USER line), inherited USER from an earlier stage is quiet', () => {
    const none = 'FROM node:20@sha256:' + 'c'.repeat(64) + '\nHEALTHCHECK NONE\nCMD ["node"]\n';
    assert.deepEqual(places(none, checkDockerfile(none, 'Dockerfile'), 'dockerfile/root-user'), [[1, 'node:20@sha256:' + 'c'.repeat(64)]]);
    const root = 'FROM alpine:3.19\nUSER app\nRUN echo\nUSER root\n';
    assert.deepEqual(places(root, checkDockerfile(root, 'Dockerfile'), 'dockerfile/root-user'), [[4, 'USER root']]);
    const zero = 'FROM alpine:3.19\nUSER 0:0\n';
    assert.equal(byRule(checkDockerfile(zero, 'Dockerfile'), 'dockerfile/root-user')[0]?.line, 2);
    const inherited = 'FROM alpine:3.19 AS base\nUSER app\nFROM base\nCMD ["sh"]\n';
    assert.deepEqual(byRule(checkDockerfile(inherited, 'Dockerfile'), 'dockerfile/root-user'), []);
    // An earlier stage's USER that the final stage does not build on does not count.
    const otherStage = 'FROM alpine:3.19 AS tools\nUSER app\nFROM debian:12\nCMD ["sh"]\n';
    assert.equal(byRule(checkDockerfile(otherStage, 'Dockerfile'), 'dockerfile/root-user')[0]?.line, 3);
  });

  it('dockerfile/secret-in-env: ENV/ARG with a secret-looking name and a literal value is an error on its line; references and empty ARGs are quiet', () => {
    const text = [
      'FROM alpine:3.19',
      'ENV APP_PORT=8080 DB_PASSWORD=hunter2',
      'ARG GITHUB_TOKEN=ghp_abc',
      'ARG NPM_TOKEN',
      'ENV API_KEY=$API_KEY',
      'ENV SIGNING_KEY=literal \\',
      '    client_secret=also',
      'ENV MONKEY=banana',
      'USER app',
    ].join('\n');
    const found = byRule(checkDockerfile(text, 'Dockerfile'), 'dockerfile/secret-in-env');
    assert.deepEqual(found.map((f) => [f.line, f.severity]), [[2, 'error'], [3, 'error'], [6, 'error'], [7, 'error']]);
    assert.deepEqual(places(text, found, 'dockerfile/secret-in-env'), [[2, 'DB_PASSWORD'], [3, 'GITHUB_TOKEN'], [6, 'SIGNING_KEY'], [7, 'client_secret']]);
    assert.match(found[0]!.message, /secrets/);
  });

  it('dockerfile/unpinned-base and dockerfile/latest-base: on the image of the stage the final one builds on, ARG in FROM resolved', () => {
    const text = 'ARG BASE=python:latest\nFROM ${BASE} AS app\nUSER app\nFROM app\nHEALTHCHECK CMD true\n';
    const found = checkDockerfile(text, 'Dockerfile');
    assert.deepEqual(found.map((f) => [f.rule, f.line]), [['dockerfile/latest-base', 2], ['dockerfile/unpinned-base', 2]]);
    assert.match(found[1]!.message, /python:latest/);
    const untagged = 'FROM ubuntu\nUSER app\nHEALTHCHECK CMD true\n';
    assert.deepEqual(checkDockerfile(untagged, 'Dockerfile').map((f) => f.rule), ['dockerfile/latest-base', 'dockerfile/unpinned-base']);
    const tagged = 'FROM registry.example.com:5000/team/base:1.4\nUSER app\nHEALTHCHECK CMD true\n';
    assert.deepEqual(checkDockerfile(tagged, 'Dockerfile').map((f) => f.rule), ['dockerfile/unpinned-base']);
    assert.deepEqual(checkDockerfile('FROM scratch\nUSER 1000\nHEALTHCHECK NONE\n', 'Dockerfile').map((f) => f.rule), ['dockerfile/no-healthcheck']);
    assert.deepEqual(finalBaseImage(text), { image: 'python:latest', name: 'python', tag: 'latest', line: 2, column: 6, endColumn: 13, fromVariable: true });
  });

  it('dockerfile/no-healthcheck: a warning on the final FROM, information when the task definition has a health check; HEALTHCHECK NONE counts as none', () => {
    const text = 'FROM node:20@sha256:' + 'd'.repeat(64) + '\nUSER node\n';
    assert.deepEqual(checkDockerfile(text, 'Dockerfile').map((f) => [f.rule, f.severity, f.line]), [['dockerfile/no-healthcheck', 'warning', 1]]);
    assert.deepEqual(checkDockerfile(text, 'Dockerfile', { taskDefinitionHasHealthCheck: true }).map((f) => f.severity), ['info']);
    assert.equal(checkDockerfile(`${text}HEALTHCHECK NONE\n`, 'Dockerfile').length, 1);
  });

  it('parses the escape directive, heredocs and continuations as Docker does: a USER inside a heredoc is not an instruction', () => {
    const text = ['# escape=`', 'FROM alpine:3.19', 'RUN <<EOT', 'USER app', 'EOT', 'ENV A=1 `', '    DB_PASSWORD=x', 'HEALTHCHECK CMD true'].join('\n');
    const found = checkDockerfile(text, 'Dockerfile');
    assert.deepEqual(found.map((f) => [f.rule, f.line]), [['dockerfile/root-user', 2], ['dockerfile/unpinned-base', 2], ['dockerfile/secret-in-env', 7]]);
  });

  it('suppression: "# ecr-deploy-ignore RULE" in the comments just above an instruction covers all its lines; others stay', () => {
    const text = [
      'FROM alpine:3.19',
      '# why: build-time only',
      '# ecr-deploy-ignore dockerfile/secret-in-env',
      'ENV A=1 \\',
      '    DB_PASSWORD=x',
      'ENV MY_TOKEN=y',
      '#ecr-deploy-ignore   dockerfile/secret-in-env,dockerfile/root-user',
      'ARG OTHER_TOKEN=z',
      '',
      '# ecr-deploy-ignore dockerfile/secret-in-env',
      '',
      'ENV LAST_TOKEN=w',
    ].join('\n');
    const all = checkDockerfile(text, 'Dockerfile');
    assert.deepEqual(byRule(all, 'dockerfile/secret-in-env').map((f) => f.line), [5, 6, 8, 12]);
    const kept = suppressDockerfileFindings(text, all);
    assert.deepEqual(byRule(kept, 'dockerfile/secret-in-env').map((f) => f.line), [6, 12]);
    assert.ok(byRule(kept, 'dockerfile/root-user').length, 'a comment names the rules it silences, no others');
    const onFrom = `# ecr-deploy-ignore dockerfile/unpinned-base dockerfile/root-user\n${text}`;
    assert.deepEqual(suppressDockerfileFindings(onFrom, checkDockerfile(onFrom, 'Dockerfile')).filter((f) => f.line === 2).map((f) => f.rule), ['dockerfile/no-healthcheck']);
    assert.deepEqual(withoutIgnored(all, ['dockerfile/secret-in-env', 'dockerfile/root-user']).map((f) => f.rule), ['dockerfile/no-healthcheck', 'dockerfile/unpinned-base']);
    assert.equal(suppressionComment('dockerfile/root-user', '  USER root'), '  # ecr-deploy-ignore dockerfile/root-user');
  });
});

const ECR_IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web';
function taskDefinition(container: Record<string, unknown> = {}, task: Record<string, unknown> = {}) {
  return {
    family: 'web',
    executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
    memory: '512',
    cpu: '256',
    runtimePlatform: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' },
    containerDefinitions: [
      {
        name: 'web',
        image: `${ECR_IMAGE}:v1.2.0`,
        user: '1000',
        readonlyRootFilesystem: true,
        essential: true,
        memory: 256,
        healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost/healthz || exit 1'] },
        logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web' } },
        environment: [{ name: 'PORT', value: '8080' }],
        ...container,
      },
    ],
    ...task,
  };
}
const text = (value: unknown) => JSON.stringify(value, null, 2);
const without = (key: string) => {
  const td = taskDefinition();
  delete (td.containerDefinitions[0] as Record<string, unknown>)[key];
  return td;
};

describe('readiness: task definition rules', () => {
  it('a clean task definition gives no finding, as a file or as describe-task-definition output', () => {
    assert.deepEqual(checkTaskDefinition(text(taskDefinition()), 'td.json'), []);
    assert.deepEqual(checkTaskDefinition(text({ taskDefinition: taskDefinition() }), 'td.json'), []);
    assert.ok(isTaskDefinitionText(text(taskDefinition())));
    assert.ok(!isTaskDefinitionText('{"name": "package", "containerDefinitions": "no"}'));
    assert.ok(!isTaskDefinitionText('{"containerDefinitions": ['));
  });

  it('taskdef/root-user: no user on the "name" line, "root" on the "user" line', () => {
    const t = text(without('user'));
    assert.deepEqual(places(t, checkTaskDefinition(t, 'td.json'), 'taskdef/root-user'), [[lines(t).findIndex((l) => l.includes('"name": "web"')) + 1, '"name"']]);
    const r = text(taskDefinition({ user: 'root' }));
    assert.deepEqual(places(r, checkTaskDefinition(r, 'td.json'), 'taskdef/root-user').map((p) => p[1]), ['"user"']);
  });

  it('taskdef/writable-root-fs: false on that key\'s line, absent on the "name" line', () => {
    const f = text(taskDefinition({ readonlyRootFilesystem: false }));
    assert.deepEqual(places(f, checkTaskDefinition(f, 'td.json'), 'taskdef/writable-root-fs').map((p) => p[1]), ['"readonlyRootFilesystem"']);
    const a = text(without('readonlyRootFilesystem'));
    assert.deepEqual(places(a, checkTaskDefinition(a, 'td.json'), 'taskdef/writable-root-fs').map((p) => p[1]), ['"name"']);
  });

  it('taskdef/secret-in-environment: an error on the entry\'s line; other names are quiet', () => {
    const t = text(taskDefinition({ environment: [{ name: 'PORT', value: '1' }, { name: 'STRIPE_SECRET', value: 'sk' }] }));
    const found = byRule(checkTaskDefinition(t, 'td.json'), 'taskdef/secret-in-environment');
    assert.deepEqual(found.map((f) => [f.severity, lines(t)[f.line - 1]!.trim()]), [['error', '"name": "STRIPE_SECRET",']]);
  });

  it('taskdef/no-health-check: essential containers only', () => {
    assert.equal(byRule(checkTaskDefinition(text(without('healthCheck')), 'td.json'), 'taskdef/no-health-check').length, 1);
    assert.equal(byRule(checkTaskDefinition(text(taskDefinition({ healthCheck: undefined, essential: false })), 'td.json'), 'taskdef/no-health-check').length, 0);
  });

  it('taskdef/memory-over-task: an error on the container\'s "memory" line; task memory in GB understood', () => {
    const t = text(taskDefinition({ memory: 1024 }));
    assert.deepEqual(places(t, checkTaskDefinition(t, 'td.json'), 'taskdef/memory-over-task').map((p) => p[1]), ['"memory"']);
    assert.equal(byRule(checkTaskDefinition(text(taskDefinition({ memory: 1024 }, { memory: '1 GB' })), 'td.json'), 'taskdef/memory-over-task').length, 0);
    assert.equal(memoryMiB('0.5GB'), 512);
  });

  it('taskdef/mutable-image-tag: latest, dev, pr-*, no tag; a warning, an error for protected services; versions and digests quiet', () => {
    for (const image of [`${ECR_IMAGE}:latest`, `${ECR_IMAGE}:dev`, `${ECR_IMAGE}:pr-12`, ECR_IMAGE]) {
      const t = text(taskDefinition({ image }));
      assert.deepEqual(places(t, checkTaskDefinition(t, 'td.json'), 'taskdef/mutable-image-tag').map((p) => p[1]), ['"image"'], image);
      assert.equal(byRule(checkTaskDefinition(t, 'td.json', { protectedService: true }), 'taskdef/mutable-image-tag')[0]?.severity, 'error');
    }
    for (const image of [`${ECR_IMAGE}:v1.0.0`, `${ECR_IMAGE}:commit-abc123`, `${ECR_IMAGE}@sha256:${'e'.repeat(64)}`, 'localhost:5000/web:1.0']) {
      assert.deepEqual(byRule(checkTaskDefinition(text(taskDefinition({ image })), 'td.json'), 'taskdef/mutable-image-tag'), [], image);
    }
  });

  it('taskdef/no-log-configuration and taskdef/no-execution-role (ECR pull, awslogs or secrets need the role)', () => {
    assert.equal(byRule(checkTaskDefinition(text(without('logConfiguration')), 'td.json'), 'taskdef/no-log-configuration').length, 1);
    const noRole = text(taskDefinition({}, { executionRoleArn: undefined }));
    assert.deepEqual(places(noRole, checkTaskDefinition(noRole, 'td.json'), 'taskdef/no-execution-role').map((p) => p[1]), ['"family"']);
    const publicImage = taskDefinition({ image: 'public.ecr.aws/nginx/nginx:1.25', logConfiguration: { logDriver: 'json-file' } }, { executionRoleArn: undefined });
    assert.deepEqual(byRule(checkTaskDefinition(text(publicImage), 'td.json'), 'taskdef/no-execution-role'), []);
    const withSecrets = taskDefinition({ image: 'nginx:1.25', logConfiguration: { logDriver: 'json-file' }, secrets: [{ name: 'A', valueFrom: 'arn' }] }, { executionRoleArn: undefined });
    assert.equal(byRule(checkTaskDefinition(text(withSecrets), 'td.json'), 'taskdef/no-execution-role').length, 1);
  });

  it('taskdef/platform-mismatch: the image\'s platforms against runtimePlatform, only when the registry said', () => {
    const image = `${ECR_IMAGE}:v1.2.0`;
    const t = text(taskDefinition());
    assert.deepEqual(places(t, checkTaskDefinition(t, 'td.json', { imagePlatforms: { [image]: ['linux/arm64'] } }), 'taskdef/platform-mismatch').map((p) => p[1]), ['"image"']);
    assert.deepEqual(byRule(checkTaskDefinition(t, 'td.json', { imagePlatforms: { [image]: ['linux/amd64', 'linux/arm64'] } }), 'taskdef/platform-mismatch'), []);
    const arm = text(taskDefinition({}, { runtimePlatform: { cpuArchitecture: 'ARM64' } }));
    assert.deepEqual(byRule(checkTaskDefinition(arm, 'td.json', { imagePlatforms: { [image]: ['linux/arm64/v8'] } }), 'taskdef/platform-mismatch'), []);
    assert.equal(byRule(checkTaskDefinition(arm, 'td.json', { imagePlatforms: { [image]: ['linux/amd64'] } }), 'taskdef/platform-mismatch').length, 1);
  });

  it('quick fixes: readonlyRootFilesystem true, an environment entry moved to secrets; the finding goes away', () => {
    const a = text(without('readonlyRootFilesystem'));
    const fixed = applyEdits(a, readonlyRootFilesystemEdits(a, containerAt(a, a.indexOf('"name": "web"'))!));
    assert.deepEqual(byRule(checkTaskDefinition(fixed, 'td.json'), 'taskdef/writable-root-fs'), []);
    assert.equal(JSON.parse(fixed).containerDefinitions[0].readonlyRootFilesystem, true);

    const s = text(taskDefinition({ environment: [{ name: 'PORT', value: '1' }, { name: 'DB_PASSWORD', value: 'hunter2' }], secrets: [{ name: 'X', valueFrom: 'arn:x' }] }));
    const moved = applyEdits(s, moveToSecretsEdits(s, 0, 'DB_PASSWORD'));
    const container = JSON.parse(moved).containerDefinitions[0];
    assert.deepEqual(container.environment, [{ name: 'PORT', value: '1' }]);
    assert.deepEqual(container.secrets.map((x: { name: string }) => x.name), ['X', 'DB_PASSWORD']);
    assert.ok(!moved.includes('hunter2'), 'the secret value leaves the file');
    assert.deepEqual(byRule(checkTaskDefinition(moved, 'td.json'), 'taskdef/secret-in-environment'), []);
    const noSecrets = text({ taskDefinition: taskDefinition({ environment: [{ name: 'API_TOKEN', value: 't' }] }) });
    assert.deepEqual(JSON.parse(applyEdits(noSecrets, moveToSecretsEdits(noSecrets, 0, 'API_TOKEN'))).taskDefinition.containerDefinitions[0].secrets[0].name, 'API_TOKEN');
    assert.deepEqual(moveToSecretsEdits(s, 0, 'NOT_THERE'), []);
  });
});

describe('readiness: repository rules', () => {
  const clean = { name: 'web', scanOnPush: true, imageTagMutability: 'IMMUTABLE', encryptionType: 'KMS', lifecyclePolicyText: '{"rules":[]}', protectedService: true };
  it('a clean repository gives no finding', () => assert.deepEqual(checkRepository(clean), []));
  it('each rule fires on its fact, mutable tags only for protected services, a public statement on its line', () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Open', Effect: 'Allow', Principal: '*', Action: 'ecr:*' }] }, null, 2);
    const found = checkRepository({ name: 'web', protectedService: true, repositoryPolicyText: policy });
    assert.deepEqual(found.map((f) => [f.rule, f.severity, f.file]), [
      ['repository/scan-on-push-off', 'warning', 'repository web'],
      ['repository/mutable-tags', 'warning', 'repository web'],
      ['repository/no-lifecycle-policy', 'warning', 'repository web'],
      ['repository/public-policy', 'error', 'repository web'],
      ['repository/aes256', 'info', 'repository web'],
    ]);
    assert.match(lines(policy)[found[3]!.line - 1]!, /"Principal"/);
    assert.deepEqual(checkRepository({ ...clean, imageTagMutability: 'MUTABLE', protectedService: false }), []);
  });
  it('every rule a check can return is in the catalogue, with a fix', () => {
    assert.equal(new Set(READINESS_RULES.map((r) => r.id)).size, READINESS_RULES.length);
    for (const rule of READINESS_RULES) {
      assert.match(rule.id, /^(dockerfile|taskdef|repository)\/[a-z0-9-]+$/);
      assert.ok(rule.fix.length > 10, rule.id);
    }
  });
});
