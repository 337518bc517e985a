/** `Gemfile.lock`: the gems of every `specs:` list (`    name (version)`), not the dependencies under them. */
import { textLines, type Declaration } from './declarations';

export function gemfileLockDeclarations(text: string): Declaration[] {
  const out: Declaration[] = [];
  textLines(text).forEach((line, index) => {
    // Four spaces: a resolved gem. Six: a requirement of the gem above, not where it is resolved.
    const gem = /^ {4}([A-Za-z0-9_.-]+) \(([^)]+)\)\s*$/.exec(line);
    if (gem) out.push({ name: gem[1], line: index, start: 4, end: 4 + gem[1].length });
  });
  return out;
}
