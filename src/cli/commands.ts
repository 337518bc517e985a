/** Every command of `ecr-deploy`, in the order the help lists them. */
import type { CommandDefinition } from './framework';
import { buildAndPushCommand, buildCommand, pushCommand } from './build';
import { continueCommand } from './continue';
import { deployCommand, rollbackCommand, validateCommand } from './deploy';
import { findingsCommand } from './findings';
import { logsCommand } from './logs';
import { imagesCommand } from './images';
import { initCiCommand } from './initCi';
import { reposCommand } from './repos';
import { servicesCommand } from './services';

export const COMMANDS: readonly CommandDefinition[] = [
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
  findingsCommand,
  initCiCommand,
];
