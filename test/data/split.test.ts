/** Data splitting: trainTestSplit, trainValidationTestSplit and the k-fold family, against scikit-learn 1.2. */
import { describe, expect, it } from 'vitest';
import { GroupKFold, KFold, Matrix, StratifiedKFold, TimeSeriesSplit, trainTestSplit, trainValidationTestSplit, type Split } from '../../src/index.js';

const code = (c: string) => expect.objectContaining({ code: c });
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const arr = (a: ArrayLike<number>) => Array.from(a);
const pairs = (splits: Split[]) => splits.map((s) => [arr(s.train), arr(s.test)]);

/** Every row in exactly one test fold; each train set is exactly the other rows. */
function expectPartition(splits: Split[], n: number): void {
  const seen = new Array<number>(n).fill(0);
  for (const { train, test } of splits) {
    for (const i of test) seen[i]++;
    expect(new Set([...train, ...test]).size).toBe(n);
    expect(train.length + test.length).toBe(n);
  }
  expect(seen.every((c) => c === 1)).toBe(true);
}

/** Labels [0 × a, 1 × b, 2 × c, ...] interleaved by a fixed pattern. */
function labels(counts: number[]): number[] {
  const y: number[] = [];
  counts.forEach((c, k) => {
    for (let i = 0; i < c; i++) y.push(k);
  });
  return y
    .map((v, i) => [v, (i * 7919) % y.length] as const)
    .sort((a, b) => a[1] - b[1])
    .map((p) => p[0]);
}

/** Each class's count in `part` is within one of its exact share of `part`'s size. */
function expectStratified(yAll: number[], part: ArrayLike<number>): void {
  const n = yAll.length,
    m = part.length;
  for (const k of new Set(yAll)) {
    const total = yAll.filter((v) => v === k).length;
    const got = Array.from(part).filter((v) => v === k).length;
    expect(Math.abs(got - (total * m) / n)).toBeLessThan(1);
  }
}

describe('trainTestSplit', () => {
  it("row counts follow scikit-learn's rounding (test = ceil, train = floor)", () => {
    // [n, testSize, trainSize, [nTrain, nTest]] from sklearn 1.2's _validate_shuffle_split
    const cases: [number, number | undefined, number | undefined, [number, number]][] = [
      [10, undefined, undefined, [7, 3]],
      [10, 0.25, undefined, [7, 3]],
      [7, 0.33, undefined, [4, 3]],
      [7, undefined, 0.5, [3, 4]],
      [7, 0.33, 0.5, [3, 3]],
      [100, 0.1, undefined, [90, 10]],
      [5, 2, undefined, [3, 2]],
      [9, undefined, 4, [4, 5]],
      [13, 0.2, 0.3, [3, 3]],
    ];
    for (const [n, testSize, trainSize, [nTrain, nTest]] of cases) {
      const [tr, te] = trainTestSplit(range(n), { testSize, trainSize });
      expect([tr.length, te.length]).toEqual([nTrain, nTest]);
    }
  });

  it('keeps rows aligned across Matrix, number[][], typed and plain arrays, each in its own type', () => {
    const n = 20;
    const X = new Matrix(
      Float32Array.from({ length: n * 2 }, (_, i) => Math.floor(i / 2)),
      n,
      2,
    );
    const nested = range(n).map((i) => [i, -i]);
    const typed = Float64Array.from(range(n));
    const names = range(n).map((i) => `r${i}`);
    const [Xtr, Xte, ntr, nte, ttr, tte, str, ste] = trainTestSplit(X, nested, typed, names, { randomState: 3 });
    expect(Xtr).toBeInstanceOf(Matrix);
    expect(Xtr.data).toBeInstanceOf(Float32Array);
    expect([Xtr.rows, Xtr.cols, Xte.rows]).toEqual([15, 2, 5]);
    expect(ttr).toBeInstanceOf(Float64Array);
    expect(Array.isArray(ntr) && Array.isArray(str)).toBe(true);
    const check = (m: Matrix, nn: number[][], t: Float64Array, s: string[]) => {
      for (let i = 0; i < m.rows; i++) {
        const r = m.get(i, 0);
        expect([m.get(i, 1), nn[i][0], t[i], s[i]]).toEqual([r, r, r, `r${r}`]);
      }
    };
    check(Xtr, ntr, ttr, str);
    check(Xte, nte, tte, ste);
    expect(new Set([...ttr, ...tte]).size).toBe(n);
  });

  it('the same seed gives the same split; different seeds differ; shuffle: false keeps order', () => {
    const y = range(50);
    expect(trainTestSplit(y, { randomState: 7 })).toEqual(trainTestSplit(y, { randomState: 7 }));
    expect(trainTestSplit(y, { randomState: 7 })[1]).not.toEqual(trainTestSplit(y, { randomState: 8 })[1]);
    expect(trainTestSplit(y)).toEqual(trainTestSplit(y, { randomState: 0 }));
    // sklearn with shuffle=False: train = the first rows, test = the next ones
    expect(trainTestSplit(range(10), { shuffle: false, testSize: 0.3 })).toEqual([range(7), [7, 8, 9]]);
  });

  it('stratify keeps each class within one row of its share, for many seeds and sizes', () => {
    const y = labels([37, 11, 5, 23]);
    for (const [testSize, trainSize] of [
      [0.25, undefined],
      [0.3, 0.5],
      [17, undefined],
      [0.1, 0.2],
    ] as const) {
      for (let seed = 0; seed < 20; seed++) {
        const [ytr, yte] = trainTestSplit(y, { testSize, trainSize, stratify: y, randomState: seed });
        expectStratified(y, ytr);
        expectStratified(y, yte);
      }
    }
    // string labels too, aligned with X
    const s = y.map((v) => `c${v}`);
    const [str, ste, ytr] = trainTestSplit(s, y, { stratify: s, randomState: 1 });
    expect(str).toEqual(ytr.map((v) => `c${v}`));
    expect(str.length + ste.length).toBe(y.length);
  });
});

