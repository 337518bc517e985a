/**
 * `docker login --username AWS --password-stdin ENDPOINT` as a child process: the password is written
 * to its stdin and nowhere else (not argv, not a terminal, not a log), and whatever the CLI prints
 * back is shown only after the password has been masked out of it.
 */
import { createHash } from 'node:crypto';
import { isLoopbackRegistry } from '../core/ecr/imageReference';
import { renderCommandLine, type ContainerCli } from './commandLine';
import { loginCommand } from './commands';
import { describeFailure } from './failures';
import { spawnProcess, type ProcessRunner } from './process';

export interface RegistryCredentials {
  username: string;
  password: string;
  /** The host `docker login` is given (HOST or HOST:PORT). */
  endpoint: string;
}

export interface LoginIo {
  write(text: string): void;
  runner?: ProcessRunner;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

/**
 * Which token each CLI and engine was last logged in with, as a fingerprint (never the token), so a
 * second push with the same token skips the login. A push refused later logs in again anyway.
 */
export class LoginMemo {
  private readonly fingerprints = new Map<string, string>();

  private static key(cli: ContainerCli, endpoint: string, env: NodeJS.ProcessEnv): string {
    return [cli, endpoint, env.DOCKER_CONFIG ?? '', env.DOCKER_HOST ?? '', env.DOCKER_CONTEXT ?? ''].join('\u0000');
  }

  private static fingerprint(credentials: RegistryCredentials): string {
    return createHash('sha256').update(`${credentials.username}\u0000${credentials.password}`).digest('hex');
  }

  has(cli: ContainerCli, credentials: RegistryCredentials, env: NodeJS.ProcessEnv): boolean {
    return this.fingerprints.get(LoginMemo.key(cli, credentials.endpoint, env)) === LoginMemo.fingerprint(credentials);
  }

  remember(cli: ContainerCli, credentials: RegistryCredentials, env: NodeJS.ProcessEnv): void {
    this.fingerprints.set(LoginMemo.key(cli, credentials.endpoint, env), LoginMemo.fingerprint(credentials));
  }

  forget(cli: ContainerCli, endpoint: string, env: NodeJS.ProcessEnv): void {
    this.fingerprints.delete(LoginMemo.key(cli, endpoint, env));
  }

  clear(): void {
    this.fingerprints.clear();
  }
}

/** Replaces every occurrence of the secret (and of its base64 forms) with `***`. */
export function maskSecret(text: string, secret: string): string {
  if (!secret) return text;
  let masked = text.split(secret).join('***');
  for (const encoded of [Buffer.from(secret).toString('base64'), Buffer.from(`AWS:${secret}`).toString('base64')]) {
    masked = masked.split(encoded).join('***');
  }
  return masked;
}

export async function loginToRegistry(cli: ContainerCli, credentials: RegistryCredentials, io: LoginIo): Promise<void> {
  const command = loginCommand(cli, credentials.endpoint, { insecure: isLoopbackRegistry(credentials.endpoint) });
  io.write(`$ ${renderCommandLine(command)}   # password from GetAuthorizationToken, on stdin\n`);
  const env = io.env ?? process.env;
  // Output is held back until the child ends, so a secret split across two chunks is still masked.
  const result = await (io.runner ?? spawnProcess)(command, { env, stdin: credentials.password, signal: io.signal });
  const output = maskSecret(result.output, credentials.password);
  if (output) io.write(output.endsWith('\n') ? output : `${output}\n`);
  if (result.code !== 0) throw describeFailure('login', output, { cli, registry: credentials.endpoint, code: result.code });
}
