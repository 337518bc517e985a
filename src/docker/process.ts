/**
 * Runs a container CLI as a child process, without a shell: the argument array reaches the program
 * as it is. Output is streamed to the caller and its tail kept for error messages; an abort stops
 * the child (a cancelled build stops the build).
 */
import { spawn } from 'node:child_process';
import { PhrasedError } from '../core/errors/named';
import type { CommandLine } from './commandLine';

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Written to the child's stdin, which is then closed; the only way a secret reaches a child. */
  stdin?: string;
  signal?: AbortSignal;
  onOutput?: (text: string) => void;
}

export interface RunResult {
  code: number;
  /** The last part of stdout and stderr together, for recognising failures. */
  output: string;
}

export type ProcessRunner = (command: CommandLine, options: RunOptions) => Promise<RunResult>;

/** The program itself could not be started (not installed, not on PATH). */
export class ProgramMissingError extends PhrasedError {
  override name = 'ProgramMissingError';
  constructor(readonly program: string) {
    super(`"${program}" was not found on PATH: install it, or choose another container CLI (setting ecrDeploy.containerCli, --container-cli).`);
  }
}

const KEPT_OUTPUT = 64 * 1024;

export const spawnProcess: ProcessRunner = (command, options) =>
  new Promise<RunResult>((resolve, reject) => {
    if (options.signal?.aborted) return reject(abortError());
    const child = spawn(command.program, command.args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      shell: false,
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output = (output + text).slice(-KEPT_OUTPUT);
      options.onOutput?.(text);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const onAbort = () => child.kill('SIGTERM');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.once('error', (error: NodeJS.ErrnoException) => {
      options.signal?.removeEventListener('abort', onAbort);
      reject(error.code === 'ENOENT' ? new ProgramMissingError(command.program) : error);
    });
    child.once('close', (code, signal) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (options.signal?.aborted) return reject(abortError());
      resolve({ code: code ?? (signal ? 128 : 1), output });
    });
    if (options.stdin !== undefined && child.stdin) {
      // A child that exits before reading its stdin closes the pipe: not an error of ours.
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.stdin);
    }
  });

export function abortError(): Error {
  const error = new Error('Cancelled.');
  error.name = 'AbortError';
  return error;
}
