/** Every micro-kernel this CPU can run (KILN_CPU caps the level) agrees with the reference. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { nativeAddon } from '../../src/backend/native/index.js';
import { hasNative } from '../helpers/backends.js';
import { requireDist, script } from '../helpers/dist.js';

const order = ['scalar', 'avx2', 'avx512'];
const best = hasNative ? nativeAddon().info().simd : 'scalar';
const levels = order.slice(0, order.indexOf(best) + 1);

describe.runIf(hasNative)('sgemm micro-kernels', () => {
  it.each(levels)('KILN_CPU=%s matches the js reference over random shapes and transposes', (level) => {
    requireDist();
    const r = spawnSync(process.execPath, [script('sgemm-variants.mjs')], {
      env: { ...process.env, KILN_CPU: level },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(out.simd).toBe(level);
    expect(out.kernel).toMatch(new RegExp(`^${level} `));
    expect(out.worst).toBeLessThanOrEqual(1);
  });
});
