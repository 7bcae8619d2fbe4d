/** kiln's own version, read once from package.json (src/deploy and dist/deploy both sit two levels below it). */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

export function kilnVersion(): string {
  if (cached === undefined) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name?: string; version?: unknown };
      cached = pkg.name === 'kiln' && typeof pkg.version === 'string' ? pkg.version : '0.0.0-unknown';
    } catch {
      cached = '0.0.0-unknown';
    }
  }
  return cached;
}
