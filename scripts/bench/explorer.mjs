// The explorer at scale: 1,000 repositories, and one repository of 10,000 images pushed over a month.
// Measured: time to the first level of Repositories (registry + the first page of repositories) and to
// the first page of images (1,000 of 10,000, newest first), beside the AWS CLI getting the same first page
// and the raw SDK call (the floor); the one-shot `ecr-deploy repos`/`images` processes; and the heap of the
// extension's process with the 10,000 images loaded in the real RepositoriesView (explorer-heap.cjs).
//
// moto 5.2.1 ignores maxResults (TEST-ENVIRONMENT.md): it answers all 10,000 images in one response, so timing
// against it measures moto. The world is built inside moto (seeding 10,000 images through the API takes it
// minutes), its listings recorded once, and every client is pointed at a replay endpoint that pages like ECR
// (scripts/lib/ecrReplay.mjs: maxResults up to 1,000, opaque tokens), which also counts the calls.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, reportFigure } from '../lib/benchReport.mjs';
import { recordFromMoto, startEcrReplay } from '../lib/ecrReplay.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const REPOSITORIES = 1000;
const IMAGES = 10_000;
const RUNS = 7;
const CLI_RUNS = 5;
const PAGE = 1000;

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const credentials = { AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_DEFAULT_REGION: 'us-east-1', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' };
Object.assign(process.env, credentials);

const SEEDER = String.raw`
import hashlib, json, sys, time
from moto.ecr.models import Image, ecr_backends
from moto.moto_server.threaded_moto_server import ThreadedMotoServer

port, repositories, images = (int(a) for a in sys.argv[1:4])
backend = ecr_backends["123456789012"]["us-east-1"]
started = time.time()
for i in range(repositories):
    backend.create_repository(repository_name=f"service-{i:04d}", registry_id=None, encryption_config=None,
                              image_scan_config={"scanOnPush": i % 2 == 0}, image_tag_mutability="MUTABLE", tags=[])
big = backend.create_repository(repository_name="big", registry_id=None, encryption_config=None,
                                image_scan_config={"scanOnPush": True}, image_tag_mutability="MUTABLE", tags=[])
sha = lambda s: "sha256:" + hashlib.sha256(s.encode()).hexdigest()
now = int(time.time())
for i in range(images):
    manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 1500, "digest": sha(f"config-{i}")},
        "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 1000000 + i, "digest": sha(f"layer-{i}")}]})
    image = Image("123456789012", f"v1.{i // 1000}.{i % 1000}", manifest, "big", "application/vnd.docker.distribution.manifest.v2+json")
    # Pushed over the last month, in an order unrelated to the listing's, so "newest first" has work to do.
    image.image_pushed_at = now - ((i * 7919) % images) * 263
    big.images.append(image)
print(json.dumps({"seedSeconds": time.time() - started}), flush=True)
server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
server.start()
print(json.dumps({"ready": True}), flush=True)
sys.stdin.read()
`;

function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function python() {
  for (const candidate of ['python3', 'python']) {
    if (spawnSync(candidate, ['-c', 'import moto.ecr.models, moto.moto_server.threaded_moto_server'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  throw new Error('no Python with moto 5 on PATH (the interpreter that runs moto_server)');
}

async function startSeededMoto() {
  const dir = join(ROOT, '.bench');
  mkdirSync(dir, { recursive: true });
  const script = join(dir, 'seeded_moto.py');
  writeFileSync(script, SEEDER);
  const port = await freePort();
  const child = spawn(python(), [script, String(port), String(REPOSITORIES), String(IMAGES)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let seedSeconds;
  let errors = '';
  child.stderr.on('data', (d) => (errors = (errors + d).slice(-4000)));
  await new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (d) => {
      buffered += d;
      for (const line of buffered.split('\n').slice(0, -1)) {
        const message = JSON.parse(line);
        if (message.seedSeconds !== undefined) seedSeconds = message.seedSeconds;
        if (message.ready) resolve();
      }
      buffered = buffered.slice(buffered.lastIndexOf('\n') + 1);
    });
    child.once('exit', (code) => reject(new Error(`the seeded moto exited (${code}): ${errors}`)));
  });
  return { endpoint: `http://127.0.0.1:${port}`, seedSeconds, stop: () => child.stdin.end() };
}

/** The AWS CLI: Debian's v2 at /usr/bin/aws, else whatever `aws` is on PATH (named, its version printed). */
function findPeer() {
  for (const command of ['/usr/bin/aws', 'aws']) {
    if (command.startsWith('/') && !existsSync(command)) continue;
    const version = spawnSync(command, ['--version'], { encoding: 'utf8' });
    if (version.status === 0) {
      const line = `${version.stdout}${version.stderr}`.trim().split('\n')[0];
      return { command, version: line, v2: /^aws-cli\/2\./.test(line) };
    }
  }
  return undefined;
}

/** Median time of `runs` runs of `task`, with the calls the last run made at the replay endpoint. */
async function measure(replay, runs, task) {
  const times = [];
  let result;
  let calls = {};
  for (let i = 0; i < runs; i++) {
    replay.resetCalls();
    const started = performance.now();
    result = await task();
    times.push(performance.now() - started);
    calls = replay.calls();
  }
  return { ms: median(times), calls, result };
}
const describeCalls = (calls) => Object.entries(calls).map(([op, n]) => `${n} ${op}`).join(', ') || 'none';

function runProcess(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...credentials, AWS_PAGER: '', AWS_MAX_ATTEMPTS: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(' ')} failed (${code}): ${err.slice(-500)}`))));
  });
}


const moto = await startSeededMoto();
let recorded;
try {
  recorded = await recordFromMoto(moto.endpoint, ['big']);
} finally {
  moto.stop();
}
if (recorded.repositories.length !== REPOSITORIES + 1 || recorded.images.big.length !== IMAGES) throw new Error(`moto recorded ${recorded.repositories.length} repositories, ${recorded.images.big.length} images`);
const replay = await startEcrReplay(recorded);
let failed = false;
try {
  const aws = require(join(ROOT, 'dist', 'aws.js'));
  const { PagedListing } = require(join(ROOT, 'out', 'src', 'core', 'ecr', 'pagedListing.js'));
  const { compareNewestFirst, imageSearchText } = require(join(ROOT, 'out', 'src', 'core', 'ecr', 'imageRow.js'));
  const { ECRClient, DescribeImagesCommand, DescribeRepositoriesCommand } = require('@aws-sdk/client-ecr');
  const connection = { profile: undefined, profileLabel: 'default', region: 'us-east-1', endpointUrl: replay.endpoint, effectiveEndpoint: replay.endpoint, maxAttempts: 1, profileUsesSso: false };
  const clients = aws.createAwsClients(connection);

  // The Repositories view's own steps: the registry row reads the first page of repositories, and its
  // children are that page sorted by name; a repository's children are the first page of images, newest first.
  const firstLevel = async () => {
    const listing = new PagedListing((nextToken, signal) => aws.ecr.listRepositoriesPage(clients.ecr, { nextToken, signal }), {
      pageSize: PAGE,
      compare: (a, b) => a.repositoryName.localeCompare(b.repositoryName),
      searchText: (r) => r.repositoryName,
    });
    await listing.loadMore(new AbortController().signal);
    return listing.visible().length;
  };
  const firstImagePage = async () => {
    const listing = new PagedListing((nextToken, signal) => aws.ecr.listImagesPage(clients.ecr, 'big', { nextToken, signal }), { pageSize: PAGE, compare: compareNewestFirst, searchText: imageSearchText });
    await listing.loadMore(new AbortController().signal);
    return listing;
  };
  // The floor: the SDK's own call for the same page, nothing around it.
  const raw = new ECRClient({ region: 'us-east-1', endpoint: replay.endpoint, maxAttempts: 1 });
  const rawRepositories = async () => (await raw.send(new DescribeRepositoriesCommand({ maxResults: PAGE }))).repositories.length;
  const rawImages = async () => (await raw.send(new DescribeImagesCommand({ repositoryName: 'big', maxResults: PAGE }))).imageDetails.length;

  // The first call of each also pays for loading the SDK's lazy parts: not part of a view refresh.
  await firstLevel();
  await firstImagePage();
  await rawRepositories();
  await rawImages();
  // Alternated, so a burst of load on this shared machine hits both sides alike.
  const samples = { level: [], images: [], rawLevel: [], rawImages: [] };
  let levelCalls = {};
  let imageCalls = {};
  let loaded;
  for (let i = 0; i < RUNS; i++) {
    const level = await measure(replay, 1, firstLevel);
    const page = await measure(replay, 1, firstImagePage);
    const rawLevel = await measure(replay, 1, rawRepositories);
    const rawPage = await measure(replay, 1, rawImages);
    if (level.result !== PAGE || page.result.visible().length !== PAGE || rawLevel.result !== PAGE || rawPage.result !== PAGE) throw new Error('a first page is not 1,000 items');
    samples.level.push(level.ms);
    samples.images.push(page.ms);
    samples.rawLevel.push(rawLevel.ms);
    samples.rawImages.push(rawPage.ms);
    levelCalls = level.calls;
    imageCalls = page.calls;
    loaded = page.result;
  }
  const ours = { level: median(samples.level), images: median(samples.images) };
  const floor = { level: median(samples.rawLevel), images: median(samples.rawImages) };
  const loadMore = await measure(replay, 1, async () => {
    await loaded.loadMore(new AbortController().signal);
    return loaded.visible().length;
  });
  if (loaded.visible().length !== 2 * PAGE) throw new Error(`"Load more" shows ${loaded.visible().length} images`);
  const newest = loaded.visible()[0].imagePushedAt.getTime();
  if (loaded.visible().some((i) => i.imagePushedAt.getTime() > newest)) throw new Error('the images are not newest first');
  clients.destroy();
  raw.destroy();

  const peer = findPeer();
  const peerName = peer ? `${peer.version.split(' ')[0]}${peer.v2 ? '' : ', NOT v2'}` : 'none';
  console.log(`world: ${REPOSITORIES.toLocaleString('en-US')} repositories + 1 repository of ${IMAGES.toLocaleString('en-US')} images, built in ${moto.seedSeconds.toFixed(1)} s inside moto, recorded once, served by the replay endpoint (ECR's paging); medians of ${RUNS} in-process runs (alternated with the raw SDK call), ${CLI_RUNS} per process`);
  console.log(`peer: ${peer ? `${peer.command} (${peer.version})${peer.v2 ? '' : ' - NOT the AWS CLI v2 the goals are stated against (apt-get install awscli)'}` : 'no AWS CLI on PATH (apt-get install awscli)'}`);
  const cli = join(ROOT, 'dist', 'cli.js');
  const ecrDeploy = (args) => runProcess(process.execPath, [cli, ...args, '--endpoint-url', replay.endpoint, '--region', 'us-east-1', '--output', 'json']);
  // As a person gets the first page: --max-items/--page-size 1,000, no pager (v2's --no-cli-pager; v1 has none).
  const awsEcr = (args) => runProcess(peer.command, ['ecr', ...args, '--endpoint-url', replay.endpoint, '--region', 'us-east-1', '--output', 'json', ...(peer.v2 ? ['--no-cli-pager'] : [])]);
  const firstPage = ['--max-items', String(PAGE), '--page-size', String(PAGE)];

  const processes = {
    oursRepos: await measure(replay, CLI_RUNS, () => ecrDeploy(['repos'])),
    oursImages: await measure(replay, CLI_RUNS, () => ecrDeploy(['images', '--repository', 'big'])),
  };
  if (JSON.parse(processes.oursImages.result).length !== IMAGES) throw new Error('ecr-deploy images did not list every image');
  if (JSON.parse(processes.oursRepos.result).length !== REPOSITORIES + 1) throw new Error('ecr-deploy repos did not list every repository');
  if (peer) {
    processes.awsRepos = await measure(replay, CLI_RUNS, () => awsEcr(['describe-repositories', ...firstPage]));
    processes.awsFirstImages = await measure(replay, CLI_RUNS, () => awsEcr(['describe-images', '--repository-name', 'big', ...firstPage]));
    processes.awsAllRepos = await measure(replay, CLI_RUNS, () => awsEcr(['describe-repositories', '--page-size', String(PAGE)]));
    processes.awsImages = await measure(replay, CLI_RUNS, () => awsEcr(['describe-images', '--repository-name', 'big', '--page-size', String(PAGE)]));
    if (JSON.parse(processes.awsFirstImages.result).imageDetails.length !== PAGE) throw new Error('the AWS CLI first page is not 1,000 images');
    if (JSON.parse(processes.awsImages.result).imageDetails.length !== IMAGES) throw new Error('the AWS CLI did not list every image');
  }

  const ms = (v) => `${v.toFixed(1).padStart(7)} ms`;
  console.log('');
  console.log(`${'step'.padEnd(58)} ${'ECR Deploy'.padEnd(10)} | ${'raw SDK'.padEnd(10)} | ${'AWS CLI'.padEnd(10)} | vs SDK | AWS CLI / ours`);
  const line = (label, o, f, a) => console.log(`${label.padEnd(58)} ${ms(o)} | ${f === undefined ? '-'.padEnd(10) : ms(f)} | ${a === undefined ? '-'.padEnd(10) : ms(a)} | ${f === undefined ? '     -' : `${(o / f).toFixed(2)}x`.padStart(6)} | ${a === undefined ? '-' : `${(a / o).toFixed(1)}x`}`);
  line('first level: registry + 1,000 repositories (view)', ours.level, floor.level, processes.awsRepos?.ms);
  line('first page of images: 1,000 of 10,000, newest first (view)', ours.images, floor.images, processes.awsFirstImages?.ms);
  line('all 1,001 repositories, as a process (ecr-deploy repos)', processes.oursRepos.ms, undefined, processes.awsAllRepos?.ms);
  line('all 10,000 images, as a process (ecr-deploy images)', processes.oursImages.ms, undefined, processes.awsImages?.ms);
  console.log('');
  console.log(`"Load more" (images 1,001-2,000): ${loadMore.ms.toFixed(1)} ms, ${describeCalls(loadMore.calls)}`);
  console.log(`API calls: first level ${describeCalls(levelCalls)}; first image page ${describeCalls(imageCalls)}; ecr-deploy images ${describeCalls(processes.oursImages.calls)}${peer ? `; aws describe-images (all) ${describeCalls(processes.awsImages.calls)}` : ''}`);
  console.log('The view rows run in the editor process with the SDK loaded (every refresh after the first); the AWS CLI rows are whole processes, as a person runs them; the raw SDK row is DescribeRepositories/DescribeImages with maxResults 1,000 on a warm client.');

  const viewFigure = (figure, o, f, a) => {
    reportFigure({ figure: `${figure} vs raw SDK`, project: `${o.toFixed(1)} ms`, peer: `${f.toFixed(1)} ms (raw SDK call)`, ratio: o / f, goal: '<= 1.2x raw SDK', met: o / f <= 1.2 });
    if (a === undefined) reportFigure({ figure: `${figure} vs AWS CLI`, project: `${o.toFixed(1)} ms`, peer: 'no AWS CLI', goal: '>= 8x faster than AWS CLI v2', met: false, note: 'no AWS CLI on PATH' });
    // The ratio column is project / peer: 0.125 or less is 8x faster.
    else reportFigure({ figure: `${figure} vs AWS CLI`, project: `${o.toFixed(1)} ms`, peer: `${a.toFixed(0)} ms (${peerName})`, ratio: o / a, goal: '>= 8x faster than AWS CLI v2 (ratio <= 0.125)', met: Boolean(peer.v2) && o / a <= 0.125, note: peer.v2 ? `${(a / o).toFixed(1)}x faster` : `${(a / o).toFixed(1)}x faster; peer is not AWS CLI v2` });
  };
  viewFigure('first level of Repositories (1,000 repos)', ours.level, floor.level, processes.awsRepos?.ms);
  viewFigure('first page of images (1,000 of 10,000)', ours.images, floor.images, processes.awsFirstImages?.ms);

  // The heap: in a Node process of its own (this one holds the bench's own listings), see explorer-heap.cjs.
  try {
    const heap = JSON.parse(await runProcess(process.execPath, ['--expose-gc', join(ROOT, 'scripts', 'bench', 'explorer-heap.cjs'), replay.endpoint, 'big', String(IMAGES)]));
    const mb = (bytes) => `${(bytes / 1048576).toFixed(1)} MB`;
    const above = heap.withImages - heap.idle;
    console.log('');
    console.log(`heap (process.memoryUsage().heapUsed after global.gc(), node --expose-gc, the built extension activated on the stand-in vscode, the real RepositoriesView driven through its tree data provider and ecrDeploy.loadMore):`);
    console.log(`  idle (activated) ${mb(heap.idle)}; ${heap.repositories} repository rows (the SDK loaded) ${mb(heap.withRepositories)}; + ${heap.images.toLocaleString('en-US')} image rows ${mb(heap.withImages)}: ${mb(above)} above idle, of which the images ${mb(heap.withImages - heap.withRepositories)}`);
    reportFigure({ figure: 'heap with 10,000 images loaded (view, above idle)', project: mb(above), peer: `${mb(heap.idle)} idle`, goal: '<= 30 MB above idle', met: above <= 30 * 1048576, note: 'Node heap after gc, stand-in vscode, not the real extension host' });
  } catch (error) {
    failed = true;
    console.log(`heap: could not be measured: ${error.message.slice(0, 300)}`);
    reportFigure({ figure: 'heap with 10,000 images loaded (view, above idle)', project: 'not measured', goal: '<= 30 MB above idle', met: false, note: error.message.slice(0, 120) });
  }
} finally {
  await replay.stop();
}
process.exit(failed ? 1 : 0);
