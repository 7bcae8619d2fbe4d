/** Parameter checks shared by the splitters (messages name the argument and the fix). */
import { ParamError } from '../../core/errors.js';

/** `randomState` (default 0: kiln's splits are reproducible unless asked otherwise). */
export function seedOption(seed: unknown, fn: string): number {
  if (seed === undefined) return 0;
  if (typeof seed !== 'number' || !Number.isInteger(seed)) {
    throw new ParamError(`${fn}: randomState must be an integer, got ${String(seed)}; pass e.g. { randomState: 42 }`);
  }
  return seed;
}

/** k-fold's nSplits: a whole number of at least 2. */
export function nSplitsOption(nSplits: unknown, fallback: number, fn: string): number {
  if (nSplits === undefined) return fallback;
  if (typeof nSplits !== 'number' || !Number.isInteger(nSplits) || nSplits < 2) {
    throw new ParamError(
      `${fn}: nSplits must be an integer >= 2, got ${String(nSplits)}; ` + 'cross-validation needs at least one train/test split: pass { nSplits: 2 } or more',
    );
  }
  return nSplits;
}

/** Rejects shuffle-less splitters given a randomState: it would silently do nothing (scikit-learn errors too). */
export function shuffleOptions(shuffle: unknown, seed: unknown, fn: string, shuffleDefault: boolean): { shuffle: boolean; randomState: number } {
  if (shuffle !== undefined && typeof shuffle !== 'boolean') throw new ParamError(`${fn}: shuffle must be a boolean, got ${String(shuffle)}`);
  const on = shuffle ?? shuffleDefault;
  if (!on && seed !== undefined) {
    throw new ParamError(`${fn}: randomState has no effect when shuffle is false; pass { shuffle: true, randomState } or leave randomState out`);
  }
  return { shuffle: on, randomState: seedOption(seed, fn) };
}

/**
 * A split size as a row count: a fraction in (0, 1) of n (rounded up for test-like
 * sets, down for train, as scikit-learn does), or a whole count in [1, n - 1].
 */
export function sizeToCount(size: unknown, n: number, name: string, roundUp: boolean, fn: string): number {
  const ok = typeof size === 'number' && (Number.isInteger(size) ? size >= 1 && size < n : size > 0 && size < 1);
  if (!ok) {
    throw new ParamError(
      `${fn}: ${name} must be a fraction in (0, 1) or a whole count in [1, ${n - 1}] for ${n} samples, ` + `got ${String(size)}; e.g. { ${name}: 0.25 }`,
    );
  }
  const s = size as number;
  if (Number.isInteger(s)) return s;
  return roundUp ? Math.ceil(s * n) : Math.floor(s * n);
}

/** scikit-learn's _validate_shuffle_split: the train and test row counts for n samples. */
export function trainTestCounts(n: number, testSize: unknown, trainSize: unknown, fn: string): { nTrain: number; nTest: number } {
  if (testSize === undefined && trainSize === undefined) testSize = 0.25;
  const isFrac = (v: unknown) => typeof v === 'number' && !Number.isInteger(v);
  if (isFrac(testSize) && isFrac(trainSize) && (testSize as number) + (trainSize as number) > 1) {
    throw new ParamError(`${fn}: testSize + trainSize = ${(testSize as number) + (trainSize as number)} exceeds 1; make them sum to 1 or less`);
  }
  let nTest = testSize === undefined ? NaN : sizeToCount(testSize, n, 'testSize', true, fn);
  let nTrain = trainSize === undefined ? NaN : sizeToCount(trainSize, n, 'trainSize', false, fn);
  if (Number.isNaN(nTrain)) nTrain = n - nTest;
  if (Number.isNaN(nTest)) nTest = n - nTrain;
  if (nTrain + nTest > n) {
    throw new ParamError(`${fn}: train (${nTrain}) + test (${nTest}) rows exceed the ${n} samples; reduce testSize or trainSize`);
  }
  if (nTrain === 0) {
    throw new ParamError(`${fn}: with ${n} samples, testSize=${String(testSize)} leaves an empty train set; use a smaller testSize or more data`);
  }
  return { nTrain, nTest };
}
