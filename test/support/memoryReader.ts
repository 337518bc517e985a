import type { ContextReader } from '../../src/core/scan/buildContext';

/** An in-memory build context: the same walk the CLI and extension run, over a dictionary of files. */
export function memoryReader(files: Record<string, string>): ContextReader {
  return {
    async listDirectory(dir) {
      const prefix = dir ? `${dir}/` : '';
      const names = new Map<string, boolean>();
      for (const file of Object.keys(files)) {
        if (!file.startsWith(prefix)) continue;
        const [head, ...rest] = file.slice(prefix.length).split('/');
        names.set(head, rest.length > 0 || names.get(head) === true);
      }
      return [...names].map(([name, directory]) => ({ name, directory }));
    },
    async readText(file) {
      if (!(file in files)) throw new Error(`ENOENT ${file}`);
      return files[file];
    },
  };
}
