import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { baseImageOf, finalStageChain, parseDockerfile, substituteArgs } from '../../src/core/scan/dockerfile';
import { findWholeWord } from '../../src/core/scan/packageNames';
import { chooseDockerfile, isDockerfileName } from '../../src/core/scan/dockerfileChoice';

const lines = (...text: string[]) => text.join('\n');

describe('Dockerfile parsing', () => {
  it('joins continuation lines and keeps each physical line with its column', () => {
    const df = parseDockerfile(lines('FROM debian:12', 'RUN apt-get update \\', '  && apt-get install -y \\', '     curl'));
    const run = df.instructions[1];
    assert.equal(run.keyword, 'RUN');
    assert.deepEqual(run.lines.map((l) => l.line), [1, 2, 3]);
    assert.equal(run.lines[0].column, 4);
    assert.equal(run.args, 'apt-get update   && apt-get install -y      curl');
    assert.equal(run.endLine, 3);
  });

  it('drops comment lines and blank lines inside a continuation, as the builder does', () => {
    const df = parseDockerfile(lines('FROM debian:12', 'RUN apt-get install -y \\', '# openssl is pinned below', '', '    openssl=3.0.15-1 \\', '    # zlib1g-dev is not installed', '    ca-certificates', 'CMD ["sh"]'));
    const run = df.instructions[1];
    assert.deepEqual(run.lines.map((l) => l.line), [1, 4, 6]);
    assert.equal(df.instructions[2].keyword, 'CMD');
    assert.equal(df.instructions[2].startLine, 7);
  });

  it('ignores comment lines between instructions and reads keywords in any case', () => {
    const df = parseDockerfile(lines('# base', 'from debian:12 as Base', '  # indented comment', 'run echo hi'));
    assert.deepEqual(df.instructions.map((i) => i.keyword), ['FROM', 'RUN']);
    assert.equal(df.stages[0].name, 'base');
  });

  it('honours the escape parser directive (backtick, Windows style)', () => {
    const df = parseDockerfile(lines('# escape=`', 'FROM mcr.microsoft.com/windows/servercore', 'RUN choco install `', '    git'));
    assert.deepEqual(df.instructions[1].lines.map((l) => l.text.trim()), ['choco install', 'git']);
  });

  it('a backslash is not a continuation once the escape is a backtick', () => {
    const df = parseDockerfile(lines('# escape=`', 'FROM x', 'RUN dir C:\\', 'RUN echo'));
    assert.equal(df.instructions.length, 3);
  });

  it('reads heredoc bodies into the instruction', () => {
    const df = parseDockerfile(lines('FROM debian:12', 'RUN <<EOF', 'apt-get update', 'apt-get install -y libxml2', 'EOF', 'CMD ["x"]'));
    assert.deepEqual(df.instructions[1].lines.map((l) => l.line), [1, 2, 3]);
    assert.equal(df.instructions[2].keyword, 'CMD');
  });

  it('splits stages, with AS names and FROM <stage> parents', () => {
    const df = parseDockerfile(lines('FROM python:3.12 AS builder', 'RUN pip wheel -w /w build-essential', 'FROM python:3.12-slim AS base', 'RUN apt-get install -y libpq5', 'FROM base AS final', 'COPY --from=builder /w /w', 'RUN pip install /w/*'));
    assert.deepEqual(df.stages.map((s) => [s.name, s.image, s.parentStage]), [['builder', 'python:3.12', undefined], ['base', 'python:3.12-slim', undefined], ['final', 'base', 1]]);
    const chain = finalStageChain(df);
    assert.deepEqual(chain.map((s) => s.name), ['final', 'base']);
    assert.equal(baseImageOf(chain), 'python:3.12-slim');
    assert.deepEqual(finalStageChain(df, 'builder').map((s) => s.name), ['builder']);
  });

  it('substitutes global ARGs in FROM, with defaults and build-arg overrides', () => {
    const text = lines('ARG REGISTRY=ghcr.io', 'ARG PYTHON_VERSION=3.12', 'ARG VARIANT', 'FROM ${REGISTRY}/astral-sh/uv:python${PYTHON_VERSION}-bookworm${VARIANT:+-}${VARIANT:-slim}');
    assert.equal(parseDockerfile(text).stages[0].image, 'ghcr.io/astral-sh/uv:python3.12-bookwormslim');
    assert.equal(parseDockerfile(text, { PYTHON_VERSION: '3.13', VARIANT: 'full' }).stages[0].image, 'ghcr.io/astral-sh/uv:python3.13-bookworm-full');
    const stage = parseDockerfile(text).stages[0];
    assert.equal(stage.rawImage, '${REGISTRY}/astral-sh/uv:python${PYTHON_VERSION}-bookworm${VARIANT:+-}${VARIANT:-slim}');
    assert.deepEqual([stage.imageLine, stage.imageStart], [3, 5]);
  });

  it('skips FROM flags to find the image token and its columns', () => {
    const stage = parseDockerfile('FROM --platform=linux/amd64 $BASE AS app').stages[0];
    assert.equal(stage.image, '');
    assert.equal(stage.rawImage, '$BASE');
    assert.deepEqual([stage.imageStart, stage.imageEnd], [28, 33]);
    assert.equal(stage.name, 'app');
  });

  it('substituteArgs handles every form and unknown names', () => {
    const args = { A: 'a', EMPTY: '' };
    assert.equal(substituteArgs('$A ${A} ${B:-b} ${EMPTY:-e} ${EMPTY-e} ${A:+x} ${B:+x} ${EMPTY+y} $B.', args), 'a a b e  x  y .');
  });

  it('continuations: an escape followed by spaces still continues, CRLF files keep their lines, and an indented comment is dropped', () => {
    const df = parseDockerfile(['FROM debian:12', 'RUN apt-get install -y \\   ', '    # zlib1g-dev is not installed (dockerfile-ast keeps this line as an argument)', '    curl \\', '    openssl'].join('\r\n'));
    const run = df.instructions[1];
    assert.deepEqual(run.lines.map((l) => l.line), [1, 3, 4]);
    assert.equal(run.args, 'apt-get install -y     curl     openssl');
    assert.equal(df.instructions.length, 2);
  });

  it('escape directive: only at the top, only backslash or backtick, and a backtick escape continues FROM too', () => {
    const late = parseDockerfile(lines('FROM x', '# escape=`', 'RUN a `', 'RUN b'));
    assert.equal(late.instructions.length, 3, 'a directive after the first instruction is a comment');
    const bogus = parseDockerfile(lines('# escape=!', 'FROM x', 'RUN a \\', '  b'));
    assert.equal(bogus.instructions[1].endLine, 3, 'an unknown escape leaves the backslash');
    const windows = parseDockerfile(lines('# syntax=docker/dockerfile:1', '# escape=`', 'FROM `', '  mcr.microsoft.com/windows/nanoserver:ltsc2022 AS base'));
    assert.equal(windows.stages[0].image, 'mcr.microsoft.com/windows/nanoserver:ltsc2022');
    assert.deepEqual([windows.stages[0].imageLine, windows.stages[0].imageStart], [3, 2]);
    assert.equal(windows.stages[0].name, 'base');
  });

  it('heredocs: <<- strips tabs before the terminator, quoted delimiters, several in one instruction, only in RUN/COPY/ADD', () => {
    const df = parseDockerfile(lines('FROM debian:12', 'RUN <<-"EOT"', '\tapt-get install -y libxml2', '\tEOT', 'COPY <<ONE <<TWO /dst/', 'first', 'ONE', 'second', 'TWO', 'ENV X=<<NOT', 'CMD ["x"]'));
    assert.deepEqual(df.instructions.map((i) => [i.keyword, i.startLine, i.endLine]), [['FROM', 0, 0], ['RUN', 1, 2], ['COPY', 4, 7], ['ENV', 9, 9], ['CMD', 10, 10]]);
  });

  it('ARG in FROM: later ARGs see earlier ones, build args win over defaults, stage ARGs do not reach FROM', () => {
    const text = lines('ARG BASE=python', 'ARG TAG=3.12', 'ARG IMAGE=${BASE}:${TAG}-slim', 'FROM $IMAGE AS app', 'ARG TAG=9', 'FROM ${BASE}:${TAG}');
    const df = parseDockerfile(text, { TAG: '3.13' });
    assert.deepEqual(df.stages.map((s) => s.image), ['python:3.13-slim', 'python:3.13']);
    assert.deepEqual(df.globalArgs, { BASE: 'python', TAG: '3.13', IMAGE: 'python:3.13-slim' });
  });

  it('survives an empty or FROM-less file', () => {
    assert.deepEqual(parseDockerfile('').stages, []);
    assert.deepEqual(finalStageChain(parseDockerfile('# nothing\nRUN echo')), []);
  });
});

