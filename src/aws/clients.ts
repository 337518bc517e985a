/**
 * The one place AWS SDK clients are made: credential chain for the chosen profile, region, endpoint
 * override and adaptive retries. Every service module takes its client from here. Each client (and its
 * SDK package, which costs tens of milliseconds to load) is made on first use: a one-shot CLI command
 * that reads ECR never loads the ECS or CloudWatch Logs packages.
 */
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { ResolvedConnection } from './connection';

export interface AwsClients {
  readonly connection: ResolvedConnection;
  readonly ecr: ECRClient;
  readonly ecs: ECSClient;
  readonly logs: CloudWatchLogsClient;
  destroy(): void;
}

export function createAwsClients(connection: ResolvedConnection): AwsClients {
  // One credential provider shared by the three clients, so an SSO or assume-role refresh happens once.
  const credentials = fromNodeProviderChain(connection.profile ? { profile: connection.profile } : {});
  const common = {
    region: connection.region,
    profile: connection.profile,
    credentials,
    ...(connection.endpointUrl ? { endpoint: connection.endpointUrl } : {}),
    retryMode: process.env.AWS_RETRY_MODE || 'adaptive',
    ...(connection.maxAttempts ? { maxAttempts: connection.maxAttempts } : {}),
  };
  /* eslint-disable @typescript-eslint/no-require-imports -- each SDK package loads with its first client (see above) */
  const made: { ecr?: ECRClient; ecs?: ECSClient; logs?: CloudWatchLogsClient } = {};
  return {
    connection,
    get ecr() {
      return (made.ecr ??= new (require('@aws-sdk/client-ecr') as typeof import('@aws-sdk/client-ecr')).ECRClient(common));
    },
    get ecs() {
      return (made.ecs ??= new (require('@aws-sdk/client-ecs') as typeof import('@aws-sdk/client-ecs')).ECSClient(common));
    },
    get logs() {
      // Live tail's streaming host prefix ("streaming-") breaks IP endpoints such as a local emulator.
      return (made.logs ??= new (require('@aws-sdk/client-cloudwatch-logs') as typeof import('@aws-sdk/client-cloudwatch-logs')).CloudWatchLogsClient({ ...common, disableHostPrefix: Boolean(connection.endpointUrl) }));
    },
    destroy() {
      made.ecr?.destroy();
      made.ecs?.destroy();
      made.logs?.destroy();
    },
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}
