/**
 * The one place AWS SDK clients are made: credential chain for the chosen profile, region, endpoint
 * override and adaptive retries. Every service module takes its client from here.
 */
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { ResolvedConnection } from './connection';

export interface AwsClients {
  readonly connection: ResolvedConnection;
  readonly ecr: ECRClient;
  readonly ecs: ECSClient;
  readonly logs: CloudWatchLogsClient;
  readonly cloudwatch: CloudWatchClient;
  readonly elbv2: ElasticLoadBalancingV2Client;
  destroy(): void;
}

export function createAwsClients(connection: ResolvedConnection): AwsClients {
  // One credential provider shared by every client, so an SSO or assume-role refresh happens once.
  const credentials = fromNodeProviderChain(connection.profile ? { profile: connection.profile } : {});
  const common = {
    region: connection.region,
    profile: connection.profile,
    credentials,
    ...(connection.endpointUrl ? { endpoint: connection.endpointUrl } : {}),
    retryMode: process.env.AWS_RETRY_MODE || 'adaptive',
    ...(connection.maxAttempts ? { maxAttempts: connection.maxAttempts } : {}),
  };
  const ecr = new ECRClient(common);
  const ecs = new ECSClient(common);
  // Live tail's streaming host prefix ("streaming-") breaks IP endpoints such as a local emulator.
  const logs = new CloudWatchLogsClient({ ...common, disableHostPrefix: Boolean(connection.endpointUrl) });
  const cloudwatch = new CloudWatchClient(common);
  const elbv2 = new ElasticLoadBalancingV2Client(common);
  return {
    connection,
    ecr,
    ecs,
    logs,
    cloudwatch,
    elbv2,
    destroy() {
      ecr.destroy();
      ecs.destroy();
      logs.destroy();
      cloudwatch.destroy();
      elbv2.destroy();
    },
  };
}
