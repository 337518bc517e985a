/**
 * Which AWS account, region and endpoint to talk to, and how that is resolved from settings, the
 * environment and the shared config files. No SDK import here: the extension resolves connections
 * during activation without paying for loading the SDK.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listProfiles, type ProfileInfo } from '../core/connection/sharedConfig';

export interface ConnectionSettings {
  /** Empty: AWS_PROFILE, else the SDK's default chain (env credentials first). */
  profile?: string;
  region?: string;
  endpointUrl?: string;
  /** Overrides AWS_MAX_ATTEMPTS / the SDK default (3). Tests use 1: moto answers 500 for what it lacks. */
  maxAttempts?: number;
}

export interface ResolvedConnection {
  /** Undefined means "the default chain": env credentials, then the `default` profile. */
  profile: string | undefined;
  /** What to show: the explicit profile, AWS_PROFILE or `default`. */
  profileLabel: string;
  region: string | undefined;
  /**
   * The endpoint to pass to the clients: the explicit setting, else the chosen profile's `endpoint_url`
   * (the SDK reads that only for AWS_PROFILE, not for a profile given in code). Undefined leaves
   * AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> to the SDK.
   */
  endpointUrl: string | undefined;
  /** The endpoint in effect, for messages: explicit, env or profile. */
  effectiveEndpoint: string | undefined;
  maxAttempts: number | undefined;
  profileUsesSso: boolean;
}

type Env = NodeJS.ProcessEnv;

export function sharedConfigPaths(env: Env = process.env): { config: string; credentials: string } {
  const home = env.HOME || env.USERPROFILE || os.homedir();
  return {
    config: env.AWS_CONFIG_FILE || path.join(home, '.aws', 'config'),
    credentials: env.AWS_SHARED_CREDENTIALS_FILE || path.join(home, '.aws', 'credentials'),
  };
}

function readIfExists(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Every profile named in the shared config and credentials files. */
export function readProfiles(env: Env = process.env): ProfileInfo[] {
  const files = sharedConfigPaths(env);
  return listProfiles(readIfExists(files.config), readIfExists(files.credentials));
}

export function resolveConnection(settings: ConnectionSettings, env: Env = process.env): ResolvedConnection {
  const explicitProfile = settings.profile?.trim() || env.AWS_PROFILE || undefined;
  const profileLabel = explicitProfile ?? 'default';
  const info = readProfiles(env).find((p) => p.name === profileLabel);
  const region = settings.region?.trim() || env.AWS_REGION || env.AWS_DEFAULT_REGION || info?.region || undefined;
  const envEndpoint = env.AWS_ENDPOINT_URL || undefined;
  const endpointUrl = settings.endpointUrl?.trim() || (envEndpoint ? undefined : info?.endpointUrl) || undefined;
  return {
    profile: explicitProfile,
    profileLabel,
    region,
    endpointUrl,
    effectiveEndpoint: endpointUrl ?? envEndpoint,
    maxAttempts: settings.maxAttempts,
    profileUsesSso: info?.usesSso ?? false,
  };
}
