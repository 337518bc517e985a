// `import * as vscode from 'vscode'` bound to the API object as it is. esbuild's ES module interop wraps a
// namespace import of a CommonJS module in its __toESM helper, which copies every own property of the module
// onto a new object as a getter, once per importing module: the API object VS Code hands an extension has
// about 350 of them, and dist/extension.js had 16 such modules, some 5,500 properties defined while the
// extension loads, 5-7 ms of the activation VS Code reports in the real host (module init 7-10 ms, then
// 2-3.5 ms without it). `import vscode = require('vscode')` (the TypeScript form) compiles to a plain
// require of the same object; the sources keep the usual form, which tsc type-checks the same.
import { readFile } from 'node:fs/promises';

const NAMESPACE_IMPORT = /^import \* as vscode from 'vscode';$/gm;

export function vscodeAsIsPlugin() {
  return {
    name: 'vscode-as-is',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        if (!NAMESPACE_IMPORT.test(source)) return undefined;
        NAMESPACE_IMPORT.lastIndex = 0;
        return { contents: source.replace(NAMESPACE_IMPORT, "import vscode = require('vscode');"), loader: 'ts' };
      });
    },
  };
}
