// The CLI as parts, so that a one-shot `ecr-deploy repos` reads and compiles what `repos` runs and nothing else
// (one 1.4 MB bundle cost ~110 ms of V8 compiling per process, before any work):
// - dist/cli.js: the entry: the command line (commander, the framework) and the command list;
// - dist/cli/<module>.js: each module that src/cli/commands.ts loads with `import('./<module>')`, found by
//   reading that file, so a command added there the same way gets its own part with no change here;
// - dist/cli/sdk/<client>.js: each AWS SDK client package (`@aws-sdk/client-*`) a part imports or requires,
//   one self-contained bundle each, required only by the parts that use it.
// Every part is CommonJS and is required by a relative path, so the package stays self-contained (no
// runtime dependency). Errors cross parts by name, never by `instanceof` (src/core/errors/named.ts).
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const SDK_CLIENT = /^@aws-sdk\/client-[a-z0-9-]+$/;

/** The modules src/cli/commands.ts loads lazily, e.g. ['repos', 'images', 'build', ...] (each once). */
export function cliCommandModules(root) {
  const source = readFileSync(path.join(root, 'src/cli/commands.ts'), 'utf8');
  const modules = [...source.matchAll(/import\(\s*'\.\/([\w-]+)'\s*\)/g)].map((m) => m[1]);
  if (!modules.length) throw new Error('src/cli/commands.ts loads no command module with import(\'./<module>\'): the CLI build would have no parts');
  return [...new Set(modules)];
}

const relative = (fromDir, file) => {
  const link = path.relative(fromDir, file).split(path.sep).join('/');
  return link.startsWith('.') ? link : `./${link}`;
};

/**
 * The plugin for one CLI part whose bundle is `outfile`: command modules and SDK clients stay runtime requires
 * of their own parts; `sdkClients` collects the SDK clients seen, so that their parts are built after.
 */
function cliPartsPlugin(root, outfile, sdkClients) {
  const commandsFile = path.join(root, 'src/cli/commands.ts');
  const outDir = path.dirname(path.join(root, outfile));
  return {
    name: 'cli-parts',
    setup(build) {
      build.onResolve({ filter: SDK_CLIENT }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        sdkClients.add(args.path);
        return { path: relative(outDir, path.join(root, 'dist/cli/sdk', `${args.path.slice('@aws-sdk/'.length)}.js`)), external: true };
      });
      build.onResolve({ filter: /^\.\/[\w-]+$/ }, (args) => {
        if (args.kind !== 'dynamic-import' || args.importer !== commandsFile) return undefined;
        return { path: relative(outDir, path.join(root, 'dist/cli', `${args.path.slice(2)}.js`)), namespace: 'cli-part' };
      });
      // An external import() would stay an import() of a CommonJS file, which Node loads through its ES module
      // loader (format detection, a lexer pass over the whole part: ~90 ms); a require() loads it directly.
      build.onLoad({ filter: /.*/, namespace: 'cli-part' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
      build.onResolve({ filter: /.*/, namespace: 'cli-part' }, (args) => ({ path: args.path, external: true }));
    },
  };
}

/** esbuild configs of the entry and the command parts; then `sdkConfigs()` gives the SDK clients' parts they use. */
export function cliPartConfigs(root, common) {
  const sdkClients = new Set();
  const part = (entry, outfile) => ({ ...common, entryPoints: [entry], outfile, plugins: [cliPartsPlugin(root, outfile, sdkClients)] });
  return {
    configs: [part('src/cli.ts', 'dist/cli.js'), ...cliCommandModules(root).map((module) => part(`src/cli/${module}.ts`, `dist/cli/${module}.js`))],
    sdkConfigs: () => [...sdkClients].sort().map((client) => ({ ...common, entryPoints: [client], outfile: `dist/cli/sdk/${client.slice('@aws-sdk/'.length)}.js` })),
  };
}
