import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { manifestKind, readDeclarations, type Declaration, type ManifestKind } from '../../src/core/scan/manifests';
import { canonicalName } from '../../src/core/scan/packageNames';
import { jsonMembers } from '../../src/core/scan/jsonMembers';

const lines = (...text: string[]) => text.join('\n');

/** name -> [line, the text at the name's columns, the pinned version text or undefined] */
function table(kind: ManifestKind, text: string): Record<string, [number, string, string | undefined]> {
  const rows = text.split('\n');
  const out: Record<string, [number, string, string | undefined]> = {};
  for (const d of readDeclarations(kind, text)) {
    const at = (start: number, end: number) => rows[d.line].slice(start, end);
    out[d.name] = [d.line, at(d.start, d.end), d.pin ? at(d.pin.start, d.pin.end) : undefined];
    if (d.pin) assert.equal(at(d.pin.start, d.pin.end), d.pin.version, `${d.name}: pin columns hold the version`);
  }
  return out;
}

describe('manifest files', () => {
  it('recognises each manifest by path', () => {
    const cases: Array<[string, ManifestKind | undefined]> = [
      ['requirements.txt', 'requirements'],
      ['requirements-dev.txt', 'requirements'],
      ['services/api/Requirements.in.txt', 'requirements'],
      ['requirements/base.txt', 'requirements'],
      ['pyproject.toml', 'pyproject'],
      ['app/uv.lock', 'uvLock'],
      ['package.json', 'packageJson'],
      ['web/package-lock.json', 'packageLock'],
      ['go.mod', 'goMod'],
      ['Gemfile.lock', 'gemfileLock'],
      ['notes.txt', undefined],
      ['Gemfile', undefined],
      ['constructor', undefined],
      ['go.sum', undefined],
    ];
    for (const [path, kind] of cases) assert.equal(manifestKind(path), kind, path);
  });
});

describe('requirements.txt', () => {
  it('finds names with extras, markers, options and comments, and exact pins only', () => {
    const text = lines(
      '# production',
      'Requests==2.31.0  # pinned',
      'uvicorn[standard] == 0.29.0 ; python_version >= "3.12"',
      'jinja2>=3.1,<4',
      'urllib3>=2.2.1',
      '-r base.txt',
      '--index-url https://pypi.org/simple',
      'https://example.com/pkg.whl',
      'pyjwt===2.8.0 \\',
      '    --hash=sha256:abc',
      'fastmcp @ git+https://github.com/x/fastmcp',
      'wild==1.*',
      '',
    );
    assert.deepEqual(table('requirements', text), {
      Requests: [1, 'Requests', '2.31.0'],
      uvicorn: [2, 'uvicorn', '0.29.0'],
      jinja2: [3, 'jinja2', undefined],
      urllib3: [4, 'urllib3', '2.2.1'],
      pyjwt: [8, 'pyjwt', '2.8.0'],
      fastmcp: [10, 'fastmcp', undefined],
      wild: [11, 'wild', undefined],
    });
  });
});

describe('pyproject.toml', () => {
  it('reads PEP 621 dependencies (one line and multi-line), optional dependencies, dependency groups and tool.uv', () => {
    const text = lines(
      '[project]',
      'name = "svc"',
      'dependencies = ["httpx==0.27.0", "boto3>=1.34"]',
      '',
      '[project.optional-dependencies]',
      'server = [',
      '    "uvicorn[standard]==0.29.0",  # ASGI',
      '    \'starlette>=0.37\',',
      ']',
      '',
      '[dependency-groups]',
      'dev = [',
      '    "pytest>=8",',
      '    { include-group = "lint" },',
      ']',
      '',
      '[tool.uv]',
      'constraint-dependencies = ["urllib3==2.2.2"]',
      '',
      '[tool.ruff]',
      'extend-select = ["requests"]',
      '[tool.hatch]',
      'matrix = [',
      '  ["not", "a-table"],',
      ']',
      'packages = ["no-requirement"]',
    );
    assert.deepEqual(table('pyproject', text), {
      httpx: [2, 'httpx', '0.27.0'],
      boto3: [2, 'boto3', '1.34'],
      uvicorn: [6, 'uvicorn', '0.29.0'],
      starlette: [7, 'starlette', '0.37'],
      pytest: [12, 'pytest', '8'],
      urllib3: [17, 'urllib3', '2.2.2'],
    });
  });

  it('reads Poetry dependency tables, with exact versions as pins and python skipped', () => {
    const text = lines(
      '[tool.poetry.dependencies]',
      'python = "^3.12"',
      'requests = "2.31.0"',
      'Jinja2 = { version = "==3.1.3", extras = ["i18n"] }',
      'httpx = "^0.27"',
      '[tool.poetry.group.dev.dependencies]',
      'pytest = "8.2.1"',
    );
    assert.deepEqual(table('pyproject', text), {
      requests: [2, 'requests', '2.31.0'],
      Jinja2: [3, 'Jinja2', '3.1.3'],
      httpx: [4, 'httpx', undefined],
      pytest: [6, 'pytest', '8.2.1'],
    });
  });
});

