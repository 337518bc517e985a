/** Bundled apart as dist/explorer.js, loaded on first use: the explorer's commands and lifecycle policy editing. */
export { explorerCommands as commands } from './commands';
