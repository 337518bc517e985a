/**
 * The one place AWS SDK clients are made: credential chain for the chosen profile, region, endpoint
 * override and adaptive retries. Every service module takes its client from here. Each client (and its
 * SDK package, which costs tens of milliseconds to load) is made on first use: a one-shot CLI command
 * that reads ECR never loads the ECS or CloudWatch Logs packages.
 */
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
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
  readonly cloudwatch: CloudWatchClient;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly iam: IAMClient;
  readonly ssm: SSMClient;
  readonly secretsManager: SecretsManagerClient;
  destroy(): void;
}

/** What the chain's providers said when they gave up, which says why, unlike the chain's last words. */
const UNINFORMATIVE = [
  /skipping/i,
  /inputs do not include SSO fields/,
  /did not contain credential_process/,
  /Web identity configuration not specified/,
  /Instance Metadata Service/i,
  /Could not load credentials from any providers/,
  /Unable to find environment variable/,
  /^Profile \S+ could not be found/,
];

function causeOf(messages: readonly string[], profile: string | undefined): string | undefined {
  for (const message of messages) {
    if (UNINFORMATIVE.some((pattern) => pattern.test(message))) continue;
    const process = /^Command failed: [^\n]*\n?([\s\S]*)$/.exec(message);
    // The credential_process command line is the profile's, and may carry a token: only its stderr is quoted.
    if (process) return `credential_process failed${process[1].trim() ? `: ${process[1].trim().split('\n')[0].slice(0, 200)}` : ''}`;
    const source = /^Could not resolve credentials using profile: \[([^\]]*)\]/.exec(message);
    // The chosen profile itself without keys: the usual "configure it" advice fits, so no cause is added.
    if (source) return source[1] === (profile ?? 'default') ? undefined : `its source_profile "${source[1]}" is missing or has no credentials in the shared config or credentials files`;
    return message.split('\n')[0].slice(0, 200);
  }
  return undefined;
}

/**
 * The SDK's credential chain for the profile, with a logger of our own: the providers' debug lines say
 * why each gave up (a failing credential_process, a missing source_profile), and the chain's failure
 * carries that as `credentialCause` instead of only "Could not load credentials from any providers".
 * The SDK's multi-line warning when both a profile and AWS_ACCESS_KEY_ID are set is dropped: the
 * profile wins, as documented.
 */
function credentialChain(profile: string | undefined): ReturnType<typeof fromNodeProviderChain> {
  let said: string[] = [];
  const logger = {
    debug: (...parts: unknown[]) => {
      const text = parts.map(String).join(' ');
      const m = /^@smithy\/property-provider (?:->|\(!\)) ([\s\S]*)$/.exec(text);
      if (m) said.push(m[1]);
    },
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
    trace: () => undefined,
  };
  const chain = fromNodeProviderChain({ ...(profile ? { profile } : {}), logger });
  return async (properties) => {
    said = [];
    try {
      return await chain(properties);
    } catch (error) {
      const cause = causeOf(said, profile);
      if (cause && error && typeof error === 'object') Object.defineProperty(error, 'credentialCause', { value: cause, enumerable: false, configurable: true });
      throw error;
    }
  };
}

export function createAwsClients(connection: ResolvedConnection): AwsClients {
  // One credential provider shared by every client, so an SSO or assume-role refresh happens once.
  const credentials = credentialChain(connection.profile);
  const common = {
    region: connection.region,
    profile: connection.profile,
    credentials,
    ...(connection.endpointUrl ? { endpoint: connection.endpointUrl } : {}),
    retryMode: process.env.AWS_RETRY_MODE || 'adaptive',
    ...(connection.maxAttempts ? { maxAttempts: connection.maxAttempts } : {}),
  };
  /* eslint-disable @typescript-eslint/no-require-imports -- each SDK package loads with its first client (see above) */
  const made: {
    ecr?: ECRClient;
    ecs?: ECSClient;
    logs?: CloudWatchLogsClient;
    cloudwatch?: CloudWatchClient;
    elbv2?: ElasticLoadBalancingV2Client;
    iam?: IAMClient;
    ssm?: SSMClient;
    secretsManager?: SecretsManagerClient;
  } = {};
  // Every failed call names its operation and host (recordCallSite), whichever client made it.
  const recorded = <T>(client: T): T => {
    recordCallSite(client as unknown as StackClient);
    return client;
  };
  return {
    connection,
    get ecr() {
      return (made.ecr ??= recorded(new (require('@aws-sdk/client-ecr') as typeof import('@aws-sdk/client-ecr')).ECRClient(common)));
    },
    get ecs() {
      return (made.ecs ??= recorded(new (require('@aws-sdk/client-ecs') as typeof import('@aws-sdk/client-ecs')).ECSClient(common)));
    },
    get logs() {
      // Live tail's streaming host prefix ("streaming-") breaks IP endpoints such as a local emulator.
      return (made.logs ??= recorded(new (require('@aws-sdk/client-cloudwatch-logs') as typeof import('@aws-sdk/client-cloudwatch-logs')).CloudWatchLogsClient({ ...common, disableHostPrefix: Boolean(connection.endpointUrl) })));
    },
    get cloudwatch() {
      return (made.cloudwatch ??= recorded(new (require('@aws-sdk/client-cloudwatch') as typeof import('@aws-sdk/client-cloudwatch')).CloudWatchClient(common)));
    },
    get elbv2() {
      return (made.elbv2 ??= recorded(new (require('@aws-sdk/client-elastic-load-balancing-v2') as typeof import('@aws-sdk/client-elastic-load-balancing-v2')).ElasticLoadBalancingV2Client(common)));
    },
    // IAM, SSM and Secrets Manager are read only by Diagnose Service / `ecr-deploy doctor`.
    get iam() {
      return (made.iam ??= recorded(new (require('@aws-sdk/client-iam') as typeof import('@aws-sdk/client-iam')).IAMClient(common)));
    },
    get ssm() {
      return (made.ssm ??= recorded(new (require('@aws-sdk/client-ssm') as typeof import('@aws-sdk/client-ssm')).SSMClient(common)));
    },
    get secretsManager() {
      return (made.secretsManager ??= recorded(new (require('@aws-sdk/client-secrets-manager') as typeof import('@aws-sdk/client-secrets-manager')).SecretsManagerClient(common)));
    },
    destroy() {
      made.iam?.destroy();
      made.ssm?.destroy();
      made.secretsManager?.destroy();
      made.cloudwatch?.destroy();
      made.elbv2?.destroy();
      made.ecr?.destroy();
      made.ecs?.destroy();
      made.logs?.destroy();
    },
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}
