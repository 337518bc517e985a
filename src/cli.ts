#!/usr/bin/env node
/** `ecr-deploy`: the headless entry, on the same core and AWS edge as the extension, no vscode. */
import * as nodeModule from 'node:module';
import { runCli } from './cli/framework';
import { commandsFor } from './cli/commands';

// Every run compiles the parts it requires (dist/cli/<command>.js, dist/cli/sdk/<client>.js: ~1 MB for a read).
// Node 22.1+ keeps V8's code cache on disk between runs and skips most of that. Node 20 has no such cache: the
// v8-compile-cache require hook was tried and dropped, as it rewrites its whole cache file (4 MB) on every run,
// which cost what the cache saved (`ecr-deploy repos`: 226 ms of CPU with it, 224 ms without).
const enableCompileCache = (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache;
if (typeof enableCompileCache === 'function') enableCompileCache();

// The SDK warns on every run that releases after January 2027 need Node 22; users of the CLI cannot act on it.
if (!process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED) process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

async function main(): Promise<void> {
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  const argv = process.argv.slice(2);
  const code = await runCli(argv, await commandsFor(argv), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    signal: abort.signal,
  });
  process.exitCode = code;
}

void main();
