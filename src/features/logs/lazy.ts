/** Bundled apart as dist/logs.js, loaded on first use: the log tail commands and pickers. */
export { logsCommands as commands } from './commands';
