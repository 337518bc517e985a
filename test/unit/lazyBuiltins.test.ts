/**
 * The CLI bundle's stand-ins for child_process, http2 and zlib (scripts/lib/lazyBuiltins.mjs): the same export
 * names as this Node's built-in, nothing loaded until an export is used, and then the real module's values.
 * Each stand-in is evaluated here as the bundle evaluates it, with a require that records what it loads.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as childProcessModule from 'node:child_process';
import * as http2Module from 'node:http2';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as zlibModule from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../support/cliProcess';

type LazyBuiltinsModule = { lazyBuiltinSource(name: string): string; LAZY_BUILTINS: string[] };
// The module is ES (.mjs) and this test compiles to CommonJS, whose import() TypeScript would turn into require().
const importModule = new Function('url', 'return import(url)') as (url: string) => Promise<LazyBuiltinsModule>;
const load = (): Promise<LazyBuiltinsModule> => importModule(pathToFileURL(path.join(REPO_ROOT, 'scripts/lib/lazyBuiltins.mjs')).href);

const nodeRequire = createRequire(__filename);

function standIn(source: string): { exports: Record<string, unknown>; required: string[] } {
  const required: string[] = [];
  const module = { exports: {} as Record<string, unknown> };
  const recordingRequire = (id: string): unknown => {
    required.push(id);
    return nodeRequire(id) as unknown;
  };
  new Function('module', 'exports', 'require', source)(module, module.exports, recordingRequire);
  return { exports: module.exports, required };
}

describe('lazy built-ins of the CLI bundle', () => {
  it('http2: the export names of the real module, loaded on first use; `const { constants } = http2` stays lazy', async () => {
    const { lazyBuiltinSource } = await load();
    const real = http2Module as unknown as Record<string, unknown>;
    const http2 = standIn(lazyBuiltinSource('http2'));
    assert.deepEqual(Object.keys(http2.exports).sort(), Object.keys(real).filter((k) => k !== 'default').sort());
    assert.deepEqual(http2.required, []);
    const { constants } = http2.exports as { constants: Record<string, unknown> };
    assert.deepEqual(http2.required, [], 'reading an object export at a module top must not load the built-in');
    assert.equal(constants.HTTP2_HEADER_STATUS, ':status');
    assert.deepEqual(http2.required, ['node:http2']);
    assert.equal(http2.exports.connect, real.connect);
    assert.equal(http2.exports.constants, real.constants, 'once loaded, the real object itself');
    assert.deepEqual(http2.required, ['node:http2'], 'loaded once');
    assert.ok('HTTP2_METHOD_GET' in constants && Object.keys(constants).length === Object.keys(real.constants as object).length);
  });

  it('child_process and zlib: a function export is the real function and loads the module', async () => {
    const { lazyBuiltinSource, LAZY_BUILTINS } = await load();
    assert.deepEqual(LAZY_BUILTINS, ['child_process', 'http2', 'zlib']);
    const childProcess = standIn(lazyBuiltinSource('child_process'));
    assert.deepEqual(childProcess.required, []);
    assert.equal(childProcess.exports.spawn, childProcessModule.spawn);
    assert.deepEqual(childProcess.required, ['node:child_process']);
    const zlib = standIn(lazyBuiltinSource('zlib'));
    assert.equal(typeof zlib.exports.crc32 === 'function', typeof (zlibModule as unknown as Record<string, unknown>).crc32 === 'function');
    assert.deepEqual(zlib.required, ['node:zlib']);
  });

  it('refuses a name that is not a Node built-in', async () => {
    const { lazyBuiltinSource } = await load();
    assert.throws(() => lazyBuiltinSource('left-pad'), /not a Node built-in/);
  });
});
