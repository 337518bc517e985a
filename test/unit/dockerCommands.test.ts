/** Command lines of build, push, login and inspect, for every option and CLI, and what hostile input becomes. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { renderCommandLine, type ContainerCli } from '../../src/docker/commandLine';
import { buildCommand, inspectPlatformCommand, loginCommand, pushCommand, validateBuildRequest, type BuildRequest } from '../../src/docker/commands';

const URI = '123456789012.dkr.ecr.us-east-1.amazonaws.com/quilt-mcp-server';

function request(overrides: Partial<BuildRequest> = {}): BuildRequest {
  return { repositoryUri: URI, tags: ['dev'], dockerfile: 'Dockerfile', context: '.', platform: 'linux/amd64', ...overrides };
}

/** What a POSIX shell makes of a rendered line: the words it would pass to the program. */
function shellWords(rendered: string, cwd: string): string[] {
  const result = spawnSync('sh', ['-c', `printf '%s\\0' ${rendered}`], { cwd, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.split('\0').slice(0, -1);
}

describe('docker command lines', () => {
  it('build: platform, every tag, Dockerfile, build args, target, context, in that order', () => {
    const command = buildCommand('docker', request({ tags: ['commit-abc1234', 'v1.0.0'], dockerfile: 'services/api/Dockerfile', context: 'services/api', buildArgs: { VERSION: '1.0.0', PIP_INDEX: 'https://pypi.example/simple' }, target: 'runtime' }));
    assert.deepEqual(command, {
      program: 'docker',
      args: [
        'build', '--platform', 'linux/amd64',
        '-t', `${URI}:commit-abc1234`, '-t', `${URI}:v1.0.0`,
        '-f', 'services/api/Dockerfile',
        '--build-arg', 'VERSION=1.0.0', '--build-arg', 'PIP_INDEX=https://pypi.example/simple',
        '--target', 'runtime',
        'services/api',
      ],
    });
    assert.equal(
      renderCommandLine(command),
      `docker build --platform linux/amd64 -t ${URI}:commit-abc1234 -t ${URI}:v1.0.0 -f services/api/Dockerfile --build-arg VERSION=1.0.0 --build-arg PIP_INDEX=https://pypi.example/simple --target runtime services/api`,
    );
  });

  it('build: the minimal line is exactly the runbook\'s', () => {
    assert.equal(renderCommandLine(buildCommand('docker', request())), `docker build --platform linux/amd64 -t ${URI}:dev -f Dockerfile .`);
  });

  it('build: podman asks for the Docker manifest format; finch takes Docker\'s flags', () => {
    assert.deepEqual(buildCommand('podman', request()).args, ['build', '--platform', 'linux/amd64', '-t', `${URI}:dev`, '-f', 'Dockerfile', '--format', 'docker', '.']);
    assert.deepEqual(buildCommand('finch', request()), { program: 'finch', args: ['build', '--platform', 'linux/amd64', '-t', `${URI}:dev`, '-f', 'Dockerfile', '.'] });
  });

  it('build: another platform is passed as given', () => {
    assert.deepEqual(buildCommand('docker', request({ platform: 'linux/arm64/v8' })).args.slice(0, 3), ['build', '--platform', 'linux/arm64/v8']);
  });

  it('push: docker needs nothing for a loopback registry; podman turns TLS off and writes the digest; finch marks it insecure', () => {
    const local = '127.0.0.1:5000/quilt-mcp-server:dev';
    assert.deepEqual(pushCommand('docker', local, { insecure: true }), { program: 'docker', args: ['push', local] });
    assert.deepEqual(pushCommand('podman', local, { insecure: true, digestFile: '/tmp/d/digest' }).args, ['push', '--tls-verify=false', '--digestfile', '/tmp/d/digest', local]);
    assert.deepEqual(pushCommand('podman', `${URI}:dev`, { insecure: false }).args, ['push', `${URI}:dev`]);
    assert.deepEqual(pushCommand('finch', local, { insecure: true }).args, ['push', '--insecure-registry', local]);
    assert.deepEqual(pushCommand('finch', `${URI}:dev`, { insecure: false }).args, ['push', `${URI}:dev`]);
  });

  it('login: user AWS, password from stdin, never an argument', () => {
    const endpoint = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
    for (const cli of ['docker', 'podman', 'finch'] as ContainerCli[]) {
      const command = loginCommand(cli, endpoint, { insecure: false });
      assert.deepEqual(command, { program: cli, args: ['login', '--username', 'AWS', '--password-stdin', endpoint] });
      assert.ok(!command.args.some((a) => a === '-p' || a.startsWith('--password=') || a === '--password'));
    }
    assert.deepEqual(loginCommand('podman', '127.0.0.1:5000', { insecure: true }).args, ['login', '--tls-verify=false', '--username', 'AWS', '--password-stdin', '127.0.0.1:5000']);
  });

  it('inspect: docker reads the variant too; the others only os/arch', () => {
    assert.deepEqual(inspectPlatformCommand('docker', `${URI}:dev`).args, ['image', 'inspect', '--format', '{{.Os}}/{{.Architecture}}{{if .Variant}}/{{.Variant}}{{end}}', `${URI}:dev`]);
    assert.deepEqual(inspectPlatformCommand('podman', `${URI}:dev`).args, ['image', 'inspect', '--format', '{{.Os}}/{{.Architecture}}', `${URI}:dev`]);
  });
});

describe('hostile input', () => {
  const hostile = ['has space', `it's`, '"double"', '$(touch /tmp/x)', '`id`', 'a;b', 'a|b', 'a&&b', '$HOME', '*', '~root', '!x', '\\n', '-rf', '--privileged'];

  it('tags with anything but letters, digits, "_", "." and "-" (or a leading "-" or ".") are refused before a command exists', () => {
    for (const tag of [...hostile, 'line\nbreak', 'tab\there', '.hidden', '', 'x'.repeat(129)]) {
      assert.ok(validateBuildRequest(request({ tags: ['dev', tag] })), `tag ${JSON.stringify(tag)} must be refused`);
    }
    assert.equal(validateBuildRequest(request({ tags: ['dev', 'v1.0.0', 'jwt-auth-v1.0.0', 'commit-abc1234', 'pr-123', '_x', 'A.B-c_d', 'x'.repeat(128)] })), undefined);
  });

  it('build args: names must be identifiers; values are free text but no line breaks', () => {
    assert.match(validateBuildRequest(request({ buildArgs: { 'A B': '1' } })) ?? '', /build argument name "A B"/);
    assert.match(validateBuildRequest(request({ buildArgs: { '1X': '1' } })) ?? '', /not valid/);
    assert.match(validateBuildRequest(request({ buildArgs: { X: 'a\nb' } })) ?? '', /line break/);
    assert.equal(validateBuildRequest(request({ buildArgs: { X: `$(rm -rf /) \`id\` it's "q" ; | & -x` } })), undefined);
  });

  it('platforms, targets and paths are checked too', () => {
    assert.match(validateBuildRequest(request({ platform: 'linux/amd64 --privileged' })) ?? '', /os\/arch/);
    assert.match(validateBuildRequest(request({ platform: 'amd64' })) ?? '', /os\/arch/);
    assert.match(validateBuildRequest(request({ target: '--network=host' })) ?? '', /stage name/);
    assert.match(validateBuildRequest(request({ dockerfile: 'a\nb' })) ?? '', /Dockerfile path has a line break/);
    assert.match(validateBuildRequest(request({ context: '' })) ?? '', /build context path is empty/);
    assert.match(validateBuildRequest(request({ tags: [] })) ?? '', /at least one tag/);
  });

  it('paths that start with "-" cannot be read as options: "./" is put in front', () => {
    const command = buildCommand('docker', request({ dockerfile: '-f', context: '--privileged' }));
    assert.deepEqual(command.args.slice(-3), ['-f', './-f', './--privileged']);
  });

  it('every argument survives the shell exactly as given, and nothing in it runs (property)', () => {
    const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-deploy-quote-'));
    try {
      const marker = path.join(sandbox, 'pwned');
      const nasty = fc.oneof(
        fc.constantFrom(...hostile, `$(touch ${marker})`, `\`touch ${marker}\``, `'; touch ${marker}; '`, `"; touch ${marker}; "`),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
        fc.string({ unit: fc.constantFrom('a', ' ', "'", '"', '$', '(', ')', '`', '\\', ';', '-', '\n', '*', '!', '&', '|', '>', '<', '#', '~'), minLength: 1, maxLength: 12 }),
      ).filter((s) => !s.includes('\0'));
      fc.assert(
        fc.property(nasty, nasty, nasty, (dockerfile, context, value) => {
          const command = buildCommand('docker', request({ dockerfile, context, buildArgs: { VALUE: value } }));
          const words = shellWords(renderCommandLine(command), sandbox);
          assert.deepEqual(words, [command.program, ...command.args]);
        }),
        { numRuns: 150 },
      );
      assert.equal(fs.existsSync(marker), false, 'no substitution was executed');
    } finally {
      fs.rmSync(sandbox, { recursive: true, force: true });
    }
  });
});
