/**
 * The Dockerfile rules of the deploy readiness checks, on dockerfile-ast's parse (the parser behind the
 * Docker language server: line continuations, the escape directive, heredocs and `ARG` in `FROM` handled
 * as Docker does). The final stage is the image that ships: when it starts `FROM <earlier stage>`, that
 * stage's instructions are part of it too (a `USER` or `HEALTHCHECK` set there is inherited).
 */
import { Arg, DockerfileParser, Env, type Dockerfile, type From, type Instruction, type Property } from 'dockerfile-ast';
import type { ReadinessFinding } from './finding';
import { looksLikeSecretName } from './rules';

export interface DockerfileCheckOptions {
  /** The task definition the image runs in has a container `healthCheck`: `dockerfile/no-healthcheck` is then information. */
  taskDefinitionHasHealthCheck?: boolean;
}

interface Stage {
  from: From;
  instructions: Instruction[];
}

/** The final `FROM`'s base image, with `ARG`s substituted: what the pin quick fix asks the registry about. */
export interface BaseImage {
  /** As written, variables substituted: `node:20-slim`, `public.ecr.aws/docker/library/node:20`. */
  image: string;
  name: string;
  tag?: string;
  digest?: string;
  /** 1-based line, and the columns the image text spans on it (end exclusive). */
  line: number;
  column: number;
  endColumn: number;
  /** The text had a variable (`FROM ${BASE}`): a fix cannot rewrite it in place. */
  fromVariable: boolean;
}

function stagesOf(dockerfile: Dockerfile): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === 'FROM') stages.push({ from: instruction as From, instructions: [] });
    else stages.at(-1)?.instructions.push(instruction);
  }
  return stages;
}

/** `$NAME`, `${NAME}`, `${NAME:-default}` replaced by the global `ARG` defaults (what `FROM` may use). */
function substitute(text: string, dockerfile: Dockerfile): string {
  const defaults = new Map<string, string>();
  for (const arg of dockerfile.getInitialARGs()) {
    const property = arg.getProperty();
    if (property) defaults.set(property.getName(), property.getValue() ?? '');
  }
  return text.replace(/\$\{(\w+)(?::?[-+]([^}]*))?\}|\$(\w+)/g, (_whole, braced: string | undefined, fallback: string | undefined, bare: string | undefined) => {
    const value = defaults.get((braced ?? bare)!);
    return value || fallback || '';
  });
}

/** The final stage and the earlier stages it builds on, innermost (the one with the external base) first. */
function finalChain(stages: Stage[]): Stage[] {
  const chain: Stage[] = [];
  let current = stages.at(-1);
  while (current && !chain.includes(current)) {
    chain.unshift(current);
    const base = current.from.getImageName()?.toLowerCase();
    const index: number = stages.indexOf(current);
    current = stages.slice(0, index).reverse().find((s) => s.from.getBuildStage()?.toLowerCase() === base);
  }
  return chain;
}

function parseImage(image: string): { name: string; tag?: string; digest?: string } {
  const [withoutDigest, digest] = image.split('@', 2) as [string, string | undefined];
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const tagged = colon > slash;
  return { name: tagged ? withoutDigest.slice(0, colon) : withoutDigest, ...(tagged ? { tag: withoutDigest.slice(colon + 1) } : {}), ...(digest ? { digest } : {}) };
}

function parse(text: string): { dockerfile: Dockerfile; chain: Stage[] } {
  const dockerfile = DockerfileParser.parse(text);
  return { dockerfile, chain: finalChain(stagesOf(dockerfile)) };
}

function baseOf(dockerfile: Dockerfile, chain: Stage[]): BaseImage | undefined {
  const from = chain[0]?.from;
  const range = from?.getImageRange();
  const written = from?.getImage();
  if (!from || !range || !written) return undefined;
  const image = substitute(written, dockerfile);
  return { image, ...parseImage(image), line: range.start.line + 1, column: range.start.character + 1, endColumn: range.end.character + 1, fromVariable: written.includes('$') };
}

/** The base image of the final stage (for the pin quick fix); undefined without a `FROM`. */
export function finalBaseImage(text: string): BaseImage | undefined {
  const { dockerfile, chain } = parse(text);
  return baseOf(dockerfile, chain);
}

const isRoot = (user: string) => /^(root|0)(:.*)?$/i.test(user.trim());

