/**
 * The part of the AWS edge the deploy use cases call, as a type: the CLI and the extension pass the
 * whole edge (`AwsAccess`), the unit tests a fake of just these functions.
 */
import type { AwsClients } from '../../aws/clients';
import type { AwsEdge } from '../ports';

export interface DeployEdge {
  ecs: Pick<AwsEdge['ecs'], 'describeService' | 'requireService' | 'describeTaskDefinition' | 'listServiceTasks'>;
  deploy: Pick<AwsEdge['deploy'], 'registerTaskDefinition' | 'deregisterTaskDefinition' | 'updateService' | 'listRevisionArns' | 'describeRevisions' | 'readImagePlatform'>;
  /** ECS's record of each deployment; absent in fakes that stand for endpoints without the API. */
  serviceDeployments?: Pick<AwsEdge['serviceDeployments'], 'describeServiceDeployment' | 'continueServiceDeployment'>;
  /** Target health for Validate; absent in fakes without a load balancer. */
  elbv2?: Pick<AwsEdge['elbv2'], 'describeTargetGroups' | 'describeTargetHealth'>;
  /** CloudWatch, for verify after deploy; absent in fakes that never verify. */
  metrics?: Pick<AwsEdge['metrics'], 'getMetricData'>;
}

export interface DeployAccess {
  edge: DeployEdge;
  clients: Pick<AwsClients, 'ecs' | 'ecr' | 'connection'> & Partial<Pick<AwsClients, 'elbv2' | 'cloudwatch'>>;
}

/**
 * Runs one read of a use case the way the shell shows reads: the extension under a cancellable
 * progress notification titled `title`, the CLI with its Ctrl+C signal. Questions to the person are
 * asked between reads, never under a progress notification.
 */
export type RunRead = <T>(title: string, read: (signal: AbortSignal | undefined) => Promise<T>) => Promise<T>;
