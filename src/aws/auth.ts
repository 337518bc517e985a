/**
 * Registry credentials from ECR's GetAuthorizationToken, cached in memory (never on disk) until the
 * token's expiresAt minus a margin, so a build that starts just before expiry does not push with a
 * token that dies on the way. Concurrent callers share one request.
 */
import { GetAuthorizationTokenCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { loginEndpointFor } from '../core/ecr/imageReference';
import type { RegistryCredentials } from '../docker/login';
import type { CallOptions } from './ecr';

export interface RegistryToken {
  username: string;
  password: string;
  /** `https://123456789012.dkr.ecr.us-east-1.amazonaws.com` */
  proxyEndpoint: string;
  expiresAt: Date | undefined;
}

export interface RegistryAuthOptions {
  /** Replaces the proxy endpoint's host for login (a local emulator). */
  registryEndpoint?: string;
  /** How long before expiresAt a token counts as expired. Default 15 minutes. */
  marginMs?: number;
  now?: () => number;
}

export const DEFAULT_TOKEN_MARGIN_MS = 15 * 60 * 1000;

/** The token is base64 of `USER:PASSWORD`; the user is `AWS` for ECR. */
export function decodeAuthorizationToken(token: string): { username: string; password: string } {
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw new Error('GetAuthorizationToken answered a token that is not base64 of USER:PASSWORD.');
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export class RegistryAuth {
  private cached: RegistryToken | undefined;
  private pending: Promise<RegistryToken> | undefined;
  private readonly marginMs: number;
  private readonly now: () => number;

  constructor(
    private readonly ecr: ECRClient,
    private readonly options: RegistryAuthOptions = {},
  ) {
    this.marginMs = options.marginMs ?? DEFAULT_TOKEN_MARGIN_MS;
    this.now = options.now ?? Date.now;
  }

  /** Still usable for at least the margin. A token without expiresAt is never reused. */
  private isFresh(token: RegistryToken): boolean {
    return token.expiresAt !== undefined && token.expiresAt.getTime() - this.marginMs > this.now();
  }

  async token(options: CallOptions & { forceRefresh?: boolean } = {}): Promise<RegistryToken> {
    if (!options.forceRefresh && this.cached && this.isFresh(this.cached)) return this.cached;
    if (options.forceRefresh) this.cached = undefined;
    this.pending ??= this.fetchToken(options.signal).finally(() => {
      this.pending = undefined;
    });
    const token = await this.pending;
    this.cached = token;
    return token;
  }

  async credentials(options: CallOptions & { forceRefresh?: boolean } = {}): Promise<RegistryCredentials> {
    const token = await this.token(options);
    return { username: token.username, password: token.password, endpoint: loginEndpointFor(token.proxyEndpoint, this.options.registryEndpoint) };
  }

  invalidate(): void {
    this.cached = undefined;
  }

  private async fetchToken(signal: AbortSignal | undefined): Promise<RegistryToken> {
    const out = await this.ecr.send(new GetAuthorizationTokenCommand({}), { abortSignal: signal });
    const data = out.authorizationData?.[0];
    if (!data?.authorizationToken || !data.proxyEndpoint) throw new Error('GetAuthorizationToken answered no authorization data.');
    return { ...decodeAuthorizationToken(data.authorizationToken), proxyEndpoint: data.proxyEndpoint, expiresAt: data.expiresAt };
  }
}
