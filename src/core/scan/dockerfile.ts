/**
 * A Dockerfile read the way the builder reads it, keeping every physical line: instructions with their
 * continuation lines (comment lines inside a continuation dropped, as the builder drops them), heredoc
 * bodies, parser directives (`# escape=`), stages, `ARG`-substituted `FROM` images and the chain of
 * stages the final image is built from. Positions are 0-based lines and columns of the file.
 */

/** One physical line's share of an instruction, without the escape character that continues it. */
export interface InstructionLine {
  line: number;
  /** Column in the file where `text` starts. */
  column: number;
  text: string;
}

export interface Instruction {
  /** Upper case, e.g. `RUN`. */
  keyword: string;
  /** Column of the keyword on `startLine` (after any indentation). */
  keywordColumn: number;
  /** The arguments as the builder joins them (continuations concatenated). */
  args: string;
  /** Where the arguments are, line by line (the first entry starts after the keyword). */
  lines: InstructionLine[];
  startLine: number;
  endLine: number;
}

export interface Stage {
  index: number;
  /** The `AS` name, lower-cased as the builder compares them. */
  name?: string;
  /** The image after `ARG` substitution, e.g. `ghcr.io/astral-sh/uv:python3.12-bookworm-slim`. */
  image: string;
  /** The image token as written, e.g. `${BASE_IMAGE}`. */
  rawImage: string;
  from: Instruction;
  /** Position of the image token on its line. */
  imageLine: number;
  imageStart: number;
  imageEnd: number;
  /** The earlier stage this one is built `FROM`, when the image names one. */
  parentStage?: number;
  instructions: Instruction[];
}

export interface Dockerfile {
  instructions: Instruction[];
  stages: Stage[];
  /** `ARG`s declared before the first `FROM`, with their defaults (or build args given). */
  globalArgs: Record<string, string>;
}

const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9_]*)\s*=\s*(.*?)\s*$/;
/** BuildKit reads heredocs in these instructions only. */
const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);
const HEREDOC = /<<(-?)\s*(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;

/** Reads the parser directives at the top of the file: only `escape` changes how lines are read. */
function escapeCharacter(lines: readonly string[]): string {
  for (const line of lines) {
    const match = DIRECTIVE.exec(line.trim());
    if (!match) break;
    if (match[1].toLowerCase() === 'escape' && (match[2] === '`' || match[2] === '\\')) return match[2];
  }
  return '\\';
}

function isComment(line: string): boolean {
  return /^\s*#/.test(line);
}

/** The text without a trailing escape (and the whitespace after it), and whether one was there. */
function splitContinuation(text: string, escape: string): { body: string; continues: boolean } {
  const trimmed = text.replace(/\s+$/, '');
  if (trimmed.endsWith(escape)) return { body: trimmed.slice(0, -1), continues: true };
  return { body: text, continues: false };
}

export function parseDockerfile(text: string, buildArgs: Record<string, string> = {}): Dockerfile {
  const lines = text.split(/\r\n|\r|\n/);
  const escape = escapeCharacter(lines);
  const instructions: Instruction[] = [];
  let index = 0;
  while (index < lines.length) {
    const first = lines[index];
    if (!first.trim() || isComment(first)) {
      index++;
      continue;
    }
    const keywordMatch = /^(\s*)(\S+)(\s*)/.exec(first)!;
    const keyword = keywordMatch[2].toUpperCase();
    const argsColumn = keywordMatch[0].length;
    const parts: InstructionLine[] = [];
    let { body, continues } = splitContinuation(first.slice(argsColumn), escape);
    parts.push({ line: index, column: argsColumn, text: body });
    index++;
    while (continues && index < lines.length) {
      const next = lines[index];
      // The builder skips comment lines and empty lines inside a continuation.
      if (isComment(next) || !next.trim()) {
        index++;
        continue;
      }
      ({ body, continues } = splitContinuation(next, escape));
      parts.push({ line: index, column: 0, text: body });
      index++;
    }
    if (HEREDOC_KEYWORDS.has(keyword)) index = readHeredocBodies(lines, index, parts);
    instructions.push({
      keyword,
      keywordColumn: keywordMatch[1].length,
      args: parts.map((p) => p.text).join(''),
      lines: parts,
      startLine: parts[0].line,
      endLine: parts[parts.length - 1].line,
    });
  }
  return { instructions, ...splitStages(instructions, buildArgs) };
}

/** Appends the bodies of `<<EOF` heredocs that start in the instruction; returns the next line to read. */
function readHeredocBodies(lines: readonly string[], index: number, parts: InstructionLine[]): number {
  const heredocs = [...parts.map((p) => p.text).join('\n').matchAll(HEREDOC)].map((m) => ({ stripTabs: m[1] === '-', terminator: m[3] }));
  for (const { stripTabs, terminator } of heredocs) {
    while (index < lines.length) {
      const body = lines[index];
      index++;
      if ((stripTabs ? body.replace(/^\t+/, '') : body) === terminator) break;
      parts.push({ line: index - 1, column: 0, text: body });
    }
  }
  return index;
}

/** `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:+alt}`, `${VAR+alt}`; unknown names are empty. */
export function substituteArgs(text: string, args: Readonly<Record<string, string | undefined>>): string {
  return text.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_, braced: string | undefined, op: string | undefined, word: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare)!;
    const value = args[name];
    const set = value !== undefined;
    const nonEmpty = set && value !== '';
    switch (op) {
      case ':-':
        return nonEmpty ? value! : substituteArgs(word ?? '', args);
      case '-':
        return set ? value! : substituteArgs(word ?? '', args);
      case ':+':
        return nonEmpty ? substituteArgs(word ?? '', args) : '';
      case '+':
        return set ? substituteArgs(word ?? '', args) : '';
      default:
        return value ?? '';
    }
  });
}

