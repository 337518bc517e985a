/**
 * Turns whatever an AWS call threw into one clear line and a next step. Pure, so the CLI and the
 * extension say the same thing, and so every branch is unit-tested without a network.
 */

export type NextStep =
  | { kind: 'ssoLogin'; profile: string; command: string }
  | { kind: 'chooseProfile' }
  | { kind: 'chooseRegion' }
  | { kind: 'checkEndpoint'; endpoint: string }
  | { kind: 'checkPermissions' }
  | { kind: 'none' };

export interface DescribedError {
  /** One line, safe to show: never a stack trace, never a secret. */
  message: string;
  /** The AWS error code or Node error code when there is one. */
  code?: string;
  nextStep: NextStep;
  /** The user cancelled: not worth an error message. */
  cancelled: boolean;
}

export interface ErrorContext {
  profile?: string;
  region?: string;
  endpoint?: string;
  /** True when the chosen profile is an SSO profile (from the shared config file). */
  profileUsesSso?: boolean;
}

interface ErrorLike {
  name?: string;
  code?: string;
  message?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
  cause?: unknown;
}

function asErrorLike(error: unknown): ErrorLike {
  if (error && typeof error === 'object') return error as ErrorLike;
  return { message: String(error) };
}

/** The first line of a message, without the SDK's long help paragraphs. */
function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n')[0].trim();
}

const EXPIRED_CODES = new Set(['ExpiredTokenException', 'ExpiredToken', 'RequestExpired', 'TokenRefreshRequired']);
const BAD_KEY_CODES = new Set(['UnrecognizedClientException', 'InvalidClientTokenId', 'InvalidSignatureException', 'SignatureDoesNotMatch', 'AuthFailure']);
const NETWORK_CODES = new Set(['ENOTFOUND', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

function networkCode(e: ErrorLike): string | undefined {
  for (let current: unknown = e, depth = 0; current && depth < 4; depth++) {
    const c = asErrorLike(current);
    if (c.code && NETWORK_CODES.has(c.code)) return c.code;
    current = c.cause;
  }
  return undefined;
}

export function describeAwsError(error: unknown, context: ErrorContext = {}): DescribedError {
  const e = asErrorLike(error);
  const name = e.name ?? e.Code ?? e.code ?? 'Error';
  const profile = context.profile || 'default';
  const message = firstLine(e.message) || name;

  if (name === 'AbortError' || name === 'CancellationError' || /aborted/i.test(name)) {
    return { message: 'Cancelled.', code: name, nextStep: { kind: 'none' }, cancelled: true };
  }

  const ssoExpired = /sso/i.test(e.message ?? '') && /(expired|refresh|invalid|not found|login)/i.test(e.message ?? '');
  if (ssoExpired || (context.profileUsesSso && (name === 'CredentialsProviderError' || EXPIRED_CODES.has(name) || name === 'UnauthorizedException'))) {
    const command = `aws sso login --profile ${profile}`;
    return {
      message: `The SSO session of profile "${profile}" has expired or was never started. Run \`${command}\`, then retry.`,
      code: name,
      nextStep: { kind: 'ssoLogin', profile, command },
      cancelled: false,
    };
  }
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
    return {
      message: `No AWS credentials found for profile "${profile}": ${message}. Choose another profile or configure this one (\`aws configure --profile ${profile}\`).`,
      code: name,
      nextStep: { kind: 'chooseProfile' },
      cancelled: false,
    };
  }
  if (EXPIRED_CODES.has(name)) {
    return {
      message: `The credentials of profile "${profile}" have expired (${name}). Refresh them, then retry.`,
      code: name,
      nextStep: { kind: 'chooseProfile' },
      cancelled: false,
    };
  }
  if (BAD_KEY_CODES.has(name)) {
    return {
      message: `AWS rejected the credentials of profile "${profile}" (${name}): ${message}`,
      code: name,
      nextStep: { kind: 'chooseProfile' },
      cancelled: false,
    };
  }
  if (/region is missing/i.test(message) || name === 'RegionMissing') {
    return { message: 'No AWS region is set. Choose a region (setting `ecrDeploy.region`, `--region`, or AWS_REGION).', code: name, nextStep: { kind: 'chooseRegion' }, cancelled: false };
  }
  const net = networkCode(e);
  if (net || name === 'TimeoutError') {
    const where = context.endpoint ?? `the AWS endpoints of ${context.region ?? 'the region'}`;
    return {
      message: `Cannot reach ${where} (${net ?? name}). Check the network, the region and the endpoint URL.`,
      code: net ?? name,
      nextStep: context.endpoint ? { kind: 'checkEndpoint', endpoint: context.endpoint } : { kind: 'chooseRegion' },
      cancelled: false,
    };
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied' || name === 'UnauthorizedOperation') {
    return { message: `Access denied for profile "${profile}": ${message}`, code: name, nextStep: { kind: 'checkPermissions' }, cancelled: false };
  }
  const status = e.$metadata?.httpStatusCode;
  const suffix = status && status >= 500 ? ` (HTTP ${status})` : '';
  return { message: `${name === 'Error' ? '' : `${name}: `}${message}${suffix}`, code: name === 'Error' ? undefined : name, nextStep: { kind: 'none' }, cancelled: false };
}
