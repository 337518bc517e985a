/** Image references, the rules of their parts, the registry endpoint override, and the tag suggestions. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { isLoopbackRegistry, loginEndpointFor, parseRepositoryUri, platformMatches, repositoryUriFor } from '../../src/core/ecr/imageReference';
import { shortDigest } from '../../src/core/text/format';
import { imageReferenceProblem, parseRegistryEndpoint, repositoryNameProblem, tagProblem } from '../../src/core/ecr/inputRules';
import { commitTag, parseTagList, suggestTags, versionFromPackageJson, versionFromPyproject, versionTag } from '../../src/core/build/tagSuggestions';

const AWS_URI = '123456789012.dkr.ecr.us-east-1.amazonaws.com/team/quilt-mcp-server';

describe('tag rules (Docker and ECR)', () => {
  it('accepts the reference convention', () => {
    for (const tag of ['latest', 'v1.0.0', 'jwt-auth-v1.0.0', 'dev', 'dev-feature', 'pr-123', 'commit-abc1234', '_x', '1', 'x'.repeat(128)]) assert.equal(tagProblem(tag), undefined, tag);
  });

  it('says why a tag is refused', () => {
    assert.match(tagProblem('') ?? '', /cannot be empty/);
    assert.match(tagProblem('-x') ?? '', /starts with "-"/);
    assert.match(tagProblem('.x') ?? '', /starts with "\."/);
    assert.match(tagProblem('x'.repeat(129)) ?? '', /129 characters long; at most 128/);
    assert.match(tagProblem('a/b') ?? '', /"a\/b" has characters a tag cannot have/);
    assert.match(tagProblem('line\nbreak') ?? '', /"line\\nbreak"/, 'a line break is shown escaped, not printed');
  });

  it('every accepted tag is made of safe characters only (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 140 }), (tag) => {
        if (tagProblem(tag) === undefined) assert.match(tag, /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/);
      }),
    );
  });
});

describe('repository names and URIs', () => {
  it('ECR repository names', () => {
    for (const name of ['quilt-mcp-server', 'team/service', 'a.b_c-d/e', 'ab']) assert.equal(repositoryNameProblem(name), undefined, name);
    for (const name of ['Quilt', 'a', '-x', 'a//b', 'a/', 'x y', 'a--', '$(id)']) assert.ok(repositoryNameProblem(name), name);
  });

  it('splits a repository URI into registry and name, with path components', () => {
    assert.deepEqual(parseRepositoryUri(AWS_URI), { registry: '123456789012.dkr.ecr.us-east-1.amazonaws.com', repository: 'team/quilt-mcp-server' });
    assert.throws(() => parseRepositoryUri('no-slash'), /not a repository URI/);
  });

  it('the registry endpoint replaces the host of repository URIs and of the login; without it the API\'s values are used as they are', () => {
    assert.equal(repositoryUriFor(AWS_URI, undefined), AWS_URI);
    assert.equal(repositoryUriFor(AWS_URI, '127.0.0.1:5000'), '127.0.0.1:5000/team/quilt-mcp-server');
    assert.equal(loginEndpointFor('https://123456789012.dkr.ecr.us-east-1.amazonaws.com', undefined), '123456789012.dkr.ecr.us-east-1.amazonaws.com');
    assert.equal(loginEndpointFor('https://123456789012.dkr.ecr.us-east-1.amazonaws.com', 'localhost:4510'), 'localhost:4510');
  });

  it('registry endpoint settings: HOST[:PORT], a scheme and trailing "/" tolerated, anything else refused', () => {
    assert.equal(parseRegistryEndpoint(''), undefined);
    assert.equal(parseRegistryEndpoint('  '), undefined);
    assert.equal(parseRegistryEndpoint('127.0.0.1:5000'), '127.0.0.1:5000');
    assert.equal(parseRegistryEndpoint('http://localhost.localstack.cloud:4510/'), 'localhost.localstack.cloud:4510');
    assert.equal(parseRegistryEndpoint('[::1]:5000'), '[::1]:5000');
    for (const bad of ['127.0.0.1:0', 'host:99999', 'host/path', 'a b:1', '$(id):1', '-x:5000', 'host:port']) assert.throws(() => parseRegistryEndpoint(bad), /not HOST or HOST:PORT/, bad);
  });

  it('loopback registries are the plain-HTTP ones', () => {
    for (const r of ['127.0.0.1:5000', 'localhost:5000', '127.1.2.3', '[::1]:5000']) assert.ok(isLoopbackRegistry(r), r);
    for (const r of ['123456789012.dkr.ecr.us-east-1.amazonaws.com', '10.0.0.1:5000', 'localhost.localstack.cloud:4510', '127.0.0.1.nip.io']) assert.ok(!isLoopbackRegistry(r), r);
  });

  it('platforms match on os and arch; a variant only when both name one', () => {
    assert.ok(platformMatches('linux/amd64', 'linux/amd64'));
    assert.ok(platformMatches('linux/arm64', 'linux/arm64/v8'));
    assert.ok(!platformMatches('linux/arm/v7', 'linux/arm/v6'));
    assert.ok(!platformMatches('linux/amd64', 'linux/arm64'));
    assert.equal(shortDigest(`sha256:${'0123456789abcdef'.repeat(4)}`), 'sha256:0123456789ab');
  });
});

describe('tag suggestions', () => {
  it('a clean commit: commit tag checked, then the version, dev and latest unchecked', () => {
    assert.deepEqual(suggestTags({ commit: 'ABC1234def', dirty: false, version: '1.2.3', versionSource: 'package.json' }), [
      { tag: 'commit-abc1234', description: 'current commit', picked: true },
      { tag: 'v1.2.3', description: 'version from package.json', picked: false },
      { tag: 'dev', description: 'development build', picked: false },
      { tag: 'latest', description: 'moves with every release', picked: false },
    ]);
  });

  it('uncommitted changes: the commit tag carries a warning and is not checked; dev is', () => {
    const [commit, dev] = suggestTags({ commit: 'abc1234', dirty: true });
    assert.equal(commit.tag, 'commit-abc1234');
    assert.equal(commit.picked, false);
    assert.match(commit.warning ?? '', /uncommitted changes: commit-abc1234 would name an image that is not that commit/);
    assert.deepEqual([dev.tag, dev.picked], ['dev', true]);
  });

  it('outside git: dev checked; latest checked when the setting asks for it; an invalid version is left out', () => {
    assert.deepEqual(suggestTags({ tagLatest: true, version: 'not a version!' }).map((s) => [s.tag, s.picked]), [['dev', true], ['latest', true]]);
  });

  it('every suggestion is a valid tag (property)', () => {
    fc.assert(
      fc.property(fc.record({ commit: fc.option(fc.stringMatching(/^[0-9a-f]{7,40}$/), { nil: undefined }), dirty: fc.boolean(), version: fc.option(fc.string(), { nil: undefined }), tagLatest: fc.boolean() }), (facts) => {
        for (const s of suggestTags(facts)) assert.equal(tagProblem(s.tag), undefined, s.tag);
      }),
    );
  });

  it('versions from package.json and pyproject.toml ([project] or [tool.poetry])', () => {
    assert.equal(versionFromPackageJson('{"name":"x","version":"2.0.1"}'), '2.0.1');
    assert.equal(versionFromPackageJson('{"name":"x"}'), undefined);
    assert.equal(versionFromPackageJson('not json'), undefined);
    assert.equal(versionFromPyproject('[build-system]\nversion = "9"\n[project]\nname = "quilt"\nversion = "0.4.2"\n'), '0.4.2');
    assert.equal(versionFromPyproject("[tool.poetry]\nversion = '1.0.0b1'\n"), '1.0.0b1');
    assert.equal(versionFromPyproject('[project]\ndynamic = ["version"]\n'), undefined);
    assert.equal(versionTag('v1.0.0'), 'v1.0.0');
    assert.equal(versionTag('1.0.0'), 'v1.0.0');
    assert.equal(commitTag('0123456789abcdef'), 'commit-0123456');
  });

  it('typed tag lists: split on commas and spaces, deduplicated, first bad tag reported', () => {
    assert.deepEqual(parseTagList('dev, v1.0.0 dev'), { tags: ['dev', 'v1.0.0'] });
    assert.match(parseTagList('dev $(id)').problem ?? '', /"\$\(id\)" has characters/);
    assert.match(parseTagList('  ').problem ?? '', /at least one tag/);
  });
});

describe('imageReferenceProblem', () => {
  it('accepts what a task definition can hold', () => {
    const uri = '123456789012.dkr.ecr.us-east-1.amazonaws.com/quilt-mcp-server';
    for (const image of [`${uri}:v1.0.0`, `${uri}@sha256:${'a'.repeat(64)}`, `${uri}:v1@sha256:${'0'.repeat(64)}`, 'localhost:5000/team/app:dev', 'busybox', 'library/nginx:1.27', 'public.ecr.aws/a__b/c--d:latest']) {
      assert.equal(imageReferenceProblem(image), undefined, image);
    }
  });

  it('refuses control characters, shell text, capitals, bad tags and digests, with the rule', () => {
    const uri = '123456789012.dkr.ecr.us-east-1.amazonaws.com/quilt-mcp-server';
    const cases: Array<[string, RegExp]> = [
      [`${uri}:v1\n;$(id)`, /spaces or control characters/],
      [`${uri}:v1;$(id)`, /has characters a tag cannot have/],
      [`${uri}:v1 --privileged`, /spaces or control characters/],
      [`${uri.replace('quilt', 'Quilt')}:v1`, /repository "Quilt-mcp-server" of the image is not valid/],
      [`${uri}@sha256:abc`, /digest .* is not sha256:/],
      [`${uri}:-x`, /starts with "-"/],
      ['bad_host!:5000/app:v1', /not valid|not a host/],
      ['', /cannot be empty/],
    ];
    for (const [image, rule] of cases) assert.match(imageReferenceProblem(image) ?? 'accepted', rule, JSON.stringify(image));
  });
});
