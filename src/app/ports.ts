/**
 * What the use cases of src/app ask of a shell (the CLI or the extension): the AWS edge and its
 * clients, progress, cancellation. The use cases never import `vscode`; the extension and the CLI each
 * adapt these small interfaces (pickers and notifications, or flags and stdout).
 *
 * The AWS edge is typed here but never imported as a value: the extension loads it lazily (dist/aws.js),
 * so that activation never pays for the SDK, and the CLI passes the module it imported.
 */
import type { AwsClients } from '../aws/clients';

export type AwsEdge = typeof import('../aws/index');

/** The SDK-backed edge and the clients of the current connection. */
export interface AwsAccess {
  edge: AwsEdge;
  clients: AwsClients;
}

/** Short progress lines for long work ("Registering family:5", "2/3 tasks running"). */
export type ReportProgress = (message: string) => void;

/** What every long use case takes: a cancellation signal and where to say how far it got. */
export interface Work {
  signal?: AbortSignal;
  progress?: ReportProgress;
}
