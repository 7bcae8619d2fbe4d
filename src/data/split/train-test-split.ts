/**
 * trainTestSplit and trainValidationTestSplit: scikit-learn's train_test_split for
 * any number of row-aligned arrays, returned in the container type they came in.
 */
import { EmptyInputError, ParamError } from '../../core/errors.js';
import { Matrix } from '../../core/matrix.js';
import { Rng } from '../../core/prng.js';
import { checkOptions } from '../../core/validate.js';
import type { Label } from '../../core/labels.js';
import { commonRows, takeRows, type Splittable, type Taken } from './arrays.js';
import { cutBuckets } from './buckets.js';
import { seedOption, sizeToCount, trainTestCounts } from './params.js';

export interface TrainTestSplitOptions {
  /** Fraction in (0, 1) (rows rounded up) or a row count; default 0.25, or the complement of trainSize. */
  testSize?: number;
  /** Fraction in (0, 1) (rows rounded down) or a row count; default: the complement of testSize. */
  trainSize?: number;
  /** Shuffle before splitting (default true); false keeps row order: train first, then test. */
  shuffle?: boolean;
  /** Class labels whose shares every part keeps (needs shuffle). */
  stratify?: ArrayLike<Label>;
  /** Seed of kiln's Rng (default 0). */
  randomState?: number;
}

export interface TrainValidationTestSplitOptions {
  /** Fraction in (0, 1) (rows rounded up) or a row count; default 0.2. */
  validationSize?: number;
  /** Fraction in (0, 1) (rows rounded up) or a row count; default 0.2. */
  testSize?: number;
  shuffle?: boolean;
  stratify?: ArrayLike<Label>;
  randomState?: number;
}

/** [train, test] of each array in turn: [XTrain, XTest, yTrain, yTest, ...]. */
export type TrainTestParts<T extends readonly unknown[]> = T extends readonly [infer H, ...infer R]
  ? [Taken<H>, Taken<H>, ...TrainTestParts<R>]
  : T extends readonly []
    ? []
    : Taken<T[number]>[];

/** [train, validation, test] of each array in turn. */
export type TrainValidationTestParts<T extends readonly unknown[]> = T extends readonly [infer H, ...infer R]
  ? [Taken<H>, Taken<H>, Taken<H>, ...TrainValidationTestParts<R>]
  : T extends readonly []
    ? []
    : Taken<T[number]>[];

/** Separates the trailing options object (a plain object, not an array or Matrix) from the arrays. */
function splitArgs(args: readonly unknown[]): { arrays: Splittable[]; opts: Record<string, unknown> } {
  const last = args[args.length - 1];
  const isOpts = last !== null && typeof last === 'object' && !Array.isArray(last) && !ArrayBuffer.isView(last) && !(last instanceof Matrix);
  return isOpts ? { arrays: args.slice(0, -1) as Splittable[], opts: last as Record<string, unknown> } : { arrays: args as Splittable[], opts: {} };
}

function shuffleRng(opts: Record<string, unknown>, fn: string): Rng | null {
  const { shuffle } = opts;
  if (shuffle !== undefined && typeof shuffle !== 'boolean') throw new ParamError(`${fn}: shuffle must be a boolean, got ${String(shuffle)}`);
  const seed = seedOption(opts.randomState, fn);
  return shuffle === false ? null : new Rng(seed);
}

function rowsOrEmpty(arrays: readonly unknown[], fn: string): number {
  const n = commonRows(arrays, fn);
  if (n === 0) throw new EmptyInputError(`${fn}: the arrays have no rows; there is nothing to split`);
  return n;
}

export function trainTestSplit<T extends readonly Splittable[]>(...arrays: T): TrainTestParts<T>;
export function trainTestSplit<T extends readonly Splittable[]>(...args: [...T, TrainTestSplitOptions]): TrainTestParts<T>;
export function trainTestSplit(...args: unknown[]): unknown[] {
  const fn = 'trainTestSplit';
  const { arrays, opts } = splitArgs(args);
  checkOptions(opts, ['testSize', 'trainSize', 'shuffle', 'stratify', 'randomState'], fn);
  const n = rowsOrEmpty(arrays, fn);
  const { nTrain, nTest } = trainTestCounts(n, opts.testSize, opts.trainSize, fn);
  const rng = shuffleRng(opts, fn);
  const [train, test] = cutBuckets(n, [nTrain, nTest], ['train', 'test'], { rng, stratify: opts.stratify as ArrayLike<Label> | undefined }, fn);
  return arrays.flatMap((a) => [takeRows(a, train), takeRows(a, test)]);
}

/** One call for three parts: [XTrain, XVal, XTest, yTrain, yVal, yTest, ...]; train gets the rest. */
export function trainValidationTestSplit<T extends readonly Splittable[]>(...arrays: T): TrainValidationTestParts<T>;
export function trainValidationTestSplit<T extends readonly Splittable[]>(...args: [...T, TrainValidationTestSplitOptions]): TrainValidationTestParts<T>;
export function trainValidationTestSplit(...args: unknown[]): unknown[] {
  const fn = 'trainValidationTestSplit';
  const { arrays, opts } = splitArgs(args);
  checkOptions(opts, ['validationSize', 'testSize', 'shuffle', 'stratify', 'randomState'], fn);
  const n = rowsOrEmpty(arrays, fn);
  const nVal = sizeToCount(opts.validationSize ?? 0.2, n, 'validationSize', true, fn);
  const nTest = sizeToCount(opts.testSize ?? 0.2, n, 'testSize', true, fn);
  const nTrain = n - nVal - nTest;
  if (nTrain < 1) {
    throw new ParamError(`${fn}: validation (${nVal}) + test (${nTest}) rows leave no train rows out of ${n}; reduce validationSize or testSize`);
  }
  const rng = shuffleRng(opts, fn);
  const [train, val, test] = cutBuckets(
    n,
    [nTrain, nVal, nTest],
    ['train', 'validation', 'test'],
    { rng, stratify: opts.stratify as ArrayLike<Label> | undefined },
    fn,
  );
  return arrays.flatMap((a) => [takeRows(a, train), takeRows(a, val), takeRows(a, test)]);
}