describe('whole-word package names', () => {
  it('does not find a name inside a longer name (ssl vs openssl, openssl vs libcurl4-openssl-dev)', () => {
    assert.equal(findWholeWord('apt-get install -y openssl libssl-dev', 'ssl'), undefined);
    assert.equal(findWholeWord('apt-get install -y libcurl4-openssl-dev', 'openssl'), undefined);
    assert.equal(findWholeWord('apt-get install -y libcurl4-openssl-dev', 'curl'), undefined);
    assert.equal(findWholeWord('pip install requests-toolbelt', 'requests'), undefined);
    assert.equal(findWholeWord('pip install foo.bar', 'foo'), undefined);
  });

  it('finds a name next to pins, architectures and punctuation, case-insensitively', () => {
    assert.deepEqual(findWholeWord('apt-get install openssl=3.0.15-1~deb12u1', 'openssl'), { start: 16, end: 23 });
    assert.deepEqual(findWholeWord('pip install "Requests==2.31.0"', 'requests'), { start: 13, end: 21 });
    assert.deepEqual(findWholeWord('apt-get install zlib1g-dev:amd64', 'ZLIB1G-DEV'), { start: 16, end: 26 });
    assert.deepEqual(findWholeWord('npm i lodash@4.17.20;', 'lodash'), { start: 6, end: 12 });
    assert.deepEqual(findWholeWord('install libstdc++6.', 'libstdc++6'), { start: 8, end: 18 });
  });
});

