#!/usr/bin/env node
/** `ecr-deploy`: the headless entry, on the same core and AWS edge as the extension, no vscode. */
import * as nodeModule from 'node:module';
import { runCli } from './cli/framework';
import { commandsFor } from './cli/commands';

// Every run compiles the parts it requires (dist/cli/<command>.js, dist/cli/sdk/<client>.js: ~1 MB for a read);
// V8's code cache, kept on disk between runs, skips most of it. Node 22.1+ has it built in; on older Node the
// v8-compile-cache require hook does the same (cache in the OS temp folder; DISABLE_V8_COMPILE_CACHE=1 turns it off).
const builtIn = (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache;
if (typeof builtIn === 'function') builtIn();
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a require hook, loaded for its effect only where Node has none
else require('v8-compile-cache');

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
