/** Bundled apart as dist/readiness.js, loaded on first use: the readiness rules, their quick fixes and Check Deploy Readiness. */
import type { CommandTable } from '../commands';
import type { Services } from '../context';
import type { ServiceArg } from '../deploy/deployContext';
import { checkServiceReadiness, ignoreReadinessRule, pinBaseImageDigest } from './checkService';

export { readinessCodeActions, readinessDiagnosticsFor } from './editorChecks';

export function commands(services: Services): CommandTable {
  return {
    'ecrDeploy.checkDeployReadiness': (arg?: ServiceArg) => checkServiceReadiness(services, arg),
    'ecrDeploy.pinBaseImageDigest': (uri: import('vscode').Uri, line: number, image: string) => pinBaseImageDigest(uri, line, image),
    'ecrDeploy.ignoreReadinessRule': (rule: string) => ignoreReadinessRule(rule),
  };
}
