/**
 * Which of a workspace's Dockerfiles builds a repository's image, when no setting says: the only one,
 * else the one whose path names the repository, else the one at the root. Anything closer to a tie is
 * the user's choice.
 */

/** Names that make a file a Dockerfile: `Dockerfile`, `Dockerfile.prod`, `api.Dockerfile`, `Containerfile`. */
export function isDockerfileName(fileName: string): boolean {
  return /^(Dockerfile|Containerfile)(\..+)?$/i.test(fileName) || /\.(Dockerfile|Containerfile)$/i.test(fileName);
}

function score(repositoryName: string, relativePath: string): number {
  // ECR names may carry a namespace (`team/quilt-mcp-server`): the last part names the service.
  const service = repositoryName.split('/').pop()!.toLowerCase();
  const segments = relativePath.toLowerCase().split('/');
  const base = segments[segments.length - 1];
  let points = 0;
  if (segments.slice(0, -1).includes(service) || base.includes(service)) points += 4;
  if (/^(dockerfile|containerfile)$/.test(base)) points += 2;
  if (segments.length === 1) points += 1;
  return points;
}

export interface DockerfileChoice {
  /** Set when one candidate is clearly the one. */
  chosen?: string;
  /** Every candidate, best first, for a picker. */
  ranked: string[];
}

export function chooseDockerfile(repositoryName: string, relativePaths: readonly string[]): DockerfileChoice {
  const ranked = [...relativePaths].sort((a, b) => score(repositoryName, b) - score(repositoryName, a) || a.split('/').length - b.split('/').length || (a < b ? -1 : a > b ? 1 : 0));
  if (ranked.length <= 1) return { chosen: ranked[0], ranked };
  const [first, second] = ranked.map((p) => score(repositoryName, p));
  return { chosen: first > second ? ranked[0] : undefined, ranked };
}
