import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { TEST_AWS_ENV } from './moto';

/** The repository root, from out/test/support or test/support alike. */
export const REPO_ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}out${path.sep}`) ? '../../..' : '../..');
export const CLI_PATH = path.join(REPO_ROOT, 'dist', 'cli.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI bundle as users do: a separate Node process, real argv, real exit code. */
export function runCliProcess(args: string[], env: Record<string, string> = {}, input?: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [CLI_PATH, ...args],
      { env: { ...process.env, ...TEST_AWS_ENV, AWS_MAX_ATTEMPTS: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: '', GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '', GITHUB_WORKSPACE: '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}
