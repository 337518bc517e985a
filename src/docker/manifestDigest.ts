/**
 * The digest a registry reports for an image reference (`node:20-slim`, `ghcr.io/org/app:1.2`,
 * `127.0.0.1:5000/base:1`), for pinning a base image: a HEAD of the manifest (GET when the registry sends no
 * `Docker-Content-Digest`), with the anonymous bearer token that public registries (Docker Hub, GHCR,
 * public.ecr.aws) ask for. For an image list this is the list's digest, which keeps every platform.
 */
import { createHash } from 'node:crypto';
import { isLoopbackRegistry } from '../core/ecr/imageReference';
import { MANIFEST_ACCEPT, RegistryApiError } from './registryApi';

const DOCKER_HUB = 'registry-1.docker.io';

/** Where an image reference lives: Docker's defaults (`docker.io`, `library/`) applied. */
export function registryLocation(image: string): { registry: string; repository: string; reference: string } {
  const [withoutDigest, digest] = image.split('@', 2) as [string, string | undefined];
  const slash = withoutDigest.indexOf('/');
  const first = slash < 0 ? '' : withoutDigest.slice(0, slash);
  const hasRegistry = first.includes('.') || first.includes(':') || first === 'localhost';
  let registry = hasRegistry ? first : DOCKER_HUB;
  let path = hasRegistry ? withoutDigest.slice(slash + 1) : withoutDigest;
  if (registry === 'docker.io' || registry === 'index.docker.io') registry = DOCKER_HUB;
  const colon = path.lastIndexOf(':');
  const tag = colon > path.lastIndexOf('/') ? path.slice(colon + 1) : undefined;
  if (tag !== undefined) path = path.slice(0, colon);
  if (registry === DOCKER_HUB && !path.includes('/')) path = `library/${path}`;
  return { registry, repository: path, reference: digest ?? tag ?? 'latest' };
}

/** `Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/node:pull"`. */
function bearerChallenge(header: string | null): { realm: string; params: URLSearchParams } | undefined {
  if (!header || !/^bearer\s/i.test(header)) return undefined;
  const params = new URLSearchParams();
  let realm: string | undefined;
  for (const [, key, value] of header.slice(7).matchAll(/(\w+)="([^"]*)"/g)) {
    if (key === 'realm') realm = value;
    else params.set(key!, value!);
  }
  return realm ? { realm, params } : undefined;
}

async function send(url: string, method: 'HEAD' | 'GET', token: string | undefined, signal?: AbortSignal): Promise<Response> {
  try {
    return await fetch(url, { method, headers: { Accept: MANIFEST_ACCEPT, ...(token ? { Authorization: `Bearer ${token}` } : {}) }, signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new RegistryApiError(`Cannot reach ${new URL(url).host}${cause ? ` (${cause})` : ''}.`);
  }
}

export async function manifestDigest(image: string, signal?: AbortSignal): Promise<string> {
  const { registry, repository, reference } = registryLocation(image);
  const url = `${isLoopbackRegistry(registry) ? 'http' : 'https'}://${registry}/v2/${repository}/manifests/${encodeURIComponent(reference)}`;
  let token: string | undefined;
  let response = await send(url, 'HEAD', token, signal);
  const challenge = response.status === 401 ? bearerChallenge(response.headers.get('www-authenticate')) : undefined;
  if (challenge) {
    if (!challenge.params.has('scope')) challenge.params.set('scope', `repository:${repository}:pull`);
    const tokenResponse = await send(`${challenge.realm}?${challenge.params}`, 'GET', undefined, signal);
    if (!tokenResponse.ok) throw new RegistryApiError(`${registry} gave no anonymous pull token for ${repository} (HTTP ${tokenResponse.status}): the image may be private.`, tokenResponse.status);
    const body = (await tokenResponse.json()) as { token?: string; access_token?: string };
    token = body.token ?? body.access_token;
    response = await send(url, 'HEAD', token, signal);
  }
  if (!response.ok) throw new RegistryApiError(`${registry} answered HTTP ${response.status} for ${repository}:${reference}${response.status === 401 ? ' (a private image: pin it by hand)' : ''}.`, response.status);
  const digest = response.headers.get('docker-content-digest');
  if (digest) return digest;
  const full = await send(url, 'GET', token, signal);
  if (!full.ok) throw new RegistryApiError(`${registry} answered HTTP ${full.status} for ${repository}:${reference}.`, full.status);
  return full.headers.get('docker-content-digest') ?? `sha256:${createHash('sha256').update(Buffer.from(await full.arrayBuffer())).digest('hex')}`;
}
