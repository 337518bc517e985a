/**
 * The one place AWS SDK clients are made: credential chain for the chosen profile, region, endpoint
 * override and adaptive retries. Every service module takes its client from here.
 */
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { ResolvedConnection } from './connection';

interface StackClient {
  middlewareStack: {
    add(middleware: (next: (args: never) => Promise<unknown>, context: Record<string, unknown>) => (args: never) => Promise<unknown>, options: { step: 'initialize' | 'build'; name: string; priority?: 'high' | 'low' }): void;
  };
}

const HOST_KEY = 'ecrDeployHost';

/**
 * Every failed call says which operation failed and which host answered (non-enumerable `awsOperation`
 * and `awsHost`): the one error line names the step (`UpdateService failed (HTTP 500 from host)`),
 * and an HTML page from a proxy is summarised by its host instead of the SDK's JSON parse error.
 */
function recordCallSite(client: StackClient): void {
  client.middlewareStack.add(
    (next, context) => async (args: never) => {
      const request = (args as { request?: { hostname?: string; port?: number } }).request;
      if (request?.hostname) context[HOST_KEY] = request.port ? `${request.hostname}:${request.port}` : request.hostname;
      return next(args);
    },
    { step: 'build', name: 'ecrDeployRecordHost', priority: 'low' },
  );
  client.middlewareStack.add(
    (next, context) => async (args: never) => {
      try {
        return await next(args);
      } catch (error) {
        if (error && typeof error === 'object') {
          const e = error as Record<string, unknown>;
          const operation = typeof context.commandName === 'string' ? context.commandName.replace(/Command$/, '') : undefined;
          try {
            if (operation && e.awsOperation === undefined) Object.defineProperty(error, 'awsOperation', { value: operation, enumerable: false, configurable: true });
            if (context[HOST_KEY] && e.awsHost === undefined) Object.defineProperty(error, 'awsHost', { value: context[HOST_KEY], enumerable: false, configurable: true });
          } catch {
            // A frozen error keeps its own words.
          }
        }
        throw error;
      }
    },
    { step: 'initialize', name: 'ecrDeployCallSite', priority: 'high' },
  );
}

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
  const ecr = new ECRClient(common);
  const ecs = new ECSClient(common);
  // Live tail's streaming host prefix ("streaming-") breaks IP endpoints such as a local emulator.
  const logs = new CloudWatchLogsClient({ ...common, disableHostPrefix: Boolean(connection.endpointUrl) });
  for (const client of [ecr, ecs, logs]) recordCallSite(client as unknown as StackClient);
  return {
    connection,
    ecr,
    ecs,
    logs,
    destroy() {
      ecr.destroy();
      ecs.destroy();
      logs.destroy();
    },
  };
}
