/**
 * Multilabel metrics against scikit-learn 1.2 (test/fixtures/sklearn/multilabel.json, written by
 * test/fixtures-scripts/gen_multilabel.py): precision / recall / F / F-beta with every average
 * ('samples' included), zero_division 0 and 1, sample weights and label subsets; hammingLoss and
 * jaccardScore on indicator matrices and label arrays. Same arithmetic on the same counts: equal to 1e-12.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { f1Score, fbetaScore, hammingLoss, jaccardScore, Matrix, precisionRecallFscoreSupport, precisionScore, recallScore } from '../../src/index.js';

const F = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/sklearn/multilabel.json', import.meta.url)), 'utf8'));

function same(actual: number | ArrayLike<number> | null, expected: number | number[] | null, what: string): void {
  if (expected === null) {
    expect(actual, what).toBeNull();
    return;
  }
  const a = typeof actual === 'number' ? [actual] : Array.from(actual as ArrayLike<number>);
  const e = typeof expected === 'number' ? [expected] : expected;
  expect(a.length, what).toBe(e.length);
  e.forEach((v, i) => expect(Math.abs(a[i] - v), `${what}[${i}]: ${a[i]} vs ${v}`).toBeLessThanOrEqual(1e-12));
}

describe('precision / recall / F on multilabel indicators match scikit-learn', () => {
  it.each(F.prf.map((c: any) => [String(c.average), c.zero_division, c.weighted, JSON.stringify(c.labels), c]) as any[])(
    'average %s, zeroDivision %s, weighted %s, labels %s',
    (_a, _z, _w, _l, c) => {
      const opts = {
        average: c.average,
        zeroDivision: c.zero_division,
        ...(c.weighted ? { sampleWeight: F.w } : {}),
        ...(c.labels ? { labels: c.labels } : {}),
      };
      const r = precisionRecallFscoreSupport(F.Yt, F.Yp, opts);
      same(r.precision, c.precision, 'precision');
      same(r.recall, c.recall, 'recall');
      same(r.fscore, c.f1, 'f1');
      same(r.support, c.support, 'support');
      same(fbetaScore(F.Yt, F.Yp, { ...opts, beta: 2 }), c.f2, 'f2');
      // the same through a Matrix and the single-score functions
      const Yt = new Matrix(Float64Array.from(F.Yt.flat()), F.Yt.length, F.Yt[0].length);
      same(f1Score(Yt, F.Yp, opts), c.f1, 'f1Score');
    },
  );

  it.each(F.empty.map((c: any) => [c.average, c.zero_division, c]) as any[])('no true labels at all: average %s, zeroDivision %s', (_a, _z, c) => {
    const Z = [
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ];
    const Zp = [
      [0, 1, 0],
      [0, 0, 0],
      [0, 0, 0],
      [1, 0, 0],
    ];
    const o = { average: c.average, zeroDivision: c.zero_division };
    same(precisionScore(Z, Zp, o), c.precision, 'precision');
    same(recallScore(Z, Zp, o), c.recall, 'recall');
    same(f1Score(Z, Zp, o), c.f1, 'f1');
    same(jaccardScore(Z, Zp, o), c.jaccard, 'jaccard');
  });
});

describe('jaccardScore matches scikit-learn', () => {
  it.each(F.jaccard.map((c: any) => [c.kind, String(c.average), c.zero_division, c.weighted, JSON.stringify(c.labels), c]) as any[])(
    '%s, average %s, zeroDivision %s, weighted %s, labels %s',
    (kind, _a, _z, _w, _l, c) => {
      const [t, p, w] = kind === 'multilabel' ? [F.Yt, F.Yp, F.w] : kind === 'multiclass' ? [F.yt, F.yp, F.wb] : [F.ybt, F.ybp, F.wb];
      const opts = { average: c.average, zeroDivision: c.zero_division, ...(c.weighted ? { sampleWeight: w } : {}), ...(c.labels ? { labels: c.labels } : {}) };
      same(jaccardScore(t, p, opts), c.value, 'jaccard');
    },
  );
});

describe('hammingLoss matches scikit-learn', () => {
  it('on indicator matrices and label arrays, with and without weights', () => {
    same(hammingLoss(F.Yt, F.Yp), F.hamming.multilabel, 'multilabel');
    same(hammingLoss(F.Yt, F.Yp, { sampleWeight: F.w }), F.hamming.multilabel_weighted, 'multilabel weighted');
    same(hammingLoss(F.yt, F.yp), F.hamming.multiclass, 'multiclass');
    same(hammingLoss(F.yt, F.yp, { sampleWeight: F.wb }), F.hamming.multiclass_weighted, 'multiclass weighted');
  });
});
