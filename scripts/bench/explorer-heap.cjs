/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: it hooks require() to hand the extension its stand-in vscode */
// The heap of the extension's process with 10,000 images loaded in the Repositories view, beside idle. Run by
// scripts/bench/explorer.mjs as `node --expose-gc explorer-heap.cjs <endpoint> <repository> <images>` against its
// replay endpoint. The built extension (dist/extension.js, activate) runs on the stand-in `vscode`
// (vscode-stub.cjs): the real RepositoriesView, reached as VS Code reaches it, through the tree data provider
// given to createTreeView, its rows asked for with getChildren/getTreeItem and "Load more" run through the
// ecrDeploy.loadMore command, until every image is a row. Each reading is process.memoryUsage().heapUsed right
// after global.gc(); it prints one JSON line.
const Module = require('node:module');
const path = require('node:path');

const [endpoint, repositoryName, expected] = process.argv.slice(2);
const ROOT = path.join(__dirname, '..', '..');
if (typeof global.gc !== 'function') throw new Error('run with --expose-gc: every reading follows a full collection');

const stub = require('./vscode-stub.cjs');
const providers = new Map();
const commands = new Map();
const settings = { region: 'us-east-1', endpointUrl: endpoint, maxAttempts: 1 };
const vscode = {
  ...stub,
  window: {
    ...stub.window,
    createTreeView: (id, options) => {
      providers.set(id, options.treeDataProvider);
      return stub.window.createTreeView(id, options);
    },
    withProgress: (_options, task) => task({ report() {} }, { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) }),
  },
  commands: {
    ...stub.commands,
    registerCommand: (id, handler) => {
      commands.set(id, handler);
      return { dispose() {} };
    },
  },
  workspace: { ...stub.workspace, getConfiguration: () => ({ get: (key, fallback) => settings[key] ?? fallback, inspect: () => undefined, update: async () => undefined }) },
};
const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'vscode' ? vscode : load.call(this, request, ...rest);
};

const heap = () => {
  global.gc();
  global.gc();
  return process.memoryUsage().heapUsed;
};

async function rows(provider, node) {
  const children = await provider.getChildren(node);
  for (const child of children) await provider.getTreeItem(child);
  return children;
}

/** Every row under `node`, "Load more" run until there is none (as a person clicking it would). */
async function allRows(provider, node) {
  for (;;) {
    const children = await rows(provider, node);
    const more = children.find((c) => c.kind === 'loadMore');
    if (!more) return children;
    await commands.get('ecrDeploy.loadMore')(more);
  }
}

(async () => {
  const extension = require(path.join(ROOT, 'dist', 'extension.js'));
  await extension.activate(stub.context);
  const idle = heap();
  const provider = providers.get('ecrDeploy.repositories');
  if (!provider) throw new Error('activation made no ecrDeploy.repositories tree view');
  const [registry] = await rows(provider, undefined);
  if (registry?.kind !== 'registry') throw new Error(`the first row is not the registry: ${JSON.stringify(registry)}`);
  const repositories = await allRows(provider, registry);
  const repository = repositories.find((r) => r.kind === 'repository' && r.repository.repositoryName === repositoryName);
  if (!repository) throw new Error(`no ${repositoryName} row among ${repositories.length}`);
  const withRepositories = heap();
  const images = (await allRows(provider, repository)).filter((r) => r.kind === 'image');
  if (images.length !== Number(expected)) throw new Error(`${images.length} image rows, expected ${expected}`);
  const withImages = heap();
  process.stdout.write(`${JSON.stringify({ idle, withRepositories, withImages, repositories: repositories.length, images: images.length })}\n`);
  process.exit(0);
})().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
