/** Bundled apart as dist/release.js, loaded on first use: Create Release Workflow... (which loads dist/ci.js in turn). */
export { ciCommands as commands } from './commands';
