/**
 * `ecr-deploy`: the headless entry, on the same core and AWS edge as the extension, no vscode. The build bundles
 * it as dist/cli/main.js, which the bin (dist/cli.js, src/cliLauncher.ts) compiles from its V8 code cache and
 * starts with `runProcess()`; run directly (`node dist/cli/main.js`), it starts itself.
 */
import { runCli, type RunIo } from './cli/framework';
import { commandsFor } from './cli/commands';

// The SDK warns on every run that releases after January 2027 need Node 22; users of the CLI cannot act on it.
if (!process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED) process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** One command line, its exit code returned: the process's own run, and the build's code-cache training runs. */
export async function run(argv: string[], io: RunIo): Promise<number> {
  return runCli(argv, await commandsFor(argv), io);
}

/** The program: the process's argv and streams, Ctrl-C cancels, the exit code set. */
export function runProcess(): void {
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  void run(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    signal: abort.signal,
  }).then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) runProcess();
