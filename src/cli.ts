#!/usr/bin/env node
/** `ecr-deploy`: the headless entry, on the same core and AWS edge as the extension, no vscode. */
import { runCli, type CommandDefinition } from './cli/framework';
import { buildAndPushCommand, buildCommand, pushCommand } from './cli/build';
import { continueCommand } from './cli/continue';
import { deployCommand, rollbackCommand, validateCommand } from './cli/deploy';
import { findingsCommand } from './cli/findings';
import { logsCommand } from './cli/logs';
import { metricsCommand } from './cli/metrics';
import { imagesCommand } from './cli/images';
import { initCiCommand } from './cli/initCi';
import { reposCommand } from './cli/repos';
import { servicesCommand } from './cli/services';

// The SDK warns on every run that releases after January 2027 need Node 22; users of the CLI cannot act on it.
if (!process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED) process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const COMMANDS: readonly CommandDefinition[] = [
  reposCommand,
  imagesCommand,
  servicesCommand,
  buildCommand,
  pushCommand,
  buildAndPushCommand,
  deployCommand,
  validateCommand,
  rollbackCommand,
  continueCommand,
  logsCommand,
  metricsCommand,
  findingsCommand,
  initCiCommand,
];

async function main(): Promise<void> {
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  const code = await runCli(process.argv.slice(2), COMMANDS, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    signal: abort.signal,
  });
  process.exitCode = code;
}

void main();
