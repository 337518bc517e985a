/** Bundled apart as dist/build.js, loaded on first use: the Build and Push flow. */
export { buildCommands as commands } from './commands';
