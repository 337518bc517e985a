/** Bundled apart as dist/metrics.js, loaded on first use: Show Metrics and its panel. */
export { metricsCommands as commands } from './commands';
