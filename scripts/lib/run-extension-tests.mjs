// Runs an extension's mocha suite inside a real VS Code extension host (the
// same `run()` contract as @vscode/test-electron), following
// docs/TEST-ENVIRONMENT.md section 3: VS Code's server from code-server, a
// headless Debian Chromium driven by playwright-core as the workbench, and the
// smoke-test driver hooks to stream the host's console and learn the exit code.
//
// CLI (for debugging):
//   node scripts/lib/run-extension-tests.mjs --extensionDevelopmentPath DIR --extensionTestsPath FILE
//        [--workspaceFolder DIR] [--timeout SECONDS] [--env KEY=VALUE ...] [--settings JSON] [--keep]
//
// With ECR_DEPLOY_E2E_HOST=electron and @vscode/test-electron installed, the
// suite runs in desktop VS Code via test-electron instead (needs internet).

import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { ensureSystemPackages, freePort, startProcess, tail, waitForHttp } from './system.mjs';
import { ensureVsCodeHost } from './vscode-host.mjs';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
];
export const TIMEOUT_EXIT_CODE = 124;

// Workbench log lines (not the extension host's console) that the smoke-test driver forwards too.
const NOISE = [
  /^Resolv(ing|ed) connection token/,
  /^Creating a socket \(/,
  /^\[reconnection-grace-time\]/,
  /^\[AgentHost/,
  /^\[ChatModelSelection\]/,
  /^\[AccountPolicyGate\]/,
  /^Ignoring fetching additional builtin extensions/,
  /^Updating additional builtin extensions cache/,
  /^\[Service Worker\] registration/,
  /^Timed out waiting for authentication provider 'github'/,
  /^Creation of workbench contribution '.*' took \d+ms/,
  /^No search provider registered for scheme: /,
  /^\[Extension Host\] Unable to resolve the extension host ID/,
];

// Settings that keep the test workbench quiet and offline; the caller's userSettings win.
export const DEFAULT_TEST_SETTINGS = {
  'chat.disableAIFeatures': true,
  'workbench.startupEditor': 'none',
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
};

/** Make sure Debian's Chromium is there (installs it with apt when root) and return playwright-core's chromium. */
export async function loadChromium({ log } = {}) {
  await ensureSystemPackages([{ name: 'Chromium', command: 'chromium', path: CHROMIUM, apt: 'chromium' }], { required: true, log });
  const require = createRequire(join(REPO_ROOT, 'package.json'));
  let mod;
  try {
    mod = await import(pathToFileURL(require.resolve('playwright-core')).href);
  } catch {
    throw new Error('playwright-core is missing: run `npm install` in the repo (it is a devDependency)');
  }
  return mod.chromium ?? mod.default.chromium;
}

/** A directory for HOME/TMPDIR/XDG_* of child processes under `root`; returns those env vars. */
export function sandboxEnv(root) {
  const dirs = {
    HOME: join(root, 'home'),
    TMPDIR: join(root, 'tmp'),
    XDG_CONFIG_HOME: join(root, 'home', '.config'),
    XDG_DATA_HOME: join(root, 'home', '.local', 'share'),
    XDG_CACHE_HOME: join(root, 'home', '.cache'),
    XDG_RUNTIME_DIR: join(root, 'run'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dirs;
}

/** Write `settings` as the user settings of a VS Code user-data-dir (where code-server's server reads them). */
export function writeUserSettings(userDataDir, settings) {
  if (!settings) return;
  const dir = join(userDataDir, 'User');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
}

/**
 * Run an extension test module in a real VS Code extension host.
 *
 * @param {object} o
 * @param {string} o.extensionDevelopmentPath  folder with the extension's package.json
 * @param {string} o.extensionTestsPath        compiled test entry exporting `run(): Promise<void>`
 * @param {string} [o.workspaceFolder]         folder to open (default: an empty temp folder)
 * @param {Record<string,string>} [o.env]      extra env for the server, inherited by the extension host
 * @param {object} [o.userSettings]            written to <user-data-dir>/User/settings.json before start
 * @param {number} [o.timeoutMs]               whole-run limit (default 10 min); on expiry -> exit code 124
 * @param {(line: string) => void} [o.log]     progress/diagnostic lines (default: stderr)
 * @param {(line: string) => void} [o.output]  the host's console lines, as they arrive (default: stdout)
 * @param {boolean} [o.keepTemp]               keep the temp dir (prints its path) for post-mortems
 * @param {boolean} [o.verbose]                also print the workbench's own log chatter (default: $ECR_DEPLOY_E2E_VERBOSE)
 * @returns {Promise<number>} 0 when the suite passed, non-zero otherwise
 */
export async function runExtensionTests(o) {
  const {
    extensionDevelopmentPath,
    extensionTestsPath,
    workspaceFolder,
    env = {},
    userSettings,
    timeoutMs = 10 * 60 * 1000,
    log = (line) => process.stderr.write(line + '\n'),
    output = (line) => process.stdout.write(line + '\n'),
    keepTemp = false,
    verbose = Boolean(process.env.ECR_DEPLOY_E2E_VERBOSE),
  } = o ?? {};
  if (!extensionDevelopmentPath || !extensionTestsPath) throw new Error('runExtensionTests: extensionDevelopmentPath and extensionTestsPath are required');
  const devPath = resolve(extensionDevelopmentPath);
  const testsPath = resolve(extensionTestsPath);
  const manifest = readManifest(devPath);
  if (!['', '.js', '.cjs', '.mjs', '/index.js'].some((ext) => existsSync(testsPath + ext) && (ext !== '' || statSync(testsPath).isFile() || existsSync(join(testsPath, 'index.js'))))) {
    throw new Error(`runExtensionTests: the test entry ${testsPath} does not exist (compile the tests first?)`);
  }

  if (process.env.ECR_DEPLOY_E2E_HOST === 'electron') {
    const viaElectron = await runWithTestElectron({ devPath, testsPath, workspaceFolder, env, userSettings, log });
    if (viaElectron !== undefined) return viaElectron;
  }

  const host = await ensureVsCodeHost({ log });
  const engine = manifest.engines?.vscode;
  if (engine && !engineAccepts(engine, host.vscodeVersion)) {
    log(`[e2e] WARNING: ${manifest.publisher}.${manifest.name} asks for engines.vscode ${engine}, but the host is VS Code ${host.vscodeVersion}: it will refuse to load the extension`);
  }
  const chromium = await loadChromium({ log });

  // The clock starts once the host is installed: a first-time install is not the suite's fault.
  const started = Date.now();
  const deadline = started + timeoutMs;
  const T = realpathSync(mkdtempSync(join(tmpdir(), 'ecr-deploy-vscode-')));
  let server;
  let browser;
  let timer;
  try {
    const sandbox = sandboxEnv(T);
    const dirs = { server: join(T, 'server'), user: join(T, 'user'), ext: join(T, 'ext') };
    for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
    writeUserSettings(dirs.user, { ...DEFAULT_TEST_SETTINGS, ...userSettings });
    const folder = workspaceFolder ? resolve(workspaceFolder) : join(T, 'workspace');
    mkdirSync(folder, { recursive: true });

    const port = await freePort();
    const serverEnv = {
      ...process.env,
      ...sandbox,
      EXTENSIONS_GALLERY: '{}',
      VSCODE_CLI: undefined,
      ELECTRON_RUN_AS_NODE: undefined,
      ...env,
    };
    for (const [k, v] of Object.entries(serverEnv)) if (v === undefined || v === null) delete serverEnv[k];
    // prettier-ignore
    const serverArgs = [
      host.serverMain,
      '--host', '127.0.0.1', '--port', String(port),
      '--without-connection-token', '--accept-server-license-terms',
      '--disable-telemetry', '--disable-workspace-trust', '--enable-smoke-test-driver',
      '--server-data-dir', dirs.server, '--user-data-dir', dirs.user, '--extensions-dir', dirs.ext,
    ];
    log(`[e2e] VS Code ${host.vscodeVersion} server on 127.0.0.1:${port} (temp ${T})`);
    server = startProcess(host.node, serverArgs, { env: serverEnv, cwd: T, name: 'vscode-server' });
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/version`, { timeoutMs: Math.min(60000, Math.max(1000, deadline - Date.now())), process: server });

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      env: { ...process.env, ...sandbox },
      timeout: 60000,
    });
    const context = await browser.newContext();
    const page = await context.newPage();

    let settle;
    const result = new Promise((resolvePromise) => (settle = resolvePromise));
    const consoleErrors = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') {
        consoleErrors.push(msg.text());
        if (consoleErrors.length > 50) consoleErrors.shift();
      }
    });
    page.on('crash', () => settle({ kind: 'crash' }));
    page.on('pageerror', (err) => consoleErrors.push(`pageerror: ${err.message}`));
    server.exited.then((info) => settle({ kind: 'server-exit', info }));

    // (level, message): everything the workbench logs while an extension test runs, which includes the
    // extension host's console (mocha's output) as it happens. Workbench chatter is held back (see NOISE).
    let hidden = 0;
    await page.exposeFunction('codeAutomationLog', (_level, message) => {
      const line = Array.isArray(message) ? format(...message) : typeof message === 'string' ? message : format(message);
      if (!verbose && NOISE.some((re) => re.test(line))) {
        hidden++;
        return;
      }
      output(line);
    });
    await page.exposeFunction('codeAutomationExit', (code) => {
      settle({ kind: 'exit', code: Number(code) });
    });

    const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(devPath)],
      ['extensionTestsPath', remote(testsPath)],
      ['skipWelcome', 'true'],
    ];
    const url = `${base}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    log(`[e2e] running ${testsPath}`);
    const timeout = new Promise((resolvePromise) => {
      timer = setTimeout(() => resolvePromise({ kind: 'timeout' }), Math.max(0, deadline - Date.now()));
    });
    // goto only waits for the HTML; a failure to load (other than running out of time) is an error.
    const loaded = page.goto(url, { waitUntil: 'domcontentloaded', timeout: Math.max(1000, deadline - Date.now()) }).then(
      () => new Promise(() => {}),
      (err) => (Date.now() >= deadline - 1000 ? { kind: 'timeout' } : { kind: 'load-error', err }),
    );
    const outcome = await Promise.race([result, timeout, loaded]);
    const elapsed = ((Date.now() - started) / 1000).toFixed(1);

    const diagnostics = () => {
      const parts = [`--- last output of the VS Code server ---\n${tail(server.output(), 40) || '(none)'}`];
      if (consoleErrors.length) parts.push(`--- workbench console errors ---\n${consoleErrors.slice(-15).join('\n')}`);
      return parts.join('\n');
    };
    if (outcome.kind !== 'exit' || outcome.code !== 0) {
      if (hidden) log(`[e2e] (${hidden} lines of workbench log chatter were hidden; ECR_DEPLOY_E2E_VERBOSE=1 shows them)`);
    }
    switch (outcome.kind) {
      case 'exit':
        log(`[e2e] extension host finished with exit code ${outcome.code} in ${elapsed} s`);
        if (!Number.isInteger(outcome.code)) return 1;
        return outcome.code;
      case 'timeout':
        log(`[e2e] TIMEOUT: the extension tests did not finish within ${Math.round(timeoutMs / 1000)} s (${testsPath}); killing VS Code.\n${diagnostics()}`);
        return TIMEOUT_EXIT_CODE;
      case 'load-error':
        log(`[e2e] the workbench did not load: ${outcome.err.message.split('\n')[0]}\n${diagnostics()}`);
        return 1;
      case 'crash':
        log(`[e2e] the workbench page crashed after ${elapsed} s.\n${diagnostics()}`);
        return 1;
      case 'server-exit':
      default:
        log(`[e2e] the VS Code server exited unexpectedly (code ${outcome.info?.code}, signal ${outcome.info?.signal}) after ${elapsed} s.\n${diagnostics()}`);
        return 1;
    }
  } finally {
    clearTimeout(timer);
    if (browser) await browser.close().catch(() => {});
    if (server) await server.stop();
    if (keepTemp) log(`[e2e] kept ${T}`);
    else rmSync(T, { recursive: true, force: true, maxRetries: 3 });
  }
}

function readManifest(devPath) {
  try {
    return JSON.parse(readFileSync(join(devPath, 'package.json'), 'utf8'));
  } catch (err) {
    throw new Error(`runExtensionTests: ${join(devPath, 'package.json')} is missing or invalid (${err.code ?? err.message})`);
  }
}

/** Minimal check of an engines.vscode range (`^x.y.z`, `>=x.y.z`, `~x.y.z`, `x.y.z`) against a version. */
export function engineAccepts(range, version) {
  const m = /^\s*(\^|>=|~)?\s*(\d+)\.(\d+|x|\*)(?:\.(\d+|x|\*))?/.exec(range);
  if (!m) return true; // '*' or unknown syntax: let VS Code decide
  const want = [Number(m[2]), Number(m[3]) || 0, Number(m[4]) || 0];
  const have = version.split('.').map((n) => Number.parseInt(n, 10) || 0);
  const cmp = have[0] - want[0] || have[1] - want[1] || have[2] - want[2];
  if (cmp < 0) return false; // the host is older than the extension needs
  if (m[1] === '^') return have[0] === want[0];
  if (m[1] === '~') return have[0] === want[0] && have[1] === want[1];
  return true;
}

/**
 * Desktop VS Code via @vscode/test-electron (machines with internet). Returns undefined when the
 * package is not installed, so the caller falls back to the code-server host.
 */
async function runWithTestElectron({ devPath, testsPath, workspaceFolder, env, userSettings, log }) {
  const require = createRequire(join(REPO_ROOT, 'package.json'));
  let modPath;
  try {
    modPath = require.resolve('@vscode/test-electron');
  } catch {
    log('[e2e] ECR_DEPLOY_E2E_HOST=electron but @vscode/test-electron is not installed; using the code-server host');
    return undefined;
  }
  const { runTests } = await import(pathToFileURL(modPath).href);
  const T = realpathSync(mkdtempSync(join(tmpdir(), 'ecr-deploy-electron-')));
  try {
    const userDataDir = join(T, 'user');
    writeUserSettings(userDataDir, userSettings);
    const folder = workspaceFolder ? resolve(workspaceFolder) : join(T, 'workspace');
    mkdirSync(folder, { recursive: true });
    log('[e2e] running in desktop VS Code via @vscode/test-electron');
    await runTests({
      extensionDevelopmentPath: devPath,
      extensionTestsPath: testsPath,
      extensionTestsEnv: env,
      launchArgs: [folder, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--user-data-dir', userDataDir, '--extensions-dir', join(T, 'ext')],
    });
    return 0;
  } catch (err) {
    log(`[e2e] test-electron: ${err?.message ?? err}`);
    return 1;
  } finally {
    rmSync(T, { recursive: true, force: true, maxRetries: 3 });
  }
}

// CLI
function parseCli(argv) {
  const opts = { env: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    switch (a) {
      case '--extensionDevelopmentPath':
      case '--dev':
        opts.extensionDevelopmentPath = next();
        break;
      case '--extensionTestsPath':
      case '--tests':
        opts.extensionTestsPath = next();
        break;
      case '--workspaceFolder':
      case '--folder':
        opts.workspaceFolder = next();
        break;
      case '--timeout':
        opts.timeoutMs = Number(next()) * 1000;
        break;
      case '--env': {
        const kv = next();
        const eq = kv.indexOf('=');
        if (eq < 1) throw new Error(`--env expects KEY=VALUE, got ${kv}`);
        opts.env[kv.slice(0, eq)] = kv.slice(eq + 1);
        break;
      }
      case '--settings':
        opts.userSettings = JSON.parse(next());
        break;
      case '--keep':
        opts.keepTemp = true;
        break;
      case '-h':
      case '--help':
        opts.help = true;
        break;
      default:
        throw new Error(`unknown argument ${a}`);
    }
  }
  return opts;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const opts = parseCli(process.argv.slice(2));
    if (opts.help || !opts.extensionDevelopmentPath || !opts.extensionTestsPath) {
      console.error(
        'usage: node scripts/lib/run-extension-tests.mjs --extensionDevelopmentPath DIR --extensionTestsPath FILE\n' +
          '       [--workspaceFolder DIR] [--timeout SECONDS] [--env KEY=VALUE ...] [--settings JSON] [--keep]',
      );
      process.exitCode = opts.help ? 0 : 2;
    } else {
      process.exitCode = await runExtensionTests(opts);
    }
  } catch (err) {
    console.error(err?.message ?? err);
    process.exitCode = 1;
  }
  // Let pending handles (playwright) not hold the process open.
  await sleep(0);
}
