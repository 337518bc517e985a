#!/usr/bin/env node
/**
 * The `ecr-deploy` bin (dist/cli.js): starts the CLI bundle, dist/cli/main.js, from the V8 code cache the build
 * made for it (dist/cli/main.cache, scripts/lib/cliCodeCache.mjs). Compiling the 1.9 MB bundle from source cost
 * a one-shot command 110-190 ms of CPU; deserialising the cache costs 10-15 ms, and the functions a command runs
 * are in it already compiled (the build makes the cache after running commands, not only the top level).
 *
 * The cache only saves time. Absent, damaged, made for another bundle, or refused by this Node's V8 (another
 * version or V8 flags), the bundle is compiled from its source and behaves the same. V8 checks neither the
 * payload nor the source (a same-length source passes; a flipped byte can crash the process), so the file
 * carries a SHA-256 of the bundle's bytes and the payload, checked first. It is never written at run time, and
 * it holds compiled code only: the training runs use made-up names and answers, and no data of a run is kept.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { Script } from 'node:vm';

const DIR = path.join(__dirname, 'cli');
export const BUNDLE = path.join(DIR, 'main.js');
export const CODE_CACHE = path.join(DIR, 'main.cache');

/** A cache file is this line, the SHA-256 of the bundle's bytes followed by the payload, then V8's payload. */
const MAGIC = Buffer.from('ecr-deploy V8 code cache 1\n');
const DIGEST_BYTES = 32;

/** What the bundle exports (src/cli.ts). */
interface CliBundle {
  run(argv: string[], io: { stdout: (text: string) => void; stderr: (text: string) => void; env: NodeJS.ProcessEnv; signal: AbortSignal }): Promise<number>;
  runProcess(): void;
}

/** used: V8 took the cache; absent: no file; damaged: not ours or not for this bundle; refused: V8 said no; off: not asked for. */
export type CacheUse = 'used' | 'absent' | 'damaged' | 'refused' | 'off';

export interface LoadedCli {
  /** The compiled bundle: the build asks it for `createCachedData()` after its training runs. */
  script: Script;
  cli: CliBundle;
  cache: CacheUse;
}

function digest(bundle: Buffer, payload: Buffer): Buffer {
  return createHash('sha256').update(bundle).update(payload).digest();
}

/** The cache file's bytes for V8's payload made from this bundle. */
export function sealCodeCache(bundle: Buffer, payload: Buffer): Buffer {
  return Buffer.concat([MAGIC, digest(bundle, payload), payload]);
}

function openCodeCache(file: string, bundle: Buffer): { payload?: Buffer; use: CacheUse } {
  let sealed: Buffer;
  try {
    sealed = readFileSync(file);
  } catch {
    return { use: 'absent' };
  }
  const payload = sealed.subarray(MAGIC.length + DIGEST_BYTES);
  const ours = sealed.length > MAGIC.length + DIGEST_BYTES && sealed.subarray(0, MAGIC.length).equals(MAGIC);
  if (!ours || !sealed.subarray(MAGIC.length, MAGIC.length + DIGEST_BYTES).equals(digest(bundle, payload))) return { use: 'damaged' };
  return { payload, use: 'used' };
}

/**
 * Compiles and evaluates the bundle as Node's CommonJS loader would (its own `require`, `module`, `__filename`,
 * `__dirname`; the wrapper's line is line 0, so stack traces and source maps keep the file's line numbers), with
 * the cache unless `cacheFile` is null.
 */
export function loadCli(cacheFile: string | null = CODE_CACHE): LoadedCli {
  const bundle = readFileSync(BUNDLE);
  const { payload, use } = cacheFile === null ? { use: 'off' as const } : openCodeCache(cacheFile, bundle);
  const source = `(function (exports, require, module, __filename, __dirname) {\n${bundle.toString('utf8')}\n})`;
  const script = new Script(source, { filename: BUNDLE, lineOffset: -1, cachedData: payload });
  const loaded = { exports: {} as CliBundle, filename: BUNDLE, id: BUNDLE };
  (script.runInThisContext() as (...args: unknown[]) => void).call(loaded.exports, loaded.exports, createRequire(BUNDLE), loaded, BUNDLE, DIR);
  return { script, cli: loaded.exports, cache: payload && script.cachedDataRejected ? 'refused' : use };
}

if (require.main === module) loadCli().cli.runProcess();
