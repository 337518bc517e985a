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
