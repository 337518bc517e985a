import { isPhrased } from './named';

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
  /** A deploy failed after the service took the new revision: check it, or roll back to `rollBackTo`. */
  | { kind: 'checkService'; cluster: string; service: string; rollBackTo: string }
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
  $response?: { headers?: Record<string, string | undefined>; body?: unknown };
  cause?: unknown;
  /** Set by the edge's clients (src/aws/clients.ts): the operation that failed and the host it was sent to. */
  awsOperation?: string;
  awsHost?: string;
  /** Set by the edge's credential chain: why the providers gave up (a credential_process that failed). */
  credentialCause?: string;
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

/** The AWS operation a failed call was (`DescribeServices`), when the edge's clients recorded it. */
export function failedOperation(error: unknown): string | undefined {
  const operation = asErrorLike(error).awsOperation;
  return typeof operation === 'string' && operation ? operation : undefined;
}

/**
 * True when the answer was not AWS's at all: a proxy's or load balancer's HTML page (the SDK then fails
 * parsing it as JSON, `SyntaxError: Unexpected token '<'`), or any body that is not JSON with a 5xx.
 */
function isForeignAnswer(e: ErrorLike): boolean {
  const type = e.$response?.headers?.['content-type'] ?? e.$response?.headers?.['Content-Type'] ?? '';
  if (/html/i.test(type)) return true;
  return e.name === 'SyntaxError' && e.$metadata?.httpStatusCode !== undefined;
}

/**
 * What a call failed with, in the parentheses of the one error line: `HTTP 500 from host` for an
 * answer that was not AWS's, the network code (`ECONNRESET`), else the AWS error code.
 */
export function failureCode(error: unknown): string {
  const e = asErrorLike(error);
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && isForeignAnswer(e)) return `HTTP ${status}${e.awsHost ? ` from ${e.awsHost}` : ''}`;
  const net = networkCode(e);
  if (net) return net;
  const name = e.name ?? e.Code ?? e.code ?? 'Error';
  if (name === 'Error' && status !== undefined) return `HTTP ${status}${e.awsHost ? ` from ${e.awsHost}` : ''}`;
  return name;
}

/**
 * True when the failure says nothing about the request itself: throttling, a network fault, a 5xx, an
 * answer that was not AWS's. A read failing so is worth reading again; a change failing so may or may
 * not have happened (the server may have acted before the answer was lost).
 */
export function isTransientFailure(error: unknown): boolean {
  const e = asErrorLike(error);
  if (e.name === 'AbortError') return false;
  if (isThrottling(error)) return true;
  if (networkCode(e) || e.name === 'TimeoutError') return true;
  const status = e.$metadata?.httpStatusCode;
  return status === undefined ? e.name === 'SyntaxError' : status >= 500 || isForeignAnswer(e);
}

/** ECS refused the request whole because of its rate: nothing was done. */
export function isThrottling(error: unknown): boolean {
  const e = asErrorLike(error) as ErrorLike & { $retryable?: { throttling?: boolean } };
  return Boolean(e.$retryable?.throttling) || THROTTLING_CODES.has(e.name ?? '') || e.$metadata?.httpStatusCode === 429;
}

const THROTTLING_CODES = new Set(['Throttling', 'ThrottlingException', 'ThrottledException', 'TooManyRequestsException', 'RequestLimitExceeded', 'RequestThrottled', 'RequestThrottledException']);

/** `DescribeServices failed (HTTP 503 from host)`: the operation and the cause, without the SDK's prose. */
export function failedCallText(error: unknown): string {
  const operation = failedOperation(error);
  return `${operation ?? 'the AWS call'} failed (${failureCode(error)})`;
}

/**
 * Control characters (a newline, an escape) of a value shown back to the person, made visible: a
 * value is echoed on one line, and never moves the cursor or fakes a second message.
 */
export function escapeControl(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

/** NotFound codes whose usual cause is the right name in the wrong region. */
const NOT_FOUND_CODES = new Set(['RepositoryNotFoundException', 'ClusterNotFoundException', 'ServiceNotFoundException', 'ResourceNotFoundException', 'ImageNotFoundException', 'LogGroupNotFoundException']);

export function describeAwsError(error: unknown, context: ErrorContext = {}): DescribedError {
  const e = asErrorLike(error);
  const name = e.name ?? e.Code ?? e.code ?? 'Error';
  const profile = context.profile || 'default';
  const message = escapeControl(firstLine(e.message) || name);
  const operation = failedOperation(error);

  if (name === 'AbortError' || name === 'CancellationError' || /aborted/i.test(name)) {
    return { message: 'Cancelled.', code: name, nextStep: { kind: 'none' }, cancelled: true };
  }
  if (isPhrased(error)) {
    const after = error as Partial<{ ref: { cluster: string; service: string }; previousTaskDefinitionArn: string }>;
    const nextStep: NextStep =
      name === 'AfterUpdateError' && after.ref && after.previousTaskDefinitionArn
        ? { kind: 'checkService', cluster: after.ref.cluster, service: after.ref.service, rollBackTo: after.previousTaskDefinitionArn }
        : { kind: 'none' };
    return { message, code: name, nextStep, cancelled: false };
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
    const cause = typeof e.credentialCause === 'string' ? escapeControl(e.credentialCause) : undefined;
    if (cause) {
      return {
        message: `No AWS credentials for profile "${profile}": ${cause}. Fix the profile in the AWS config file, or choose another profile.`,
        code: name,
        nextStep: { kind: 'chooseProfile' },
        cancelled: false,
      };
    }
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
      message: `Cannot reach ${where} (${net ?? name})${operation ? ` for ${operation}` : ''}. Check the network, the region and the endpoint URL.`,
      code: net ?? name,
      nextStep: context.endpoint ? { kind: 'checkEndpoint', endpoint: context.endpoint } : { kind: 'chooseRegion' },
      cancelled: false,
    };
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied' || name === 'UnauthorizedOperation') {
    return { message: `Access denied for profile "${profile}": ${message}`, code: name, nextStep: { kind: 'checkPermissions' }, cancelled: false };
  }
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && isForeignAnswer(e)) {
    // A proxy's or load balancer's page: its HTML says nothing a person can act on, the status and host do.
    return {
      message: `${operation ?? 'The AWS call'} failed (${failureCode(error)}): the answer was not from AWS. Retry; if it persists, check the endpoint URL and any proxy.`,
      code: `HTTP ${status}`,
      nextStep: context.endpoint ? { kind: 'checkEndpoint', endpoint: context.endpoint } : { kind: 'none' },
      cancelled: false,
    };
  }
  const regionHint = NOT_FOUND_CODES.has(name) && context.region ? ` (looked in region ${context.region}: if it is in another region, pass --region or choose the region)` : '';
  const nextStep: NextStep = regionHint ? { kind: 'chooseRegion' } : { kind: 'none' };
  if (operation) {
    return { message: `${operation} failed (${failureCode(error)}): ${message}${regionHint}`, code: name === 'Error' ? undefined : name, nextStep, cancelled: false };
  }
  const suffix = status && status >= 500 ? ` (HTTP ${status})` : '';
  return { message: `${name === 'Error' ? '' : `${name}: `}${message}${suffix}${regionHint}`, code: name === 'Error' ? undefined : name, nextStep, cancelled: false };
}