describe('uv.lock', () => {
  it('declares each [[package]] on its name line, never the inline dependency tables', () => {
    const text = lines('version = 1', '', '[[package]]', 'name = "requests"', 'version = "2.31.0"', 'dependencies = [', '    { name = "urllib3" },', ']', '', '[package.metadata]', 'name = "not-a-package"', '', '[[package]]', 'name = "urllib3"', 'version = "2.2.1"');
    assert.deepEqual(table('uvLock', text), { requests: [3, 'requests', undefined], urllib3: [13, 'urllib3', undefined] });
  });
});

describe('package.json and package-lock.json', () => {
  it('reads every dependency section; exact and caret/tilde versions can be bumped, other ranges not', () => {
    const text = lines('{', '  "name": "web",', '  "version": "1.0.0",', '  "dependencies": {', '    "express": "4.18.2",', '    "@scope/util": "^1.2.3",', '    "lodash": ">=4 <5"', '  },', '  "devDependencies": { "jest": "~29.7.0" },', '  "scripts": { "express": "node ." }', '}');
    assert.deepEqual(table('packageJson', text), {
      express: [4, 'express', '4.18.2'],
      '@scope/util': [5, '@scope/util', '1.2.3'],
      lodash: [6, 'lodash', undefined],
      jest: [8, 'jest', '29.7.0'],
    });
  });

  it('reads lockfile v3 packages (nested node_modules, scopes) and v1 dependencies', () => {
    const v3 = lines('{', '  "lockfileVersion": 3,', '  "packages": {', '    "": { "name": "web" },', '    "node_modules/express": { "version": "4.18.2" },', '    "node_modules/express/node_modules/@types/qs": { "version": "6.9.7" }', '  }', '}');
    assert.deepEqual(table('packageLock', v3), { express: [4, 'express', undefined], '@types/qs': [5, '@types/qs', undefined] });
    const v1 = lines('{', '  "lockfileVersion": 1,', '  "dependencies": {', '    "ms": {', '      "version": "2.0.0",', '      "requires": { "x": "1" },', '      "dependencies": { "debug": { "version": "2.6.9" } }', '    }', '  }', '}');
    assert.deepEqual(table('packageLock', v1), { ms: [3, 'ms', undefined], debug: [6, 'debug', undefined] });
  });

  it('positions survive escapes and tolerate malformed JSON', () => {
    const members = jsonMembers('{"a\\"b": {"c": "\\u00e9"}, "d": [1, {"e": true}], "f": ');
    assert.deepEqual(members.map((m) => [m.key, m.path.join('.'), m.start]), [['a"b', '', 2], ['c', 'a"b', 11], ['d', '', 27], ['e', 'd', 37]]);
  });
});

describe('go.mod and Gemfile.lock', () => {
  it('reads single and block requires with their versions', () => {
    const text = lines('module example.com/svc', '', 'go 1.22', '', 'require github.com/gin-gonic/gin v1.9.1', '', 'require (', '\tgolang.org/x/net v0.17.0 // indirect', '\tgithub.com/Masterminds/semver/v3 v3.2.1', ')', 'replace golang.org/x/text => ../text');
    assert.deepEqual(table('goMod', text), {
      'github.com/gin-gonic/gin': [4, 'github.com/gin-gonic/gin', 'v1.9.1'],
      'golang.org/x/net': [7, 'golang.org/x/net', 'v0.17.0'],
      'github.com/Masterminds/semver/v3': [8, 'github.com/Masterminds/semver/v3', 'v3.2.1'],
    });
  });

  it('reads resolved gems, not the requirements nested under them', () => {
    const text = lines('GEM', '  remote: https://rubygems.org/', '  specs:', '    rack (2.2.3)', '    rails (7.1.0)', '      rack (>= 2.2.4)', '', 'DEPENDENCIES', '  rails');
    assert.deepEqual(table('gemfileLock', text), { rack: [3, 'rack', undefined], rails: [4, 'rails', undefined] });
  });
});

describe('package name comparison', () => {
  it('normalises Python names per PEP 503 and compares others case-insensitively', () => {
    assert.equal(canonicalName('Typing_Extensions', 'python'), canonicalName('typing.extensions', 'python'));
    assert.equal(canonicalName('Jinja2', 'python'), 'jinja2');
    assert.notEqual(canonicalName('typing_extensions', 'node'), canonicalName('typing-extensions', 'node'));
    assert.equal(canonicalName('Rack', 'ruby'), 'rack');
  });
});

// Declarations are plain data: a reader that returns something else would break the mapping silently.
describe('declaration shape', () => {
  it('every reader returns 0-based lines and name columns inside the line', () => {
    const samples: Array<[ManifestKind, string]> = [
      ['requirements', 'a==1\n'],
      ['pyproject', '[project]\ndependencies = ["a==1"]\n'],
      ['uvLock', '[[package]]\nname = "a"\n'],
      ['packageJson', '{"dependencies": {"a": "1.0.0"}}'],
      ['packageLock', '{"packages": {"node_modules/a": {}}}'],
      ['goMod', 'require a v1.0.0\n'],
      ['gemfileLock', '    a (1.0)\n'],
    ];
    for (const [kind, text] of samples) {
      const [d] = readDeclarations(kind, text) as [Declaration];
      assert.ok(d, kind);
      assert.equal(text.split('\n')[d.line].slice(d.start, d.end), 'a', kind);
    }
  });
});
