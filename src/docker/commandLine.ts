/**
 * A command as an argument array: what is executed (no shell in between) and, rendered with POSIX
 * quoting, what is shown to the user so the line can be read and pasted exactly as it ran.
 */
import { shellQuote } from '../core/text/shellQuote';

export const CONTAINER_CLIS = ['docker', 'podman', 'finch'] as const;
export type ContainerCli = (typeof CONTAINER_CLIS)[number];

export function isContainerCli(value: string): value is ContainerCli {
  return (CONTAINER_CLIS as readonly string[]).includes(value);
}

export interface CommandLine {
  program: string;
  args: string[];
}

export function renderCommandLine(command: CommandLine): string {
  return [command.program, ...command.args].map(shellQuote).join(' ');
}

/** Which engine a command reaches, for the header of a build: a remote engine is worth saying. */
export function engineDescription(env: NodeJS.ProcessEnv): string | undefined {
  if (env.DOCKER_HOST) return `DOCKER_HOST=${env.DOCKER_HOST}`;
  if (env.DOCKER_CONTEXT) return `DOCKER_CONTEXT=${env.DOCKER_CONTEXT}`;
  if (env.CONTAINER_HOST) return `CONTAINER_HOST=${env.CONTAINER_HOST}`;
  return undefined;
}
