/** `go.mod`: `require module version` lines, single or in a `require ( ... )` block. */
import { textLines, type Declaration } from './declarations';

export function goModDeclarations(text: string): Declaration[] {
  const out: Declaration[] = [];
  let inRequireBlock = false;
  textLines(text).forEach((raw, line) => {
    const content = raw.replace(/\/\/.*$/, '');
    if (inRequireBlock) {
      if (/^\s*\)/.test(content)) {
        inRequireBlock = false;
        return;
      }
    } else if (/^\s*require\s*\(\s*$/.test(content)) {
      inRequireBlock = true;
      return;
    }
    const requirement = (inRequireBlock ? /^(\s*)()(\S+)(\s+)(v\S+)\s*$/ : /^(\s*)(require\s+)(\S+)(\s+)(v\S+)\s*$/).exec(content);
    if (!requirement) return;
    const [, indent, keyword, module, gap, version] = requirement;
    const start = indent.length + keyword.length;
    const versionStart = start + module.length + gap.length;
    out.push({ name: module, line, start, end: start + module.length, pin: { start: versionStart, end: versionStart + version.length, version } });
  });
  return out;
}