describe('trainValidationTestSplit', () => {
  it('three disjoint, complete parts with ceil-rounded validation and test sizes', () => {
    const [tr, va, te, ytr] = trainValidationTestSplit(
      range(23),
      range(23).map((i) => i * 10),
      { validationSize: 0.2, testSize: 0.15, randomState: 4 },
    );
    expect([tr.length, va.length, te.length]).toEqual([14, 5, 4]);
    expect(new Set([...tr, ...va, ...te]).size).toBe(23);
    expect(ytr).toEqual(tr.map((i) => i * 10));
    const [a, b, c] = trainValidationTestSplit(range(10));
    expect([a.length, b.length, c.length]).toEqual([6, 2, 2]);
    expect(trainValidationTestSplit(range(10), { testSize: 3, validationSize: 2, shuffle: false })).toEqual([range(5), [5, 6], [7, 8, 9]]);
  });

  it('stratified: every part keeps each class within one row of its share', () => {
    const y = labels([41, 13, 7, 29, 10]);
    for (let seed = 0; seed < 30; seed++) {
      const parts = trainValidationTestSplit(y, { validationSize: 0.17, testSize: 0.23, stratify: y, randomState: seed });
      for (const p of parts) expectStratified(y, p);
      expect(parts.reduce((s, p) => s + p.length, 0)).toBe(y.length);
    }
  });
});

describe('KFold', () => {
  it('unshuffled folds equal scikit-learn 1.2 (first n % k folds one larger)', () => {
    expect(pairs(new KFold(3).split(range(10)))).toEqual([
      [
        [4, 5, 6, 7, 8, 9],
        [0, 1, 2, 3],
      ],
      [
        [0, 1, 2, 3, 7, 8, 9],
        [4, 5, 6],
      ],
      [
        [0, 1, 2, 3, 4, 5, 6],
        [7, 8, 9],
      ],
    ]);
    expect(pairs(new KFold({ nSplits: 4 }).split(Matrix.zeros(11, 2)))).toEqual([
      [
        [3, 4, 5, 6, 7, 8, 9, 10],
        [0, 1, 2],
      ],
      [
        [0, 1, 2, 6, 7, 8, 9, 10],
        [3, 4, 5],
      ],
      [
        [0, 1, 2, 3, 4, 5, 9, 10],
        [6, 7, 8],
      ],
      [
        [0, 1, 2, 3, 4, 5, 6, 7, 8],
        [9, 10],
      ],
    ]);
    expect(new KFold().getNSplits()).toBe(5);
  });

  it('shuffled: a partition with the same fold sizes; seeds reproduce and differ', () => {
    const n = 23;
    const a = new KFold({ nSplits: 4, shuffle: true, randomState: 1 }).split(new Float64Array(n));
    expectPartition(a, n);
    expect(a.map((s) => s.test.length)).toEqual([6, 6, 6, 5]);
    expect(pairs(a)).toEqual(pairs(new KFold({ nSplits: 4, shuffle: true, randomState: 1 }).split(range(n))));
    expect(pairs(a)).not.toEqual(pairs(new KFold({ nSplits: 4, shuffle: true, randomState: 2 }).split(range(n))));
    expect(pairs(a)).not.toEqual(pairs(new KFold(4).split(range(n))));
  });
});

