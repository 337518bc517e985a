/**
 * The members of every JSON object with their positions: `JSON.parse` loses where a key was written,
 * and a diagnostic needs its line. Read with jsonc-parser's visitor (the scanner VS Code's own JSON
 * support uses). Tolerant: on malformed input it returns what it read up to the first error.
 */
import { visit, type JSONPath } from 'jsonc-parser';

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

const keysOf = (path: JSONPath): string[] => path.filter((segment): segment is string => typeof segment === 'string');

export function jsonMembers(text: string): JsonMember[] {
  const members: JsonMember[] = [];
  // The member whose key was read last and whose value comes next.
  let pending: Omit<JsonMember, 'value'> | undefined;
  let broken = false;
  const valueRead = (value: JsonValue) => {
    if (broken || !pending) return;
    members.push({ ...pending, value });
    pending = undefined;
  };
  visit(
    text,
    {
      onObjectProperty: (key, _offset, length, line, column, path) => {
        if (!broken) pending = { key, path: keysOf(path()), line, start: column + 1, end: column + length - 1 };
      },
      onObjectBegin: (_offset, _length, line, column) => valueRead({ kind: 'object', line, start: column, end: column }),
      onArrayBegin: (_offset, _length, line, column) => valueRead({ kind: 'array', line, start: column, end: column }),
      onLiteralValue: (value: unknown, _offset, length, line, column) =>
        valueRead(typeof value === 'string' ? { kind: 'string', text: value, line, start: column + 1, end: column + length - 1 } : { kind: 'other', line, start: column, end: column + length }),
      onError: () => {
        broken = true;
      },
    },
    { disallowComments: true, allowTrailingComma: false },
  );
  // Back to the order of the file (a member is recorded when its value starts, so this is already close).
  return members.sort((a, b) => a.line - b.line || a.start - b.start);
}
