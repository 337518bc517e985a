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

export function jsonMembers(text: string): JsonMember[] {
  const members: JsonMember[] = [];
  let pos = 0;
  let line = 0;
  let lineStart = 0;

  const fail = (): never => {
    throw new MalformedJson();
  };
  const skipSpace = () => {
    while (pos < text.length && /\s/.test(text[pos])) {
      if (text[pos] === '\n') {
        line++;
        lineStart = pos + 1;
      }
      pos++;
    }
  };
  const readString = (): JsonValue => {
    if (text[pos] !== '"') fail();
    const start = pos + 1 - lineStart;
    const startLine = line;
    let value = '';
    pos++;
    while (pos < text.length && text[pos] !== '"') {
      if (text[pos] === '\n') fail();
      if (text[pos] === '\\') {
        const escaped = text[pos + 1];
        if (escaped === 'u') {
          value += String.fromCharCode(parseInt(text.slice(pos + 2, pos + 6), 16));
          pos += 6;
          continue;
        }
        value += ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[escaped] ?? escaped;
        pos += 2;
        continue;
      }
      value += text[pos++];
    }
    if (pos >= text.length) fail();
    const end = pos - lineStart;
    pos++;
    return { kind: 'string', text: value, line: startLine, start, end };
  };
  const readValue = (path: string[]): JsonValue => {
    skipSpace();
    const here = { line, start: pos - lineStart };
    const c = text[pos];
    if (c === '"') return readString();
    if (c === '{') {
      pos++;
      skipSpace();
      if (text[pos] === '}') {
        pos++;
      } else {
        for (;;) {
          skipSpace();
          const key = readString();
          skipSpace();
          if (text[pos++] !== ':') fail();
          const value = readValue([...path, key.text!]);
          members.push({ key: key.text!, path, line: key.line, start: key.start, end: key.end, value });
          skipSpace();
          if (text[pos] === ',') pos++;
          else if (text[pos++] === '}') break;
          else fail();
        }
      }
      return { kind: 'object', ...here, end: here.start };
    }
    if (c === '[') {
      pos++;
      skipSpace();
      if (text[pos] === ']') {
        pos++;
      } else {
        for (;;) {
          readValue(path);
          skipSpace();
          if (text[pos] === ',') pos++;
          else if (text[pos++] === ']') break;
          else fail();
        }
      }
      return { kind: 'array', ...here, end: here.start };
    }
    const literal = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(pos, pos + 64));
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