describe('StratifiedKFold', () => {
  it('unshuffled folds equal scikit-learn 1.2', () => {
    const y = [1, 1, 0, 2, 0, 1, 0, 2, 1, 0, 0, 2, 1, 0, 2, 1, 0, 0];
    expect(new StratifiedKFold(3).split(y, y).map((s) => arr(s.test))).toEqual([
      [0, 1, 2, 3, 4, 6],
      [5, 7, 8, 9, 10, 13],
      [11, 12, 14, 15, 16, 17],
    ]);
  });

  it('every fold keeps each class within one row of its share, shuffled or not', () => {
    const y = labels([31, 12, 8, 19]);
    for (const opts of [{ nSplits: 5 }, { nSplits: 4, shuffle: true, randomState: 3 }, { nSplits: 8, shuffle: true, randomState: 9 }]) {
      const splits = new StratifiedKFold(opts).split(range(y.length), y);
      expectPartition(splits, y.length);
      for (const s of splits)
        expectStratified(
          y,
          Array.from(s.test, (i) => y[i]),
        );
    }
    const a = new StratifiedKFold({ nSplits: 4, shuffle: true, randomState: 3 }).split(y, y);
    expect(pairs(a)).toEqual(pairs(new StratifiedKFold({ nSplits: 4, shuffle: true, randomState: 3 }).split(y, y)));
    expect(pairs(a)).not.toEqual(pairs(new StratifiedKFold({ nSplits: 4, shuffle: true, randomState: 4 }).split(y, y)));
  });
});

describe('GroupKFold', () => {
  it("folds equal scikit-learn 1.2's (largest group to the lightest fold, numpy's tie order)", () => {
    const gSmall = [0, 0, 0, 1, 1, 2, 2, 2, 2, 3, 4, 4];
    expect(new GroupKFold(3).split(gSmall, undefined, gSmall).map((s) => arr(s.test))).toEqual([
      [5, 6, 7, 8],
      [0, 1, 2, 9],
      [3, 4, 10, 11],
    ]);
    // 25 groups with many ties: numpy's argsort takes its quicksort path here
    const gBig = [
      10, 24, 3, 24, 8, 0, 21, 19, 10, 11, 9, 10, 21, 23, 6, 0, 20, 12, 7, 14, 24, 17, 22, 2, 2, 1, 19, 5, 8, 14, 1, 10, 24, 7, 24, 11, 1, 15, 16, 5, 20, 17,
      21, 14, 20, 23, 22, 0, 0, 9, 18, 20, 5, 24, 24, 7, 5, 14, 1, 17,
    ];
    const splits = new GroupKFold({ nSplits: 4 }).split(range(60), undefined, gBig);
    expect(splits.map((s) => arr(s.test))).toEqual([
      [1, 3, 6, 9, 12, 14, 20, 22, 32, 34, 35, 42, 46, 53, 54],
      [0, 2, 7, 8, 11, 19, 21, 26, 29, 31, 37, 41, 43, 57, 59],
      [5, 13, 15, 18, 25, 30, 33, 36, 38, 45, 47, 48, 50, 55, 58],
      [4, 10, 16, 17, 23, 24, 27, 28, 39, 40, 44, 49, 51, 52, 56],
    ]);
    expectPartition(splits, 60);
    for (const s of splits) {
      const testGroups = new Set(Array.from(s.test, (i) => gBig[i]));
      expect(Array.from(s.train).some((i) => testGroups.has(gBig[i]))).toBe(false);
    }
    // string group names work like numbers (numbered in sorted order)
    const named = gSmall.map((g) => `g${g}`);
    expect(pairs(new GroupKFold(3).split(named, undefined, named))).toEqual(pairs(new GroupKFold(3).split(gSmall, undefined, gSmall)));
  });
});

describe('TimeSeriesSplit', () => {
  it('index sets equal scikit-learn 1.2', () => {
    expect(pairs(new TimeSeriesSplit(5).split(range(12)))).toEqual([
      [
        [0, 1],
        [2, 3],
      ],
      [
        [0, 1, 2, 3],
        [4, 5],
      ],
      [
        [0, 1, 2, 3, 4, 5],
        [6, 7],
      ],
      [
        [0, 1, 2, 3, 4, 5, 6, 7],
        [8, 9],
      ],
      [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        [10, 11],
      ],
    ]);
    expect(pairs(new TimeSeriesSplit({ nSplits: 3, maxTrainSize: 3, testSize: 2, gap: 1 }).split(range(12)))).toEqual([
      [
        [2, 3, 4],
        [6, 7],
      ],
      [
        [4, 5, 6],
        [8, 9],
      ],
      [
        [6, 7, 8],
        [10, 11],
      ],
    ]);
    expect(pairs(new TimeSeriesSplit({ nSplits: 4, gap: 2 }).split(Matrix.zeros(20, 3)))).toEqual([
      [
        [0, 1],
        [4, 5, 6, 7],
      ],
      [
        [0, 1, 2, 3, 4, 5],
        [8, 9, 10, 11],
      ],
      [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        [12, 13, 14, 15],
      ],
      [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13],
        [16, 17, 18, 19],
      ],
    ]);
    expect(new TimeSeriesSplit({ nSplits: 4 }).getNSplits()).toBe(4);
  });
});

