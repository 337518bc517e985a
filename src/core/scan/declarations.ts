/** What every manifest reader returns: where a package is declared, and its pinned version if any. */

export interface Pin {
  /** Columns of the version text on the declaration's line. */
  start: number;
  end: number;
  version: string;
}

export interface Declaration {
  /** As written; compare with canonicalName(). */
  name: string;
  line: number;
  /** Columns of the name on its line. */
  start: number;
  end: number;
  pin?: Pin;
}

/** The lines of a text, split on any line break, as editors count them. */
export function textLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}
