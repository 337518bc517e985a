/**
 * What a failed CloudWatch Logs call means for a running tail: wait and retry (throttling, network,
 * a passing server error), wait for the group to appear, or stop and tell the user.
 */

export type TailFailure = 'aborted' | 'throttled' | 'transient' | 'missingGroup' | 'fatal';

interface ErrorLike {
  name?: string;
  code?: string;
  message?: string;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
}

const THROTTLING = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded', 'LimitExceededException', 'RequestThrottled', 'SlowDown']);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'ECONNABORTED', 'UND_ERR_SOCKET']);
const TRANSIENT_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'ServiceUnavailableException', 'ServiceUnavailable', 'InternalFailure', 'InternalServerError']);

function networkCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 4; depth++) {
    const e = current as ErrorLike;
    if (e.code && NETWORK_CODES.has(e.code)) return e.code;
    current = e.cause;
  }
  return undefined;
}

export function classifyTailFailure(error: unknown): TailFailure {
  const e = (error && typeof error === 'object' ? error : { message: String(error) }) as ErrorLike;
  const name = e.name ?? '';
  if (name === 'AbortError' || /aborted/i.test(name)) return 'aborted';
  if (THROTTLING.has(name) || e.$retryable?.throttling || e.$metadata?.httpStatusCode === 429) return 'throttled';
  if (name === 'ResourceNotFoundException') return 'missingGroup';
  if (networkCode(e) || TRANSIENT_NAMES.has(name) || /socket hang up|network|premature close/i.test(e.message ?? '')) return 'transient';
  if ((e.$metadata?.httpStatusCode ?? 0) >= 500) return 'transient';
  return 'fatal';
}

/**
 * Whether StartLiveTail failing before its session started means "use polling instead": the endpoint
 * lacks the operation (local emulators answer 500 or 404), the principal may filter but not live-tail,
 * or the account's concurrent session quota is used up.
 */
export function liveTailUnavailable(error: unknown): boolean {
  const e = (error && typeof error === 'object' ? error : {}) as ErrorLike;
  const name = e.name ?? '';
  const status = e.$metadata?.httpStatusCode ?? 0;
  if (networkCode(e)) return false;
  return (
    status >= 500 ||
    status === 404 ||
    ['AccessDeniedException', 'LimitExceededException', 'UnknownOperationException', 'InvalidAction', 'InvalidOperationException', 'NotImplemented'].includes(name) ||
    /not (?:implemented|supported)|unknown operation/i.test(e.message ?? '')
  );
}

/** A short reason for a status line: the error's name and HTTP status, never a parser's complaint about an HTML page. */
export function failureReason(error: unknown): string {
  const e = (error && typeof error === 'object' ? error : { message: String(error) }) as ErrorLike;
  const status = e.$metadata?.httpStatusCode;
  const code = networkCode(e);
  if (code) return code;
  if (status && (!e.name || e.name === 'Error' || e.name === 'SyntaxError' || /deserializ/i.test(e.name))) return `HTTP ${status}`;
  const text = (e.message ?? '').split('\n')[0];
  return [e.name && e.name !== 'Error' ? e.name : undefined, status ? `HTTP ${status}` : undefined].filter(Boolean).join(', ') || text || 'unknown error';
}
