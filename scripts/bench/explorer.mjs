// The explorer at scale: 1,000 repositories, and one repository of 10,000 images pushed over a month.
// Measured: time to the first level of Repositories (registry + the first page of repositories) and to
// the first page of images (1,000, newest first), the API calls each makes, and a second page ("Load
// more"); beside the same listings by Debian's AWS CLI against the same moto, as ratios.
// A counting proxy in front of moto counts the API calls of both sides the same way.
//
// moto 5.2.1 ignores maxResults (TEST-ENVIRONMENT.md): every listing is one response with everything,
// which is what both sides get here. Seeding 10,000 images through the API takes moto minutes (each
// PutImage scans the repository), so the world is built inside the moto process, then served over HTTP.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const REPOSITORIES = 1000;
const IMAGES = 10_000;
const RUNS = 3;
const CLI_RUNS = 3;
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

/** Forwards to moto and counts requests by API operation (X-Amz-Target), for whichever client calls. */
async function startCountingProxy(target) {
  const counts = new Map();
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const operation = String(req.headers['x-amz-target'] ?? req.url).split('.').pop();
    counts.set(operation, (counts.get(operation) ?? 0) + 1);
    const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  const port = await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
  return {
    endpoint: `http://127.0.0.1:${port}`,
    reset: () => counts.clear(),
    calls: () => [...counts.values()].reduce((a, b) => a + b, 0),
    describe: () => [...counts.entries()].map(([op, n]) => `${n} ${op}`).join(', ') || 'none',
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function measure(proxy, runs, task) {
  const times = [];
  let calls = 0;
  let detail = '';
  let result;
  for (let i = 0; i < runs; i++) {
    proxy.reset();
    const started = performance.now();
    result = await task();
    times.push(performance.now() - started);
    calls = proxy.calls();
    detail = proxy.describe();
  }
  return { ms: median(times), calls, detail, result };
}

function awsCli() {
  if (existsSync('/usr/bin/aws')) return '/usr/bin/aws';
  const found = spawnSync('sh', ['-c', 'command -v aws'], { encoding: 'utf8' }).stdout.trim();
  if (!found) throw new Error("no AWS CLI: install Debian's awscli (apt-get install awscli)");
  return found;
}

function runProcess(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...credentials, AWS_PAGER: '', AWS_MAX_ATTEMPTS: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(' ')} failed (${code}): ${err.slice(-500)}`))));
  });
}

const moto = await startSeededMoto();
const proxy = await startCountingProxy(moto.endpoint);
try {
  const aws = require(join(ROOT, 'dist', 'aws.js'));
  const { PagedListing } = require(join(ROOT, 'out', 'src', 'core', 'pagedListing.js'));
  const { compareNewestFirst, imageSearchText } = require(join(ROOT, 'out', 'src', 'core', 'imageRow.js'));
  const connection = { profile: undefined, profileLabel: 'default', region: 'us-east-1', endpointUrl: proxy.endpoint, effectiveEndpoint: proxy.endpoint, maxAttempts: 1, profileUsesSso: false };
  const clients = aws.createAwsClients(connection);

  // The Repositories view's own steps: the registry row reads the first page of repositories, and its
  // children are that page sorted by name; a repository's children are the first page of images, newest first.
  const firstLevel = () => {
    const listing = new PagedListing((nextToken, signal) => aws.ecr.listRepositoriesPage(clients.ecr, { nextToken, signal }), {
      pageSize: PAGE,
      compare: (a, b) => a.repositoryName.localeCompare(b.repositoryName),
      searchText: (r) => r.repositoryName,
    });
    return listing.loadMore(new AbortController().signal).then(() => listing.visible().length);
  };
  const imageListing = () =>
    new PagedListing((nextToken, signal) => aws.ecr.listImagesPage(clients.ecr, 'big', { nextToken, signal }), { pageSize: PAGE, compare: compareNewestFirst, searchText: imageSearchText });
  const firstImagePage = async () => {
    const listing = imageListing();
    await listing.loadMore(new AbortController().signal);
    return listing;
  };

  await firstLevel(); // the first call also pays for loading the SDK's lazy parts: not part of a view refresh
  const ours = {
    level: await measure(proxy, RUNS, firstLevel),
    images: await measure(proxy, RUNS, firstImagePage),
  };
  const loaded = ours.images.result;
  const loadMore = await measure(proxy, 1, async () => {
    await loaded.loadMore(new AbortController().signal);
    return loaded.visible().length;
  });
  if (ours.level.result !== PAGE || loaded.visible().length !== 2 * PAGE) throw new Error(`unexpected listing sizes: ${ours.level.result}, ${loaded.visible().length}`);
  const newest = loaded.visible()[0].imagePushedAt.getTime();
  if (loaded.visible().some((i) => i.imagePushedAt.getTime() > newest)) throw new Error('the first page is not newest first');
  clients.destroy();

  const cli = join(ROOT, 'dist', 'cli.js');
  const ecrDeploy = (args) => runProcess(process.execPath, [cli, ...args, '--endpoint-url', proxy.endpoint, '--region', 'us-east-1', '--output', 'json']);
  const awsPath = awsCli();
  const awsEcr = (args) => runProcess(awsPath, ['ecr', ...args, '--endpoint-url', proxy.endpoint, '--region', 'us-east-1', '--output', 'json']);
  const version = spawnSync(awsPath, ['--version'], { encoding: 'utf8' }).stdout.trim();

  const processes = {
    oursRepos: await measure(proxy, CLI_RUNS, () => ecrDeploy(['repos'])),
    awsRepos: await measure(proxy, CLI_RUNS, () => awsEcr(['describe-repositories'])),
    oursImages: await measure(proxy, CLI_RUNS, () => ecrDeploy(['images', '--repository', 'big'])),
    awsFirstImages: await measure(proxy, CLI_RUNS, () => awsEcr(['describe-images', '--repository-name', 'big', '--max-items', String(PAGE)])),
    awsImages: await measure(proxy, CLI_RUNS, () => awsEcr(['describe-images', '--repository-name', 'big'])),
  };
  const count = (text) => JSON.parse(text);
  if (count(processes.oursImages.result).length !== IMAGES || count(processes.awsImages.result).imageDetails.length !== IMAGES) throw new Error('a full image listing is incomplete');
  if (count(processes.awsFirstImages.result).imageDetails.length !== PAGE) throw new Error('the AWS CLI first page is not 1,000 images');

  const ms = (v) => `${v.toFixed(0).padStart(6)} ms`;
  const row = (label, a, b) => console.log(`${label.padEnd(52)} ${ms(a.ms)} ${String(a.calls).padStart(3)} call${a.calls === 1 ? ' ' : 's'} | ${ms(b.ms)} ${String(b.calls).padStart(3)} call${b.calls === 1 ? ' ' : 's'} | ${(b.ms / a.ms).toFixed(1).padStart(6)}x`);
  console.log(`world: ${REPOSITORIES.toLocaleString('en-US')} repositories + 1 repository of ${IMAGES.toLocaleString('en-US')} images, built in ${moto.seedSeconds.toFixed(1)} s inside moto; ${RUNS} runs in-process, ${CLI_RUNS} per process, medians`);
  console.log(`peer: ${version} (${awsPath}); the same moto behind the same counting proxy`);
  console.log('');
  console.log(`${'step'.padEnd(52)} ${'ECR Deploy'.padEnd(20)} | ${'AWS CLI'.padEnd(20)} | AWS CLI / ECR Deploy`);
  row('first level: registry + 1,000 repositories (view)', ours.level, processes.awsRepos);
  row('first page of images: 1,000 of 10,000, newest first (view)', ours.images, processes.awsFirstImages);
  row('repositories, as a process (ecr-deploy repos)', processes.oursRepos, processes.awsRepos);
  row('all 10,000 images, as a process (ecr-deploy images)', processes.oursImages, processes.awsImages);
  console.log('');
  console.log(`"Load more" (images 1,001-2,000): ${loadMore.ms.toFixed(1)} ms, ${loadMore.calls} API calls (moto answered everything in the first response)`);
  console.log(`API calls, view: first level ${ours.level.detail}; first image page ${ours.images.detail}`);
  console.log('The view rows run in the editor process with the SDK loaded (every refresh after the first); the process rows include starting Node and the SDK, as the AWS CLI includes starting Python.');
} finally {
  await proxy.stop();
  moto.stop();
}
