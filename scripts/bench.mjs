// `npm run bench`: runs every scripts/bench/*.mjs (or the ones named on the command line) in turn.
// Each benchmark prints its own figures, side by side with a peer (the AWS CLI, the raw SDK, a floor
// extension), and hands its headline figures over (scripts/lib/benchReport.mjs); at the end one table says,
// for each: this project, the peer, the ratio, the goal, met or not. A benchmark that fails or crashes is a
// row of its own: this script itself never throws.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, ensureNodeModules } from './setup.mjs';

const rows = [];
const wanted = process.argv.slice(2);
const resultsDir = mkdtempSync(join(tmpdir(), 'ecr-deploy-bench-'));

function prepare() {
  try {
    ensureNodeModules();
  } catch (error) {
    return `npm ci failed: ${error.message}`;
  }
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) return 'npm run build failed';
  const compile = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.test.json'], { cwd: ROOT, stdio: 'inherit' });
  if (compile.status !== 0) return 'tsc -p tsconfig.test.json failed';
  return undefined;
}

function runBenchmark(file) {
  const name = file.replace('.mjs', '');
  const results = join(resultsDir, `${name}.jsonl`);
  console.log(`\n=== bench: ${name} ===`);
  const run = spawnSync(process.execPath, ['--expose-gc', join(ROOT, 'scripts', 'bench', file)], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ECR_DEPLOY_BENCH_RESULTS: results } });
  let reported = [];
  try {
    reported = readFileSync(results, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
  } catch {
    // Nothing reported: the row below says so.
  }
  rows.push(...reported.map((row) => ({ bench: name, ...row })));
  if (run.status !== 0 || run.error) {
    const how = run.error ? run.error.message : run.signal ? `killed by ${run.signal}` : `exit ${run.status}`;
    rows.push({ bench: name, figure: reported.length ? 'the rest of this benchmark' : 'the whole benchmark', project: 'failed', goal: 'runs', met: false, note: how });
  } else if (!reported.length) {
    rows.push({ bench: name, figure: 'see its output above', project: 'ran', goal: '-', met: true });
  }
  return run.status === 0;
}

function printTable() {
  const header = ['bench', 'figure', 'this project', 'peer', 'ratio', 'goal', 'met'];
  const lines = rows.map((r) => [r.bench, r.figure, r.project, r.peer ?? '-', typeof r.ratio === 'number' && Number.isFinite(r.ratio) ? `${r.ratio.toFixed(2)}x` : '-', r.goal, `${r.met === null || r.met === undefined ? '-' : r.met ? 'yes' : 'NO'}${r.note ? ` (${r.note})` : ''}`]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
  const format = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ').trimEnd();
  console.log('\n=== summary ===');
  console.log(format(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const line of lines) console.log(format(line));
}

let allRan = true;
try {
  const problem = prepare();
  if (problem) {
    allRan = false;
    rows.push({ bench: 'setup', figure: 'build and compile', project: 'failed', goal: 'runs', met: false, note: problem });
  } else {
    const files = readdirSync(join(ROOT, 'scripts', 'bench')).filter((f) => f.endsWith('.mjs') && (!wanted.length || wanted.some((w) => f.includes(w)))).sort();
    for (const file of files) if (!runBenchmark(file)) allRan = false;
  }
} catch (error) {
  allRan = false;
  rows.push({ bench: 'bench.mjs', figure: 'the runner', project: 'failed', goal: 'runs', met: false, note: String(error?.message ?? error).split('\n')[0] });
} finally {
  printTable();
  rmSync(resultsDir, { recursive: true, force: true });
}
// Unmet goals are in the table; the exit code says whether every benchmark ran to its end.
process.exit(allRan ? 0 : 1);