/** A value typed into the Dockerfile, not `$OTHER` passed through. */
const isLiteral = (value: string | null) => Boolean(value && value.trim() && !/^\$\{?\w+\}?$/.test(value.trim()));

export function checkDockerfile(text: string, file: string, options: DockerfileCheckOptions = {}): ReadinessFinding[] {
  const { dockerfile, chain } = parse(text);
  const findings: ReadinessFinding[] = [];
  const at = (rule: string, severity: ReadinessFinding['severity'], line0: number, character0: number, endCharacter0: number, message: string) =>
    findings.push({ file, line: line0 + 1, column: character0 + 1, endColumn: Math.max(endCharacter0, character0 + 1) + 1, rule, severity, message });

  // Secrets: anywhere in the file. A literal value is in the repository and the image history whichever stage sets it.
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    let properties: Array<Property | null>;
    if (instruction instanceof Env) properties = instruction.getProperties();
    else if (instruction instanceof Arg) properties = [instruction.getProperty()];
    else continue;
    for (const property of properties) {
      if (!property || !looksLikeSecretName(property.getName()) || !isLiteral(property.getValue())) continue;
      const range = property.getNameRange();
      at('dockerfile/secret-in-env', 'error', range.start.line, range.start.character, range.end.character, `${keyword} ${property.getName()} has a literal value: it is stored in the image and its history, readable by anyone who can pull it. Remove it and pass the secret at run time (the task definition's "secrets").`);
    }
  }

  const finalStage = chain.at(-1);
  if (!finalStage) return findings;
  const finalFrom = finalStage.from.getRange();
  const fromRange = finalStage.from.getImageRange() ?? finalFrom;
  const atFinalFrom = (rule: string, severity: ReadinessFinding['severity'], message: string) => at(rule, severity, fromRange.start.line, fromRange.start.character, fromRange.end.character, message);
  const inherited = chain.flatMap((s) => s.instructions);

  const users = inherited.filter((i) => i.getKeyword() === 'USER');
  const lastUser = users.at(-1);
  if (!lastUser) {
    atFinalFrom('dockerfile/root-user', 'warning', 'The final stage sets no USER, so the container runs as root: a process that is broken into owns the container. Add "USER <non-root user>" (create one with "RUN useradd -r app" if the base has none).');
  } else {
    const user = lastUser.getArgumentsContent() ?? '';
    if (isRoot(user)) {
      const range = lastUser.getRange();
      at('dockerfile/root-user', 'warning', range.start.line, range.start.character, range.end.character, `The final stage runs as ${user.trim()}: a process that is broken into owns the container. Switch to a non-root user ("USER app").`);
    }
  }

  const healthchecks = inherited.filter((i) => i.getKeyword() === 'HEALTHCHECK');
  const lastHealthcheck = healthchecks.at(-1);
  if (!lastHealthcheck || /^none$/i.test((lastHealthcheck.getArgumentsContent() ?? '').trim())) {
    if (options.taskDefinitionHasHealthCheck) {
      atFinalFrom('dockerfile/no-healthcheck', 'info', 'No HEALTHCHECK in the final stage; the task definition\'s healthCheck covers it on ECS.');
    } else {
      atFinalFrom('dockerfile/no-healthcheck', 'warning', 'No HEALTHCHECK in the final stage: nothing tells ECS that the app inside answers, so a hung container stays "healthy". Add one ("HEALTHCHECK CMD curl -f http://localhost/healthz || exit 1") or a healthCheck in the task definition.');
    }
  }

  const base = baseOf(dockerfile, chain);
  if (base && base.name.toLowerCase() !== 'scratch') {
    const baseAt = (rule: string, message: string) => findings.push({ file, line: base.line, column: base.column, endColumn: base.endColumn, rule, severity: 'warning', message });
    if (!base.tag || base.tag.toLowerCase() === 'latest') {
      if (!base.digest) baseAt('dockerfile/latest-base', `The base image ${base.image} is ${base.tag ? '"latest"' : 'untagged (which means "latest")'}: each build may get a different major version. Name a version tag ("${base.name}:<version>").`);
    }
    if (!base.digest) baseAt('dockerfile/unpinned-base', `The base image ${base.image} is named by tag, which its publisher can move: two builds of the same commit may differ. Pin it by digest ("${base.image}@sha256:...").`);
  }
  return findings.sort((a, b) => a.line - b.line || a.column - b.column);
}
