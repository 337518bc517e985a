#!/usr/bin/env node
/** `ecr-deploy`: the headless entry, on the same core and AWS edge as the extension, no vscode. */
import { runCli } from './cli/framework';
import { commandsFor } from './cli/commands';

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
