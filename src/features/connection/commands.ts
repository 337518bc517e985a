import type { DescribedError } from '../../core/errors/awsErrors';
import type { Services } from '../context';
import type { CommandTable } from '../commands';
import { selectProfile, selectRegion, switchConnection } from './connectionStatus';
import { runSsoLogin, showAwsError } from './nextSteps';

export function connectionCommands({ session, log }: Services): CommandTable {
  return {
    'ecrDeploy.refreshAll': () => session.reload(),
    'ecrDeploy.switchConnection': () => switchConnection(),
    'ecrDeploy.selectProfile': (profile?: string) => selectProfile(profile),
    'ecrDeploy.selectRegion': (region?: string) => selectRegion(region),
    'ecrDeploy.ssoLogin': (profile?: string) => runSsoLogin(typeof profile === 'string' ? profile : session.connection.profileLabel),
    'ecrDeploy.showLog': () => log.show(),
    'ecrDeploy.showErrorDetails': (error: DescribedError) => showAwsError('ECR Deploy', error),
  };
}
