/**
 * Where a worker thread's script is: the .js file beside the caller in dist/; from the TypeScript
 * sources (tests, tsx), the .ts file through tsx's loader (an eval entry that registers it first).
 * Every room that starts a node worker_threads Worker locates its script here.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** `file` (no extension) next to the module whose `import.meta.url` is `from`. */
export function threadEntry(file: string, from: string): { entry: string; eval: boolean } {
  if (!from.endsWith('.ts')) return { entry: fileURLToPath(new URL(`./${file}.js`, from)), eval: false };
  const api = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/esm/api')), 'index.mjs')).href;
  const target = new URL(`./${file}.ts`, from).href;
  return { entry: `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); });`, eval: true };
}
