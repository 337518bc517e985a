/**
 * Python manifests: `requirements*.txt`, `pyproject.toml` (PEP 621 `[project]`, `[dependency-groups]`,
 * `[tool.uv]`, Poetry tables) and `uv.lock`. TOML is read line by line: enough to find the line of a
 * requirement without a TOML parser, and tolerant of files it does not fully understand.
 */
import { textLines, type Declaration, type Pin } from './declarations';

const NAME = /[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?/y;
/** A single specifier a user sets by hand; its version is what a bump rewrites. */
const SINGLE_SPECIFIER = /^(\s*\(?\s*)(===|==|>=|~=)(\s*)([A-Za-z0-9][A-Za-z0-9.+!_-]*)\s*\)?\s*$/;

/**
 * A PEP 508 requirement (`name[extras] specifiers ; markers`) found at `column` of a line, or undefined
 * when the text is not one (a URL, a path, an option).
 */
export function parseRequirement(text: string, line: number, column: number): Declaration | undefined {
  const leading = /^\s*/.exec(text)![0].length;
  NAME.lastIndex = leading;
  const name = NAME.exec(text);
  if (!name) return undefined;
  const afterName = leading + name[0].length;
  if (/^\s*[:/]/.test(text.slice(afterName))) return undefined;
  const extras = /^\s*\[[^\]]*\]/.exec(text.slice(afterName));
  const specStart = afterName + (extras ? extras[0].length : 0);
  const specEnd = text.slice(specStart).search(/[;@]/);
  const spec = specEnd < 0 ? text.slice(specStart) : text.slice(specStart, specStart + specEnd);
  const declaration: Declaration = { name: name[0], line, start: column + leading, end: column + afterName };
  const single = SINGLE_SPECIFIER.exec(spec);
  if (single && !single[4].includes('*')) {
    const versionStart = column + specStart + single[1].length + single[2].length + single[3].length;
    declaration.pin = { start: versionStart, end: versionStart + single[4].length, version: single[4] };
  }
  return declaration;
}

export function requirementsDeclarations(text: string): Declaration[] {
  const out: Declaration[] = [];
  textLines(text).forEach((raw, line) => {
    // pip treats `#` at the start or after whitespace as a comment; options (-r, -e, --hash) declare nothing.
    const content = raw.replace(/(^|\s)#.*$/, '');
    if (!content.trim() || content.trim().startsWith('-')) return;
    const declaration = parseRequirement(content.replace(/\\\s*$/, ''), line, 0);
    if (declaration) out.push(declaration);
  });
  return out;
}

/** Each quoted string on a line, with the column of its content. */
function quotedStrings(line: string): Array<{ text: string; column: number }> {
  return [...line.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g)].map((m) => ({ text: m[1] ?? m[2], column: m.index! + 1 }));
}

function tableHeader(line: string): string | undefined {
  const match = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$/.exec(line);
  return match ? match[1].replace(/\s*\.\s*/g, '.').replace(/"/g, '') : undefined;
}

/** Keys whose value is an array of PEP 508 strings, per table. */
function isRequirementArray(table: string, key: string): boolean {
  if (table === 'project') return key === 'dependencies';
  if (table === 'project.optional-dependencies' || table === 'dependency-groups') return true;
  if (table === 'tool.uv') return ['dev-dependencies', 'constraint-dependencies', 'override-dependencies'].includes(key);
  return false;
}

function isPoetryDependencyTable(table: string): boolean {
  return /^tool\.poetry\.(dev-)?dependencies$/.test(table) || /^tool\.poetry\.group\.[^.]+\.dependencies$/.test(table);
}

/** Brackets opened minus closed outside strings: tells where a multi-line array ends. */
function bracketBalance(line: string): number {
  const bare = line.replace(/"(?:[^"\\]|\\.)*"|'[^']*'/g, '').replace(/#.*$/, '');
  return (bare.match(/\[/g)?.length ?? 0) - (bare.match(/\]/g)?.length ?? 0);
}

export function pyprojectDeclarations(text: string): Declaration[] {
  const out: Declaration[] = [];
  const collect = (line: string, index: number, from: number) => {
    for (const s of quotedStrings(blankInlineTables(line.slice(from)))) {
      const declaration = parseRequirement(s.text, index, from + s.column);
      if (declaration) out.push(declaration);
    }
  };
  let table = '';
  // Inside a multi-line array every line is a value, never a table header.
  let arrayDepth = 0;
  let collecting = false;
  textLines(text).forEach((line, index) => {
    if (arrayDepth > 0) {
      if (collecting) collect(line, index, 0);
      arrayDepth += bracketBalance(line);
      return;
    }
    const header = tableHeader(line);
    if (header !== undefined) {
      table = header;
      return;
    }
    const assignment = /^\s*("?)([A-Za-z0-9_.-]+)\1\s*=\s*(.*)$/.exec(line);
    if (!assignment) return;
    const [, , key, value] = assignment;
    const valueColumn = line.length - value.length;
    if (value.startsWith('[')) {
      collecting = isRequirementArray(table, key);
      if (collecting) collect(line, index, valueColumn);
      arrayDepth = bracketBalance(value);
    } else if (isPoetryDependencyTable(table) && key.toLowerCase() !== 'python') {
      const keyStart = line.indexOf(key);
      out.push({ name: key, line: index, start: keyStart, end: keyStart + key.length, pin: poetryPin(value, valueColumn) });
    }
  });
  return out;
}

/** `{ include-group = "dev" }` in a dependency group is a reference, not a requirement: blank it, keeping columns. */
function blankInlineTables(line: string): string {
  return line.replace(/\{[^}]*\}/g, (table) => ' '.repeat(table.length));
}

/** Poetry's `"1.2.3"` / `"==1.2.3"` (exact) or `{ version = "1.2.3", ... }`. */
function poetryPin(value: string, valueColumn: number): Pin | undefined {
  const versionString = value.startsWith('{') ? /\bversion\s*=\s*"([^"]*)"/.exec(value) : /^"([^"]*)"/.exec(value);
  if (!versionString) return undefined;
  const exact = /^(==|=)?(\d[A-Za-z0-9.+!_-]*)$/.exec(versionString[1]);
  if (!exact) return undefined;
  const start = valueColumn + versionString.index + versionString[0].indexOf('"') + 1 + (exact[1]?.length ?? 0);
  return { start, end: start + exact[2].length, version: exact[2] };
}

/** `name = "..."` of every `[[package]]` table: the line a lock entry starts. */
export function uvLockDeclarations(text: string): Declaration[] {
  const out: Declaration[] = [];
  let inPackage = false;
  textLines(text).forEach((line, index) => {
    const header = tableHeader(line);
    if (header !== undefined) {
      inPackage = header === 'package' && /^\s*\[\[/.test(line);
      return;
    }
    const name = inPackage ? /^name\s*=\s*"([^"]+)"/.exec(line) : null;
    if (name) {
      const start = line.indexOf('"') + 1;
      out.push({ name: name[1], line: index, start, end: start + name[1].length });
      inPackage = false;
    }
  });
  return out;
}
