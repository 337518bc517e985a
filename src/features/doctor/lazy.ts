/** Bundled apart as dist/doctor.js, loaded on first use: Diagnose Service and its report panel. */
export { doctorCommands as commands } from './commands';
