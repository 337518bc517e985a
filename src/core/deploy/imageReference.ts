/**
 * Container image references as a task definition holds them: `[registry/]path[:tag][@digest]`.
 * Parsing is needed to tell which container's image comes from a repository and to build the new
 * reference from a repository URI and a tag or digest.
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
// ECR and the OCI distribution spec: up to 128 characters, starting with a word character.
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

export function formatImageReference(ref: ImageReference): string {
  return `${ref.registry ? `${ref.registry}/` : ''}${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
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
