/**
 * The deploy's failures already phrased for a person (a missing service, a container that is not in
 * the task definition, a revision that is not ACTIVE): shells print them as they are. Recognised by
 * name (`isErrorNamed(error, 'DeployError')`) or as phrased (`isPhrased`), never by class: the class
 * is bundled into more than one file.
 */
import { PhrasedError } from '../errors/named';

export class DeployError extends PhrasedError {
  override name: string = 'DeployError';
}

/** A value the person typed that cannot be used (a tag that is not a valid tag): the CLI's bad usage. */
export class DeployInputError extends DeployError {
  override name: string = 'DeployInputError';
}

/**
 * A deploy or rollback that failed after UpdateService went through: the service already names another
 * revision. The message says which (`the service now names family:N`); the shells add how to check it
 * and how to roll back (the CLI's commands, the extension's Validate Deployment and Roll Back), from
 * these fields, which survive bundling.
 */
export class AfterUpdateError extends DeployError {
  override name: string = 'AfterUpdateError';
  constructor(
    message: string,
    readonly ref: { cluster: string; service: string },
    /** The revision the service names now. */
    readonly liveTaskDefinitionArn: string,
    /** The revision it named before this update: what Roll Back goes back to. */
    readonly previousTaskDefinitionArn: string,
  ) {
    super(message);
  }
}
