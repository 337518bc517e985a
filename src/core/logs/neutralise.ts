/**
 * Makes log text safe to show in an editor or a terminal: a log line must never move the cursor,
 * retitle a window, ring a bell, hide text or reorder it (bidirectional overrides). Styling escape
 * sequences are dropped (they are noise outside a terminal); every other control character is shown
 * as a visible placeholder, so nothing is silently lost.
 */

// CSI (colours, cursor moves), OSC (titles, hyperlinks; ended by BEL or ST), DCS/PM/APC/SOS strings
// (ended by ST), the 8-bit CSI, and two-character escapes.
const ESCAPE_SEQUENCE = new RegExp(
  [
    '\\x1b\\[[0-?]*[ -/]*[@-~]',
    '\\x9b[0-?]*[ -/]*[@-~]',
    '\\x1b\\][^\\x07\\x1b]*(?:\\x07|\\x1b\\\\)',
    '\\x1b[PX^_][^\\x1b]*\\x1b\\\\',
    '\\x1b[ -/]*[0-~]',
  ].join('|'),
  'g',
);

// C0 controls except tab and newline, DEL, C1 controls, bidi embeddings/overrides/isolates, line and
// paragraph separators, BOM/zero-width no-break space.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTER = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

function placeholder(character: string): string {
  const code = character.charCodeAt(0);
  // The Unicode "control pictures" show C0 controls and DEL as one visible character each.
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
}

/** Neutralised text; newlines and tabs are kept. CRLF counts as a newline, a lone CR does not. */
export function neutraliseControlCharacters(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '').replace(/\r\n/g, '\n').replace(UNSAFE_CHARACTER, placeholder);
}

/** Cuts a line to at most `max` characters (never inside a surrogate pair) and says how much was cut. */
export function cutLine(line: string, max: number): string {
  if (max <= 0 || line.length <= max) return line;
  let end = max;
  const code = line.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${line.slice(0, end)} … [${line.length - end} more characters cut]`;
}
