/**
 * Row sampling of a boosting round (native/kernels/hist/sample.h) in TypeScript: the same keys,
 * hashes and f64 operations, so the same rows and scaled gradients as the native kernel (a test
 * holds the two together): the js backend's sampleRows kernel.
 */
import type { HistSampleArgs } from '../contract/hist.js';
import { rowHash } from './row-hash.js';

const TWO_32 = 4294967296;

/** Hashes below this keep a row with probability q (q >= 1: every row). */
const hashLimit = (q: number) => (q >= 1 ? TWO_32 : Math.floor(q * TWO_32));

export function sampleRowsJs(a: HistSampleArgs): Int32Array {
  const { n, seed } = a;
  const out = a.out ?? new Int32Array(n);
  if (a.strategy === 'goss') return goss(a, out);
  const limit = hashLimit(a.rate);
  let kept = 0;
  for (let r = 0; r < n; r++) if (rowHash(seed, r) < limit) out[kept++] = r;
  if (kept === 0) {
    let best = 0;
    for (let r = 1; r < n; r++) if (rowHash(seed, r) < rowHash(seed, best)) best = r;
    out[kept++] = best;
  }
  return out.subarray(0, kept);
}

/** Σ_c |g · h| of each row rounded to a float, as its bits without the sign (sample.cc goss_key), into `out`. */
export function gossKeysJs(gh: Float64Array, n: number, k: number, out: Uint32Array = new Uint32Array(n)): Uint32Array {
  const f = new Float32Array(out.buffer, out.byteOffset, n);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let c = 0; c < k; c++) s += Math.abs(gh[2 * (c * n + r)] * gh[2 * (c * n + r) + 1]);
    f[r] = s;
  }
  for (let r = 0; r < n; r++) out[r] &= 0x7fffffff;
  return out;
}

function goss(a: HistSampleArgs, out: Int32Array): Int32Array {
  const { n, k, seed } = a;
  const gh = a.gradHess!;
  const topK = Math.max(1, Math.floor(n * a.topRate)),
    otherK = Math.floor(n * a.otherRate);
  if (topK + otherK >= n) {
    for (let r = 0; r < n; r++) out[r] = r;
    return out;
  }
  const keys = a.keys ?? gossKeysJs(gh, n, k);
  const threshold = keys.slice().sort()[n - topK];
  let top = 0;
  for (let r = 0; r < n; r++) if (keys[r] >= threshold) top++;
  const rest = n - top;
  const q = rest > 0 ? otherK / rest : 1;
  const limit = hashLimit(q),
    up = rest / otherK;
  // The top rows ascending, then the drawn rows ascending (sample.cc writes them so).
  let kept = 0;
  for (let r = 0; r < n; r++) if (keys[r] >= threshold) out[kept++] = r;
  for (let r = 0; r < n; r++) {
    if (keys[r] >= threshold || rowHash(seed, r) >= limit) continue;
    out[kept++] = r;
    if (q < 1)
      for (let c = 0; c < k; c++) {
        gh[2 * (c * n + r)] *= up;
        gh[2 * (c * n + r) + 1] *= up;
      }
  }
  return out.subarray(0, kept);
}
