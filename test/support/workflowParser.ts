/**
 * GitHub's workflow parser (@actions/workflow-parser) for tests. It ships as ES modules that import JSON
 * without import attributes, which Node 20 refuses; esbuild bundles it into one CommonJS module here.
 */
import { buildSync } from 'esbuild';
import Module from 'node:module';
import * as path from 'node:path';
import { REPO_ROOT } from './cliProcess';

type Parser = typeof import('@actions/workflow-parser');
let loaded: Parser | undefined;

export function workflowParser(): Parser {
  if (loaded) return loaded;
  const result = buildSync({
    stdin: { contents: "module.exports = require('@actions/workflow-parser');", resolveDir: REPO_ROOT, loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    logLevel: 'silent',
    mainFields: ['module', 'main'],
    conditions: ['import'],
  });
  const filename = path.join(REPO_ROOT, 'out', 'workflow-parser.bundle.js');
  const bundle = new Module(filename) as Module & { _compile(code: string, filename: string): void };
  bundle.filename = filename;
  bundle.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(REPO_ROOT);
  bundle._compile(result.outputFiles[0].text, filename);
  loaded = bundle.exports as Parser;
  return loaded;
}

/** The parser's errors for a workflow's text: none means GitHub would load it. */
export function workflowErrors(content: string, name = 'release.yml'): string[] {
  const { parseWorkflow, NoOperationTraceWriter } = workflowParser();
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  return parsed.context.errors.getErrors().map((e) => e.message);
}
