/** Bundled apart as dist/deploy.js, loaded on first use: the deploy flow, rollout follow, rollback, paused deployments. */
export { deployCommands as commands } from './commands';
