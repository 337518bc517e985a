/**
 * The members of every JSON object with their positions: `JSON.parse` loses where a key was written,
 * and a diagnostic needs its line. Tolerant: on malformed input it returns what it read up to there.
 */

export interface JsonValue {
  kind: 'string' | 'object' | 'array' | 'other';
  /** The string's content for `kind: 'string'`. */
  text?: string;
  line: number;
  /** Columns of the string's content (inside the quotes). */
  start: number;
  end: number;
}

export interface JsonMember {
  key: string;
  /** Keys of the enclosing objects, outermost first (array elements add no key). */
  path: string[];
  line: number;
  /** Columns of the key's content on its line. */
  start: number;
  end: number;
  value: JsonValue;
}

class MalformedJson extends Error {}

/** The content of a string up to its closing quote (escaped quotes skipped). */
const STRING_CONTENT = /((?:[^"\\]|\\.)*)"/y;
const LITERAL = /true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

export function jsonMembers(text: string): JsonMember[] {
  const members: JsonMember[] = [];
  let pos = 0;
  let line = 0;
  let lineStart = 0;

  const fail = (): never => {
    throw new MalformedJson();
  };
  const skipSpace = () => {
    for (let c = text.charCodeAt(pos); c === 32 || c === 10 || c === 13 || c === 9; c = text.charCodeAt(++pos)) {
      if (c === 10) {
        line++;
        lineStart = pos + 1;
      }
    }
  };
  const readString = (): JsonValue => {
    if (text[pos] !== '"') fail();
    const start = pos + 1 - lineStart;
    const startLine = line;
    STRING_CONTENT.lastIndex = pos + 1;
    const close = STRING_CONTENT.exec(text);
    if (!close) fail();
    const raw = close![1];
    if (raw.includes('\n') || raw.includes('\r')) fail();
    pos += 1 + raw.length;
    const end = pos - lineStart;
    pos++;
    // Most keys and versions have no escapes: only those are decoded.
    let value = raw;
    if (raw.includes('\\')) {
      try {
        value = JSON.parse(`"${raw}"`) as string;
      } catch {
        fail();
      }
    }
    return { kind: 'string', text: value, line: startLine, start, end };
  };
  /** The items of an object or array after its opening bracket, up to and including `close`. */
  const readItems = (close: string, readItem: () => void) => {
    pos++;
    skipSpace();
    if (text[pos] === close) {
      pos++;
      return;
    }
    for (;;) {
      skipSpace();
      readItem();
      skipSpace();
      if (text[pos] === ',') pos++;
      else if (text[pos++] === close) return;
      else fail();
    }
  };
  const readValue = (path: string[]): JsonValue => {
    skipSpace();
    const here = { line, start: pos - lineStart };
    const c = text[pos];
    if (c === '"') return readString();
    if (c === '{') {
      readItems('}', () => {
        const key = readString();
        skipSpace();
        if (text[pos++] !== ':') fail();
        const value = readValue([...path, key.text!]);
        members.push({ key: key.text!, path, line: key.line, start: key.start, end: key.end, value });
      });
      return { kind: 'object', ...here, end: here.start };
    }
    if (c === '[') {
      readItems(']', () => void readValue(path));
      return { kind: 'array', ...here, end: here.start };
    }
    LITERAL.lastIndex = pos;
    const literal = LITERAL.exec(text);
    if (!literal) fail();
    pos += literal![0].length;
    return { kind: 'other', ...here, end: here.start + literal![0].length };
  };

  try {
    readValue([]);
  } catch (error) {
    if (!(error instanceof MalformedJson)) throw error;
  }
  // A member is recorded after its value, so nested ones come first: back to the order of the file.
  return members.sort((a, b) => a.line - b.line || a.start - b.start);
}
