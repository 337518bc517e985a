/**
 * The rules the parts of a build and an image reference must follow (Docker's and ECR's), checked
 * before any command runs: a tag, repository name, platform or registry endpoint that would be refused
 * later, or that could be read as an option by a container CLI, is refused here with a message saying why.
 */
import { isDigest, isValidTag, parseImageReference } from './imageReference';


/** ECR's repository name grammar (lower case, path components separated by `/`). */
const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;
const BUILD_ARG_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A Dockerfile stage name (`FROM x AS name`). */
const STAGE_NAME = /^[A-Za-z][A-Za-z0-9_.-]*$/;
const HOST_PORT = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Shows a value in a message without letting it break the line or hide characters. */
export function quoteForMessage(value: string): string {
  return JSON.stringify(value);
}

export function tagProblem(tag: string): string | undefined {
  if (tag === '') return 'A tag cannot be empty.';
  if (tag.length > 128) return `The tag ${quoteForMessage(tag.slice(0, 20) + '…')} is ${tag.length} characters long; at most 128 are allowed.`;
  if (isValidTag(tag)) return undefined;
  if (/^[.-]/.test(tag)) return `The tag ${quoteForMessage(tag)} starts with "${tag[0]}"; a tag starts with a letter, a digit or "_".`;
  return `The tag ${quoteForMessage(tag)} has characters a tag cannot have; use letters, digits, "_", "." and "-".`;
}

export function repositoryNameProblem(name: string): string | undefined {
  if (name.length < 2) return `The repository name ${quoteForMessage(name)} is too short: a repository name has at least 2 characters.`;
  if (name.length > 256) return 'The repository name is too long: a repository name has at most 256 characters.';
  if (/[A-Z]/.test(name)) return `The repository name ${quoteForMessage(name)} has capitals: use lower-case letters, ECR repository names are lower case.`;
  if (/\s/.test(name)) return `The repository name ${quoteForMessage(name)} has spaces: a repository name cannot contain spaces.`;
  if (!REPOSITORY_NAME.test(name)) {
    return `The repository name ${quoteForMessage(name)} is not valid: lower-case letters, digits and ".", "_", "-" between them, path parts separated by "/".`;
  }
  return undefined;
}

/** Docker's repository path: lower-case components separated by `/`, each with single separators inside. */
const IMAGE_PATH = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

/**
 * Undefined when `image` is a reference a task definition can hold (`[registry/]path[:tag][@sha256:hex]`);
 * otherwise the rule it breaks. Checked before anything is sent: a newline or `;$(id)` in an image
 * would otherwise be registered as it is.
 */
export function imageReferenceProblem(image: string): string | undefined {
  if (image === '') return 'An image reference cannot be empty.';
  if (CONTROL.test(image) || /\s/.test(image)) return `The image ${quoteForMessage(image)} contains spaces or control characters; an image reference has none.`;
  if (image.length > 1024) return `The image reference is ${image.length} characters long; at most 1024 are allowed.`;
  const ref = parseImageReference(image);
  if (ref.registry !== undefined && !HOST_PORT.test(ref.registry)) return `The registry ${quoteForMessage(ref.registry)} of the image is not a host name with an optional port.`;
  if (!IMAGE_PATH.test(ref.repository)) {
    return `The repository ${quoteForMessage(ref.repository)} of the image is not valid: lower-case letters, digits and ".", "_", "-" between them, path parts separated by "/".`;
  }
  if (ref.tag !== undefined) {
    const problem = tagProblem(ref.tag);
    if (problem) return problem;
  }
  if (image.includes('@') && (ref.digest === undefined || !isDigest(ref.digest))) return `The digest in ${quoteForMessage(image)} is not sha256: followed by 64 lower-case hex digits.`;
  return undefined;
}

export function platformProblem(platform: string): string | undefined {
  return PLATFORM.test(platform) ? undefined : `The platform ${quoteForMessage(platform)} is not of the form os/arch[/variant], for example linux/amd64.`;
}

export function buildArgProblem(name: string, value: string): string | undefined {
  if (!BUILD_ARG_NAME.test(name)) return `The build argument name ${quoteForMessage(name)} is not valid: letters, digits and "_", not starting with a digit.`;
  if (CONTROL.test(value)) return `The build argument ${name} has a line break or control character in its value.`;
  return undefined;
}

export function targetProblem(target: string): string | undefined {
  return STAGE_NAME.test(target) ? undefined : `The build target ${quoteForMessage(target)} is not a stage name (letters, digits, "_", "." and "-", starting with a letter).`;
}

/** Paths reach the container CLI as one argument each; only a line break or control character is refused. */
export function pathProblem(what: string, value: string): string | undefined {
  if (value === '') return `The ${what} path is empty.`;
  if (CONTROL.test(value)) return `The ${what} path has a line break or control character in it.`;
  return undefined;
}

/**
 * A relative path that starts with "-" would be read as an option by the container CLI: "./" in front
 * keeps its meaning and removes the ambiguity.
 */
export function optionSafePath(value: string): string {
  return value.startsWith('-') ? `./${value}` : value;
}

/**
 * Normalises a registry endpoint setting (`HOST:PORT`, a scheme and a trailing "/" are tolerated).
 * Undefined for an empty setting; throws with a message for anything else that is not a host.
 */
export function parseRegistryEndpoint(value: string | undefined): string | undefined {
  const trimmed = (value ?? '').trim().replace(/^https?:\/\//, '').replace(/\/+$/, '');
  if (!trimmed) return undefined;
  const match = HOST_PORT.exec(trimmed);
  if (!match || (match[1] !== undefined && (Number(match[1]) < 1 || Number(match[1]) > 65535))) {
    throw new Error(`The registry endpoint ${quoteForMessage(value ?? '')} is not HOST or HOST:PORT (for example 127.0.0.1:5000).`);
  }
  return trimmed;
}
