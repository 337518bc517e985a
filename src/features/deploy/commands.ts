import type { Services } from '../context';
import type { CommandTable } from '../commands';
import { showDeployErrors, type ImageNodeArg, type ServiceArg } from './deployContext';
import { deployImageNode, deployToServiceNode } from './deployFlow';
import { answerReview } from './deployReview';
import { answerPaused, stopAndRollBack } from './pausedDeployments';
import { rollBack, showDeploymentHistory, showServiceEvents, validateDeployment } from './serviceActions';

export function deployCommands(services: Services): CommandTable {
  return {
    'ecrDeploy.deployToService': (node?: ImageNodeArg) => showDeployErrors(() => deployImageNode(services, node)),
    'ecrDeploy.deployImage': (arg?: ServiceArg) => showDeployErrors(() => deployToServiceNode(services, arg)),
    'ecrDeploy.validateDeployment': (arg?: ServiceArg) => showDeployErrors(() => validateDeployment(services, arg)),
    'ecrDeploy.rollBack': (arg?: ServiceArg & { toTaskDefinitionArn?: string }) => showDeployErrors(() => rollBack(services, arg)),
    'ecrDeploy.showServiceEvents': (arg?: ServiceArg) => showDeployErrors(() => showServiceEvents(services, arg)),
    'ecrDeploy.showDeploymentHistory': (arg?: ServiceArg) => showDeployErrors(() => showDeploymentHistory(services, arg)),
    'ecrDeploy.continueDeployment': (arg?: ServiceArg) => showDeployErrors(() => answerPaused(services, arg, 'CONTINUE')),
    'ecrDeploy.rollBackPausedDeployment': (arg?: ServiceArg) => showDeployErrors(() => answerPaused(services, arg, 'ROLLBACK')),
    'ecrDeploy.stopDeployment': (arg?: ServiceArg) => showDeployErrors(() => stopAndRollBack(services, arg)),
    // From the diff's title bar VS Code passes the modified side's URI; from the palette, the newest review.
    'ecrDeploy.deployReviewed': (uri?: unknown) => answerReview('deploy', uri),
    'ecrDeploy.cancelReview': (uri?: unknown) => answerReview('cancel', uri),
  };
}
