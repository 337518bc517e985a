/**
 * Container image references, `[registry/]path[:tag][@digest]`, and ECR repository URIs: the one
 * parser every layer uses to tell which container's image comes from a repository, to build a new
 * reference from a repository URI and a tag or digest, and to show an image by its tag.
 */

export interface ImageReference {
  /** `123456789012.dkr.ecr.us-east-1.amazonaws.com`, `docker.io`, or undefined for a bare name. */
  registry: string | undefined;
  /** The path inside the registry: `quilt-mcp-server`, `team/app`. */
  repository: string;
  tag: string | undefined;
  digest: string | undefined;
}

const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-f0-9]{32,}$/i;
// Docker's tag grammar (ECR allows 300 characters, but the Docker CLI stops at 128).
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export function isValidTag(tag: string): boolean {
  return TAG.test(tag);
}

export function parseImageReference(image: string): ImageReference {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const lastColon = rest.lastIndexOf(':');
  // A colon after the last slash separates the tag; one before it belongs to a registry port.
  if (lastColon > rest.lastIndexOf('/')) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
  }
  const firstSlash = rest.indexOf('/');
  const head = firstSlash >= 0 ? rest.slice(0, firstSlash) : '';
  // Like Docker: the first component is a registry when it looks like a host (dot, port or localhost).
  const hasRegistry = firstSlash >= 0 && (head.includes('.') || head.includes(':') || head === 'localhost');
  return {
    registry: hasRegistry ? head : undefined,
    repository: hasRegistry ? rest.slice(firstSlash + 1) : rest,
    tag: tag || undefined,
    digest: digest || undefined,
  };
}

/** `registry/repository` without tag or digest: what an ECR repository URI looks like. */
export function repositoryUriOf(image: string): string {
  const ref = parseImageReference(image);
  return `${ref.registry ? `${ref.registry}/` : ''}${ref.repository}`;
}

export function isFromRepository(image: string | undefined, repositoryUri: string): boolean {
  return image !== undefined && repositoryUri !== '' && repositoryUriOf(image).toLowerCase() === repositoryUri.toLowerCase();
}

/** The image to deploy: a tag of the repository, or its digest (for an untagged image). */
export function imageInRepository(repositoryUri: string, version: { tag?: string; digest?: string }): string {
  if (version.tag) {
    if (!isValidTag(version.tag)) throw new Error(`"${version.tag}" is not a valid image tag (letters, digits, _ . -; up to 128; not starting with . or -).`);
    return `${repositoryUri}:${version.tag}`;
  }
  if (version.digest) {
    if (!DIGEST.test(version.digest)) throw new Error(`"${version.digest}" is not an image digest (sha256:<hex>).`);
    return `${repositoryUri}@${version.digest}`;
  }
  throw new Error('An image needs a tag or a digest.');
}

/** What a reader recognises an image by: its tag, else a short digest. */
export function imageVersionLabel(image: string): string {
  const ref = parseImageReference(image);
  if (ref.tag) return ref.tag;
  if (ref.digest) return ref.digest.replace(/^sha256:/, '').slice(0, 12);
  return 'latest (implicit)';
}

/** The parts of an ECR repository URI: `<account>.dkr.ecr.<region>.amazonaws.com[.cn]/<name>`. */
export function parseEcrRepositoryUri(repositoryUri: string): { registryId: string; region: string; repositoryName: string } | undefined {
  const ref = parseImageReference(repositoryUri);
  const host = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/.exec(ref.registry ?? '');
  if (!host) return undefined;
  return { registryId: host[1], region: host[2], repositoryName: ref.repository };
}

export interface RepositoryUri {
  /** `123456789012.dkr.ecr.us-east-1.amazonaws.com` or `HOST:PORT`. */
  registry: string;
  /** The repository name, with its path components. */
  repository: string;
}

export function parseRepositoryUri(uri: string): RepositoryUri {
  const slash = uri.indexOf('/');
  if (slash <= 0 || slash === uri.length - 1) throw new Error(`${JSON.stringify(uri)} is not a repository URI (REGISTRY/NAME).`);
  return { registry: uri.slice(0, slash), repository: uri.slice(slash + 1) };
}

/**
 * The repository URI to build and push with: against real AWS the API's URI as it is; with a registry
 * endpoint (a local emulator whose URIs are not reachable) that endpoint replaces the registry host.
 */
export function repositoryUriFor(apiRepositoryUri: string, registryEndpoint: string | undefined): string {
  if (!registryEndpoint) return apiRepositoryUri;
  return `${registryEndpoint}/${parseRepositoryUri(apiRepositoryUri).repository}`;
}

/** The host `docker login` is given: the endpoint override, else the host of the API's proxy endpoint. */
export function loginEndpointFor(proxyEndpoint: string, registryEndpoint: string | undefined): string {
  return registryEndpoint ?? proxyEndpoint.replace(/^https?:\/\//, '').replace(/\/+$/, '');
}

export function imageReference(repositoryUri: string, tag: string): string {
  return `${repositoryUri}:${tag}`;
}

/**
 * Registries that speak plain HTTP: Docker treats 127.0.0.0/8 as insecure by default, and so do
 * podman and finch once told to; a loopback registry is a local emulator, never a remote one.
 */
export function isLoopbackRegistry(registry: string): boolean {
  const host = registry.startsWith('[') ? registry.slice(1, registry.indexOf(']')) : registry.split(':')[0];
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;

export function isDigest(value: string): boolean {
  return SHA256_DIGEST.test(value);
}

/** `linux/arm64` matches `linux/arm64/v8`: a variant is compared only when both name one. */
export function platformMatches(expected: string, actual: string): boolean {
  const [expectedOs, expectedArch, expectedVariant] = expected.trim().split('/');
  const [actualOs, actualArch, actualVariant] = actual.trim().split('/');
  return expectedOs === actualOs && expectedArch === actualArch && (!expectedVariant || !actualVariant || expectedVariant === actualVariant);
}
