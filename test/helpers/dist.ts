import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Scripts run by child processes and workers import the built package (dist/), which `npm test` builds first. */
export const root = fileURLToPath(new URL('../../', import.meta.url));
export const script = (name: string) => fileURLToPath(new URL(`../fixtures-scripts/${name}`, import.meta.url));
export function requireDist(): void {
  if (!existsSync(`${root}dist/index.js`)) throw new Error('dist/ is missing: run `npm run build:ts` (npm test does it first)');
}
