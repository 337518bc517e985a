// `npm run bench`: runs every scripts/bench/*.mjs (or the ones named on the command line) in turn.
// Each benchmark prints its own figures, side by side with the AWS CLI where there is a peer.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, ensureNodeModules } from './setup.mjs';

ensureNodeModules();
const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
const compile = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.test.json'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0 || compile.status !== 0) process.exit(1);

const wanted = process.argv.slice(2);
const files = readdirSync(join(ROOT, 'scripts', 'bench')).filter((f) => f.endsWith('.mjs') && (!wanted.length || wanted.some((w) => f.includes(w)))).sort();
let failed = 0;
for (const file of files) {
  console.log(`\n=== bench: ${file.replace('.mjs', '')} ===`);
  const result = spawnSync(process.execPath, ['--expose-gc', join(ROOT, 'scripts', 'bench', file)], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