describe('bad input', () => {
  it('nSplits < 2 or > the samples → E_PARAM naming nSplits and the fix', () => {
    for (const make of [() => new KFold(1), () => new StratifiedKFold({ nSplits: 0 }), () => new GroupKFold(1.5), () => new TimeSeriesSplit(1)]) {
      expect(make).toThrowError(code('E_PARAM'));
      expect(make).toThrow(/nSplits must be an integer >= 2.*nSplits: 2/);
    }
    expect(() => new KFold(5).split(range(3))).toThrowError(code('E_PARAM'));
    expect(() => new KFold(5).split(range(3))).toThrow(/nSplits=5 is greater than the number of samples \(3\); use nSplits <= 3/);
    expect(() => new GroupKFold(3).split(range(4), undefined, [0, 0, 1, 1])).toThrow(/number of groups \(2\)/);
    expect(() => new TimeSeriesSplit(5).split(range(5))).toThrowError(code('E_PARAM'));
    expect(() => new TimeSeriesSplit({ nSplits: 3, testSize: 3, gap: 2 }).split(range(10))).toThrowError(code('E_PARAM'));
  });

  it('misaligned lengths → E_LENGTH', () => {
    expect(() => trainTestSplit(range(10), range(9))).toThrowError(code('E_LENGTH'));
    expect(() => trainTestSplit(Matrix.zeros(10, 2), range(9))).toThrow(/array 1 has 9 rows but array 0 has 10/);
    expect(() => trainTestSplit(range(10), { stratify: [0, 1, 0, 1] })).toThrowError(code('E_LENGTH'));
    expect(() => new KFold(3).split(range(10), range(8))).toThrowError(code('E_LENGTH'));
    expect(() => new GroupKFold(2).split(range(10), undefined, [0, 1])).toThrowError(code('E_LENGTH'));
  });

  it('a stratify class with fewer members than nSplits (or than 2 for a split) → E_PARAM', () => {
    const y = [0, 0, 0, 1, 1, 1, 2, 2];
    expect(() => new StratifiedKFold(3).split(y, y)).toThrowError(code('E_PARAM'));
    expect(() => new StratifiedKFold(3).split(y, y)).toThrow(/class 2 has 2 members, fewer than nSplits=3/);
    expect(() => trainTestSplit(range(5), { stratify: [0, 0, 1, 1, 2] })).toThrowError(code('E_PARAM'));
    expect(() => trainTestSplit(range(6), { stratify: [0, 0, 1, 1, 2, 2], testSize: 2 })).toThrowError(code('E_PARAM'));
    expect(() => trainTestSplit(range(6), { stratify: [0, 0, 0, 1, 1, 1], shuffle: false })).toThrowError(code('E_PARAM'));
  });

  it('testSize, trainSize or validationSize out of range → E_PARAM', () => {
    for (const opts of [
      { testSize: 0 },
      { testSize: 1 + 1e-9 },
      { testSize: 10 },
      { testSize: -0.2 },
      { testSize: 2.5 },
      { trainSize: 10 },
      { testSize: 0.6, trainSize: 0.5 },
      { testSize: 6, trainSize: 5 },
    ]) {
      expect(() => trainTestSplit(range(10), opts)).toThrowError(code('E_PARAM'));
    }
    expect(() => trainTestSplit(range(10), { testSize: 1.5 })).toThrow(/testSize must be a fraction in \(0, 1\) or a whole count in \[1, 9\]/);
    expect(() => trainTestSplit([1])).toThrowError(code('E_PARAM')); // one row: nothing left to train on
    expect(() => trainValidationTestSplit(range(10), { validationSize: 0.5, testSize: 0.5 })).toThrowError(code('E_PARAM'));
    expect(() => trainTestSplit(range(10), { testsize: 0.2 } as never)).toThrow(/unknown option 'testsize'/);
    expect(() => trainTestSplit()).toThrowError(code('E_PARAM'));
    expect(() => trainTestSplit([])).toThrowError(code('E_EMPTY'));
    expect(() => new KFold({ nSplits: 3, randomState: 1 })).toThrow(/randomState has no effect when shuffle is false/);
  });
});
