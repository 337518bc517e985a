/**
 * Reads what a registry holds through its HTTP API (Docker Registry v2 / OCI distribution): the
 * manifest of a tag or digest, and the image config it points to. Used to record a pushed image with
 * an emulator's API, and by the tests to check what really arrived. Credentials go in a header only.
 */
import { createHash } from 'node:crypto';
import { isLoopbackRegistry } from '../core/ecr/imageReference';
import { PhrasedError } from '../core/errors/named';
import type { RegistryCredentials } from './login';

/** Without these the registry answers a converted schema 1 manifest with another digest. */
export const MANIFEST_ACCEPT = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.index.v1+json',
].join(', ');

export interface RegistryManifest {
  digest: string;
  mediaType: string;
  /** The manifest exactly as stored: its sha256 is the digest. */
  body: string;
}

export interface ImageConfig {
  architecture?: string;
  os?: string;
  variant?: string;
}

export class RegistryApiError extends PhrasedError {
  override name = 'RegistryApiError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

function baseUrl(registry: string): string {
  return `${isLoopbackRegistry(registry) ? 'http' : 'https'}://${registry}`;
}

function authorization(credentials: Pick<RegistryCredentials, 'username' | 'password'>): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

async function get(url: string, credentials: Pick<RegistryCredentials, 'username' | 'password'>, accept: string, signal?: AbortSignal): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { Authorization: authorization(credentials), Accept: accept }, signal });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new RegistryApiError(`Cannot reach ${new URL(url).host}${cause ? ` (${cause})` : ''}.`);
  }
  if (!response.ok) throw new RegistryApiError(`${new URL(url).host} answered HTTP ${response.status} for ${new URL(url).pathname}.`, response.status);
  return response;
}

export async function readManifest(
  registry: string,
  repository: string,
  reference: string,
  credentials: Pick<RegistryCredentials, 'username' | 'password'>,
  signal?: AbortSignal,
): Promise<RegistryManifest> {
  const response = await get(`${baseUrl(registry)}/v2/${repository}/manifests/${encodeURIComponent(reference)}`, credentials, MANIFEST_ACCEPT, signal);
  const body = await response.text();
  const digest = response.headers.get('docker-content-digest') ?? `sha256:${createHash('sha256').update(body).digest('hex')}`;
  const mediaType = response.headers.get('content-type') ?? (JSON.parse(body) as { mediaType?: string }).mediaType ?? '';
  return { digest, mediaType, body };
}

export async function readImageConfig(
  registry: string,
  repository: string,
  manifest: RegistryManifest,
  credentials: Pick<RegistryCredentials, 'username' | 'password'>,
  signal?: AbortSignal,
): Promise<ImageConfig> {
  const configDigest = (JSON.parse(manifest.body) as { config?: { digest?: string } }).config?.digest;
  if (!configDigest) throw new RegistryApiError('The manifest names no config blob (an index of several platforms?).');
  const response = await get(`${baseUrl(registry)}/v2/${repository}/blobs/${configDigest}`, credentials, '*/*', signal);
  return (await response.json()) as ImageConfig;
}
