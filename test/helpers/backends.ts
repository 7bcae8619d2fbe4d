/**
 * The backends this machine can run, for cross-backend tests. A backend that
 * cannot run is skipped by name with the reason printed — except where the
 * environment demands it (CI sets KILN_REQUIRE_NATIVE=1 and KILN_REQUIRE_WEBGPU=1),
 * where its absence fails the run instead of hiding behind a skip.
 */
import { backends, type BackendName } from '../../src/index.js';

const infos = await backends();

export const available: BackendName[] = infos.filter((b) => b.available).map((b) => b.name);

for (const info of infos) {
  if (info.available) continue;
  const required = process.env[`KILN_REQUIRE_${info.name.toUpperCase()}`] === '1';
  if (required) throw new Error(`backend ${info.name} is required here but unavailable: ${info.reason}`);
  console.warn(`[kiln tests] skipping backend ${info.name}: ${info.reason}`);
}

export const hasNative = available.includes('native');
export const hasWebgpu = available.includes('webgpu');
