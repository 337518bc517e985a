/** npm manifests: `package.json` dependency sections and `package-lock.json` (lockfile v1, v2 and v3). */
import type { Declaration } from './declarations';
import { jsonMembers } from './jsonMembers';

const DEPENDENCY_SECTIONS = new Set(['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies', 'overrides']);
/** An exact version, or a caret/tilde floor: the version part is what a bump rewrites. */
const BUMPABLE_RANGE = /^([\^~=v]?)(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?)$/;

export function packageJsonDeclarations(text: string): Declaration[] {
  return jsonMembers(text)
    .filter((m) => m.path.length === 1 && DEPENDENCY_SECTIONS.has(m.path[0]))
    .map((m) => {
      const declaration: Declaration = { name: m.key, line: m.line, start: m.start, end: m.end };
      const range = m.value.kind === 'string' && m.value.line === m.line ? BUMPABLE_RANGE.exec(m.value.text!) : null;
      if (range) {
        const start = m.value.start + range[1].length;
        declaration.pin = { start, end: start + range[2].length, version: range[2] };
      }
      return declaration;
    });
}

export function packageLockDeclarations(text: string): Declaration[] {
  const out: Declaration[] = [];
  for (const m of jsonMembers(text)) {
    // v2/v3: "packages": { "node_modules/a/node_modules/@scope/b": {...} }
    const installed = m.path.length === 1 && m.path[0] === 'packages' ? /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(m.key) : null;
    if (installed) {
      const end = m.end;
      out.push({ name: installed[1], line: m.line, start: end - installed[1].length, end });
      continue;
    }
    // v1 (and v2's legacy copy): "dependencies": { "a": { "version": ..., "dependencies": { "b": {...} } } }
    if (m.path.length > 0 && m.path[0] === 'dependencies' && m.path[m.path.length - 1] === 'dependencies' && m.value.kind === 'object') {
      out.push({ name: m.key, line: m.line, start: m.start, end: m.end });
    }
  }
  return out;
}
