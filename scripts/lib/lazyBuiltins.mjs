// Node built-ins that a read such as `ecr-deploy repos` never calls, but that the bundle's modules require at
// their top: commander requires child_process (for executable subcommands, which the CLI has none of),
// @smithy/node-http-handler requires http2 (the SDK's clients here send HTTP/1.1), and the SDK's compression
// and checksum code require zlib. Loading them cost a one-shot command 10-11 ms of its CPU (child_process 4 ms,
// http2 5 ms, zlib 1 ms, in a CPU profile of `repos`). Each import of them is given a module with the same
// export names whose getters require the built-in on first use, so a command that spawns, compresses or
// speaks HTTP/2 gets the real module, and one that does not never loads it.
//
// An export that is an object rather than a function (http2.constants, zlib.constants) is read by some modules
// at their top (`const { constants } = http2`): until the built-in is loaded it is a forwarding proxy onto the
// real object, so that read stays lazy too.
import { builtinModules, createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const LAZY_BUILTINS = ['child_process', 'http2', 'zlib'];

const NAMESPACE = 'lazy-builtin';

/** The module standing in for `node:<name>`: the export names of this Node's built-in, each a lazy getter. */
export function lazyBuiltinSource(name) {
  if (!builtinModules.includes(name)) throw new Error(`lazy-builtins: ${name} is not a Node built-in`);
  const real = require(`node:${name}`);
  const names = Object.keys(real).filter((key) => key !== 'default');
  const objects = names.filter((key) => typeof real[key] === 'object' && real[key] !== null);
  return `"use strict";
let real;
const load = () => real ?? (real = require("node:${name}"));
const forwardingTo = (key) => new Proxy({}, {
  get: (_, property) => load()[key][property],
  has: (_, property) => property in load()[key],
  ownKeys: () => Reflect.ownKeys(load()[key]),
  getOwnPropertyDescriptor: (_, property) => {
    const descriptor = Reflect.getOwnPropertyDescriptor(load()[key], property);
    return descriptor && { ...descriptor, configurable: true };
  },
});
const objects = new Set(${JSON.stringify(objects)});
for (const key of ${JSON.stringify(names)}) {
  const stand_in = objects.has(key) ? forwardingTo(key) : undefined;
  Object.defineProperty(module.exports, key, { enumerable: true, get: () => (real || !stand_in ? load()[key] : stand_in) });
}
`;
}

/** The esbuild plugin: `node:<name>` and `<name>` for each of `names` resolve to their lazy stand-in. */
export function lazyBuiltinsPlugin(names = LAZY_BUILTINS) {
  const filter = new RegExp(`^(node:)?(${names.join('|')})$`);
  return {
    name: 'lazy-builtins',
    setup(build) {
      build.onResolve({ filter }, (args) =>
        args.namespace === NAMESPACE ? { path: args.path, external: true } : { path: args.path.replace(/^node:/, ''), namespace: NAMESPACE },
      );
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({ contents: lazyBuiltinSource(args.path), loader: 'js' }));
    },
  };
}
