/** Bundled apart as dist/scan.js, loaded on first use: the scan flow (start, wait, place findings) and the bump quick fixes. */
export { scanCommands as commands } from './commands';
export { bumpVersionActions } from './bumpActions';