describe('which Dockerfile builds a repository', () => {
  it('recognises Dockerfile names', () => {
    for (const name of ['Dockerfile', 'Dockerfile.prod', 'api.Dockerfile', 'Containerfile', 'dockerfile']) assert.ok(isDockerfileName(name), name);
    for (const name of ['Dockerfile-notes.md.bak', 'docker-compose.yml', 'Makefile']) assert.ok(!isDockerfileName(name), name);
  });

  it('takes the only one, the one named after the repository, or the root one; a tie is the user\'s choice', () => {
    assert.deepEqual(chooseDockerfile('svc', ['deploy/Dockerfile']), { chosen: 'deploy/Dockerfile', ranked: ['deploy/Dockerfile'] });
    assert.equal(chooseDockerfile('team/quilt-mcp-server', ['Dockerfile', 'quilt-mcp-server/Dockerfile', 'web/Dockerfile']).chosen, 'quilt-mcp-server/Dockerfile');
    assert.equal(chooseDockerfile('svc', ['Dockerfile', 'Dockerfile.dev', 'tools/Dockerfile']).chosen, 'Dockerfile');
    assert.equal(chooseDockerfile('svc', ['svc.Dockerfile', 'Dockerfile.dev']).chosen, 'svc.Dockerfile');
    const tie = chooseDockerfile('svc', ['b/Dockerfile', 'a/Dockerfile']);
    assert.deepEqual(tie, { chosen: undefined, ranked: ['a/Dockerfile', 'b/Dockerfile'] });
    assert.deepEqual(chooseDockerfile('svc', []), { chosen: undefined, ranked: [] });
  });
});
