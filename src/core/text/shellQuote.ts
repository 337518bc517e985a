/**
 * POSIX shell quoting for text that must reach a shell as one literal word: a word of safe characters
 * stays as it is, anything else is single-quoted with embedded quotes escaped.
 */
export function shellQuote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_./:@%+=,-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
