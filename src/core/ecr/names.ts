/** ECR's naming rules and image references, checked before a call so the message can say what to change. */

const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/** Undefined when ECR accepts the name; otherwise what is wrong, in one sentence. */
export function repositoryNameProblem(name: string): string | undefined {
  if (name.length < 2) return 'A repository name has at least 2 characters.';
  if (name.length > 256) return 'A repository name has at most 256 characters.';
  if (/[A-Z]/.test(name)) return 'Use lower-case letters: ECR repository names are lower case.';
  if (/\s/.test(name)) return 'A repository name cannot contain spaces.';
  if (!REPOSITORY_NAME.test(name)) {
    return 'Use lower-case letters, digits and single separators (. _ -) between them, with / between path parts (for example team/service-api).';
  }
  return undefined;
}

/** `URI:tag` for a tag, `URI@sha256:…` for a digest. */
export function imageReference(repositoryUri: string, ref: { tag?: string; digest?: string }): string {
  if (ref.tag) return `${repositoryUri}:${ref.tag}`;
  if (ref.digest) return `${repositoryUri}@${ref.digest}`;
  return repositoryUri;
}
