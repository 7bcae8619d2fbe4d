/**
 * Quantised gradients of the hist engine (native/kernels/hist/quantize.h) in TypeScript: the
 * same scales, noise and f64 operations, so the same integers as the native kernel (a test
 * holds the two together): the js backend's quantize kernel.
 */

/** The largest quantised |gradient| and hessian (quantize.h kQuantMax). */
export const QUANT_MAX = 127;

import type { QuantizedGradients } from '../contract/hist.js';
import { rowHash } from './row-hash.js';

// Gradient scratch reused across trees: a fresh 40 MB array costs more in page faults than quantising into it.
const scratch: Int32Array[] = [];
export function takeScratch(m: number): Int32Array {
  const i = scratch.findIndex((a) => a.length >= m);
  return i >= 0 ? scratch.splice(i, 1)[0].subarray(0, m) : new Int32Array(m);
}
/** Returns a quantiser's output array for reuse by the next tree. */
export function giveScratch(a: Int32Array): void {
  if (scratch.length < 2) scratch.push(new Int32Array(a.buffer));
}

/** quantize.h in TypeScript. */
export function quantizeGradientsJs(gradHess: Float64Array, rows: Int32Array | null, n: number, seed: number): QuantizedGradients {
  const m = rows ? rows.length : n;
  const row = (j: number) => (rows ? rows[j] : j);
  let gMax = 0,
    hMax = 0; // std::max semantics: b only when a < b (a NaN never wins)
  for (let j = 0; j < m; j++) {
    const r = row(j),
      g = Math.abs(gradHess[2 * r]),
      h = gradHess[2 * r + 1];
    if (gMax < g) gMax = g;
    if (hMax < h) hMax = h;
  }
  const gScale = gMax > 0 ? gMax / QUANT_MAX : 1,
    hScale = hMax > 0 ? hMax / QUANT_MAX : 1;
  const seed32 = (seed >>> 0) ^ (Math.floor(seed / 4294967296) >>> 0);
  const gh = takeScratch(m);
  let G = 0,
    H = 0;
  for (let j = 0; j < m; j++) {
    const r = row(j);
    const x = rowHash(seed32, r);
    const g = Math.floor(gradHess[2 * r] / gScale + (x >>> 16) * (1 / 65536));
    let h = Math.floor(gradHess[2 * r + 1] / hScale + (x & 0xffff) * (1 / 65536));
    h = h < 0 ? 0 : h > QUANT_MAX ? QUANT_MAX : h;
    G += g;
    H += h;
    gh[j] = (g << 16) | h;
  }
  return { gh, G, H, gScale, hScale };
}
