/**
 * The one way errors are told apart: by `name`. Core and the edges are bundled into more than one file
 * (dist/extension.js, dist/aws.js, dist/cli.js), so a class from one bundle is not the class of another
 * and `instanceof` lies across them; the AWS SDK names its exceptions the same way
 * (`ServiceNotFoundException`, `LimitExceededException`).
 */

/** True when `error` is an object whose `name` is one of `names`. */
export function isErrorNamed<N extends string>(error: unknown, ...names: N[]): error is Error & { name: N } {
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  return typeof name === 'string' && (names as string[]).includes(name);
}

/**
 * A failure already phrased for a person (a missing service, a refused tag): shells show its message
 * as it is, without an error-code prefix. Subclasses set their own `name` for `isErrorNamed`.
 */
export class PhrasedError extends Error {
  override name: string = 'PhrasedError';
  /** Survives bundling, unlike the class: `isPhrased` reads it. */
  readonly phrased = true;
}

/** True for any PhrasedError, whatever bundle made it. */
export function isPhrased(error: unknown): error is Error & { phrased: true } {
  return typeof error === 'object' && error !== null && (error as { phrased?: unknown }).phrased === true;
}
