/**
 * HashingEncoder: categorical columns into a fixed number of features by hashing `column=value`
 * with MurmurHash3 (x86, 32-bit, seed 0, UTF-8) — the same indices and signs as scikit-learn's
 * FeatureHasher on dicts — so no vocabulary is kept and unseen values need no special case.
 */
import { CsrMatrix } from '../core/csr.js';
import { SIGNAL_ONLY, type CallOptions } from '../core/estimator.js';
import { ParamError } from '../core/errors.js';
import { fmix32 } from '../core/prng.js';
import { bool, int, list, optional, str, type ParamSpecs } from '../core/params.js';
import { CategoryEncoder, type CategoricalInput } from './encoders.js';

export interface HashingEncoderParams {
  /** Number of output columns (hashes are taken modulo it), 1 to 2^31 − 1. Default: 2^20 (1048576). */
  nFeatures: number;
  /** Give each value the sign of its hash, so collisions cancel in expectation (scikit-learn's default). Default: true. */
  alternateSign: boolean;
  /** Column names used in the hashed `name=value` strings, one per column; undefined: x0, x1, …. Default: undefined. */
  inputNames: string[] | undefined;
}

const HASHING_SPECS: ParamSpecs<HashingEncoderParams> = {
  nFeatures: int({ min: 1, max: 2 ** 31 - 1 }),
  alternateSign: bool(),
  inputNames: optional(list(str())),
};

const UTF8 = new TextEncoder();

/** MurmurHash3_x86_32 of the bytes, as a signed 32-bit integer. */
export function murmurhash3(bytes: Uint8Array, seed = 0): number {
  const c1 = 0xcc9e2d51,
    c2 = 0x1b873593,
    n = bytes.length,
    blocks = n >> 2;
  let h = seed | 0;
  for (let i = 0; i < blocks; i++) {
    let k = bytes[4 * i] | (bytes[4 * i + 1] << 8) | (bytes[4 * i + 2] << 16) | (bytes[4 * i + 3] << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  const t = blocks * 4;
  // MurmurHash3's tail: each case falls through to the next on purpose
  switch (n & 3) {
    // biome-ignore lint/suspicious/noFallthroughSwitchClause: MurmurHash3's tail
    case 3:
      k ^= bytes[t + 2] << 16;
    // biome-ignore lint/suspicious/noFallthroughSwitchClause: MurmurHash3's tail
    case 2:
      k ^= bytes[t + 1] << 8;
    case 1:
      k ^= bytes[t];
      k = Math.imul(k, c1);
      k = (k << 15) | (k >>> 17);
      k = Math.imul(k, c2);
      h ^= k;
  }
  h ^= n;
  return fmix32(h) | 0;
}

export class HashingEncoder extends CategoryEncoder<HashingEncoderParams> {
  constructor(params: Partial<HashingEncoderParams> = {}) {
    super({ nFeatures: 2 ** 20, alternateSign: true, inputNames: undefined }, params);
  }

  protected get paramSpecs(): ParamSpecs<HashingEncoderParams> {
    return HASHING_SPECS;
  }

  async transform(X: CategoricalInput, opts: CallOptions = {}): Promise<CsrMatrix> {
    this.callOptions('transform', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const { cols, n } = this.columnsFor(X, 'transform');
      const names = this.params.inputNames ?? cols.map((_, c) => `x${c}`);
      if (names.length !== cols.length) throw new ParamError(`HashingEncoder: inputNames has ${names.length} names for ${cols.length} columns`);
      const { nFeatures, alternateSign } = this.params;
      const cache = new Map<string, number>();
      const indptr = new Int32Array(n + 1),
        indices: number[] = [],
        data: number[] = [];
      for (let r = 0; r < n; r++) {
        const row = new Map<number, number>();
        for (let c = 0; c < cols.length; c++) {
          const token = `${names[c]}=${cols[c][r]}`;
          let h = cache.get(token);
          if (h === undefined) cache.set(token, (h = murmurhash3(UTF8.encode(token))));
          // |−2^31| does not fit an int32; scikit-learn's C code wraps it the same way
          const idx = (h === -2147483648 ? 2147483648 : Math.abs(h)) % nFeatures;
          row.set(idx, (row.get(idx) ?? 0) + (alternateSign && h < 0 ? -1 : 1));
        }
        for (const j of [...row.keys()].sort((a, b) => a - b)) {
          if (row.get(j) !== 0) {
            indices.push(j);
            data.push(row.get(j)!);
          }
        }
        indptr[r + 1] = indices.length;
      }
      return new CsrMatrix(indptr, Int32Array.from(indices), Float64Array.from(data), n, nFeatures);
    });
  }
}