/** `NAME`, `NAME=value` or `NAME="value"` of each argument of an `ARG` instruction. */
function argDeclarations(args: string): Array<[string, string | undefined]> {
  const out: Array<[string, string | undefined]> = [];
  for (const match of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)(?:=("[^"]*"|'[^']*'|\S*))?/g)) {
    const raw = match[2];
    out.push([match[1], raw === undefined ? undefined : raw.replace(/^(["'])(.*)\1$/, '$2')]);
  }
  return out;
}

interface FromParts {
  rawImage: string;
  name?: string;
  /** Offset of the image token in the instruction's arguments. */
  imageOffset: number;
}

function parseFrom(args: string): FromParts | undefined {
  const tokens = [...args.matchAll(/\S+/g)];
  let i = 0;
  while (i < tokens.length && tokens[i][0].startsWith('--')) i++;
  const image = tokens[i];
  if (!image) return undefined;
  const as = tokens[i + 1]?.[0].toUpperCase() === 'AS' ? tokens[i + 2]?.[0] : undefined;
  return { rawImage: image[0], name: as?.toLowerCase(), imageOffset: image.index! };
}

/** The line and columns of an offset into the joined arguments. */
function locate(instruction: Instruction, offset: number, length: number): { line: number; start: number; end: number } {
  let remaining = offset;
  for (const part of instruction.lines) {
    if (remaining < part.text.length) return { line: part.line, start: part.column + remaining, end: part.column + Math.min(part.text.length, remaining + length) };
    remaining -= part.text.length;
  }
  const last = instruction.lines[instruction.lines.length - 1];
  return { line: last.line, start: last.column, end: last.column + last.text.length };
}

function splitStages(instructions: readonly Instruction[], buildArgs: Record<string, string>): Pick<Dockerfile, 'stages' | 'globalArgs'> {
  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const from = parseFrom(instruction.args);
      if (!from) continue;
      const image = substituteArgs(from.rawImage, globalArgs);
      const parent = stages.findIndex((s) => s.name !== undefined && s.name === image.toLowerCase());
      const position = locate(instruction, from.imageOffset, from.rawImage.length);
      stages.push({
        index: stages.length,
        name: from.name,
        image,
        rawImage: from.rawImage,
        from: instruction,
        imageLine: position.line,
        imageStart: position.start,
        imageEnd: position.end,
        parentStage: parent >= 0 ? parent : undefined,
        instructions: [],
      });
    } else if (stages.length === 0) {
      if (instruction.keyword === 'ARG') {
        for (const [name, value] of argDeclarations(instruction.args)) {
          const given = buildArgs[name] ?? value;
          if (given !== undefined) globalArgs[name] = substituteArgs(given, globalArgs);
        }
      }
    } else {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return { stages, globalArgs };
}

/** The stage that makes the image (the last, unless a target is given) and the stages it is built on, final first. */
export function finalStageChain(dockerfile: Dockerfile, target?: string): Stage[] {
  const wanted = target?.toLowerCase();
  const last = wanted ? dockerfile.stages.find((s) => s.name === wanted) : dockerfile.stages[dockerfile.stages.length - 1];
  const chain: Stage[] = [];
  for (let stage = last; stage && !chain.includes(stage); stage = stage.parentStage === undefined ? undefined : dockerfile.stages[stage.parentStage]) {
    chain.push(stage);
  }
  return chain;
}

/** The external image the final stage starts from, following `FROM <stage>` to the root. */
export function baseImageOf(chain: readonly Stage[]): string | undefined {
  return chain[chain.length - 1]?.image;
}
