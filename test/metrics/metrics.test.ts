/** Metrics: closed-form cases (checked against scikit-learn 1.2 by hand), invariants and bad input. */
import { describe, expect, it } from 'vitest';
import {
  accuracyScore,
  auc,
  averagePrecisionScore,
  balancedAccuracyScore,
  brierScoreLoss,
  classificationReport,
  cohenKappaScore,
  confusionMatrix,
  explainedVarianceScore,
  f1Score,
  fbetaScore,
  logLoss,
  matthewsCorrcoef,
  maxError,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  medianAbsoluteError,
  precisionRecallCurve,
  precisionRecallFscoreSupport,
  precisionScore,
  r2Score,
  recallScore,
  rocAucScore,
  rocCurve,
  rootMeanSquaredError,
} from '../../src/index.js';

const code = (c: string) => expect.objectContaining({ code: c });
const close = (a: ArrayLike<number> | number, b: ArrayLike<number> | number) => {
  const x = typeof a === 'number' ? [a] : Array.from(a),
    y = typeof b === 'number' ? [b] : Array.from(b);
  expect(x.length).toBe(y.length);
  x.forEach((v, i) => expect(v).toBeCloseTo(y[i], 12));
};

const yt = ['a', 'b', 'c', 'a', 'b', 'c', 'a', 'a'];
const yp = ['a', 'c', 'c', 'a', 'b', 'b', 'b', 'a'];

describe('label metrics', () => {
  it('closed-form values match scikit-learn', () => {
    close(accuracyScore(yt, yp), 5 / 8);
    expect(accuracyScore(yt, yp, { normalize: false })).toBe(5);
    close(balancedAccuracyScore(yt, yp, { adjusted: true }), 0.37500000000000006);
    close(fbetaScore(yt, yp, { beta: 2, average: 'macro' }), 0.5813397129186603);
    close(fbetaScore(yt, yp, { beta: 0.5, average: null }), [0.9375, 0.35714285714285715, 0.5]);
    const w = [1, 2, 0.5, 1, 3, 1, 1, 2];
    const r = precisionRecallFscoreSupport(yt, yp, { sampleWeight: w });
    close(r.precision, [1, 0.6, 0.2]);
    close(r.recall, [0.8, 0.6, 1 / 3]);
    close(r.fscore, [0.8888888888888888, 0.6, 0.25]);
    close(r.support, [5, 5, 1.5]);
    close(matthewsCorrcoef(yt, yp, { sampleWeight: w }), 0.4547542969431243);
    close(cohenKappaScore([0, 1, 2, 2, 1, 0], [0, 2, 2, 1, 1, 1], { weights: 'quadratic' }), 0.5714285714285714);
    close(cohenKappaScore([0, 1, 2, 2, 1, 0], [0, 2, 2, 1, 1, 1], { weights: 'linear' }), 0.4);
  });

  it('binary precision / recall / F1 use posLabel; zeroDivision fills 0/0', () => {
    const t = [1, 0, 1, 1, 0],
      p = [1, 1, 0, 1, 0];
    close(precisionScore(t, p), 2 / 3);
    close(recallScore(t, p), 2 / 3);
    close(precisionScore(t, p, { posLabel: 0 }), 1 / 2);
    close(f1Score(t, p, { average: 'micro' }), 3 / 5);
    expect(precisionScore([0, 1], [0, 0])).toBe(0);
    expect(precisionScore([0, 1], [0, 0], { zeroDivision: 1 })).toBe(1);
    expect(precisionScore(['x', 'y'], ['x', 'y'], { posLabel: 'y' })).toBe(1);
  });

  it('perfect predictions score 1 everywhere', () => {
    const y = [2, 0, 1, 1, 2, 0];
    for (const v of [
      accuracyScore(y, y),
      balancedAccuracyScore(y, y),
      matthewsCorrcoef(y, y),
      cohenKappaScore(y, y),
      f1Score(y, y, { average: 'macro' }),
      precisionScore(y, y, { average: 'weighted' }),
      recallScore(y, y, { average: 'micro' }),
    ]) {
      expect(v).toBe(1);
    }
  });

  it('confusion matrix: sums to n, label order, normalisation', () => {
    const cm = confusionMatrix(yt, yp);
    expect(cm.toArray()).toEqual([
      [3, 1, 0],
      [0, 1, 1],
      [0, 1, 1],
    ]);
    expect(Array.from(cm.data).reduce((s, v) => s + v, 0)).toBe(yt.length);
    expect(confusionMatrix(yt, yp, { labels: ['c', 'a'] }).toArray()).toEqual([
      [1, 0],
      [0, 3],
    ]);
    expect(confusionMatrix([0, 1, 1, 2], [0, 1, 2, 2], { normalize: 'pred' }).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0.5],
      [0, 0, 0.5],
    ]);
    const all = confusionMatrix(yt, yp, { normalize: 'all' });
    close(
      Array.from(all.data).reduce((s, v) => s + v, 0),
      1,
    );
    for (const row of confusionMatrix(yt, yp, { normalize: 'true' }).toArray())
      close(
        row.reduce((s, v) => s + v, 0),
        1,
      );
  });

  it("classification report: data and scikit-learn's text", () => {
    const r = classificationReport(yt, yp);
    expect(r.text).toBe(
      '              precision    recall  f1-score   support\n\n' +
        '           a       1.00      0.75      0.86         4\n' +
        '           b       0.33      0.50      0.40         2\n' +
        '           c       0.50      0.50      0.50         2\n\n' +
        '    accuracy                           0.62         8\n' +
        '   macro avg       0.61      0.58      0.59         8\n' +
        'weighted avg       0.71      0.62      0.65         8\n',
    );
    expect(r.accuracy).toBe(0.625);
    expect(r.perClass[0]).toMatchObject({ label: 'a', name: 'a', precision: 1, recall: 0.75, support: 4 });
    const sub = classificationReport(yt, yp, { labels: ['a', 'b'], digits: 3 });
    expect(sub.accuracy).toBeUndefined();
    expect(sub.text).toBe(
      '              precision    recall  f1-score   support\n\n' +
        '           a      1.000     0.750     0.857         4\n' +
        '           b      0.333     0.500     0.400         2\n\n' +
        '   micro avg      0.667     0.667     0.667         6\n' +
        '   macro avg      0.667     0.625     0.629         6\n' +
        'weighted avg      0.778     0.667     0.705         6\n',
    );
    expect(classificationReport([1, 1, 0], [1, 0, 0], { targetNames: ['neg', 'pos'], sampleWeight: [1, 0.5, 2] }).text).toContain(
      '         neg       0.80      1.00      0.89       2.0\n',
    );
  });
});

describe('score metrics', () => {
  const t = [0, 0, 1, 1, 1, 0],
    s = [0.1, 0.4, 0.35, 0.8, 0.4, 0.2];

  it('rocCurve: endpoints (0,0) and (1,1), thresholds[0] = max + 1', () => {
    const r = rocCurve(t, s, { dropIntermediate: false });
    close(r.fpr, [0, 0, 1 / 3, 1 / 3, 2 / 3, 1]);
    close(r.tpr, [0, 1 / 3, 2 / 3, 1, 1, 1]);
    close(r.thresholds, [1.8, 0.8, 0.4, 0.35, 0.2, 0.1]);
    const d = rocCurve(t, s);
    expect([d.fpr[0], d.tpr[0], d.fpr.at(-1), d.tpr.at(-1)]).toEqual([0, 0, 1, 1]);
    expect(d.fpr.length).toBeLessThanOrEqual(r.fpr.length);
    close(auc(d.fpr, d.tpr), auc(r.fpr, r.tpr));
  });

  it('rocAucScore: weights, partial area, multiclass ovr / ovo', () => {
    close(rocAucScore([0, 0, 1, 1, 1], [0.1, 0.4, 0.35, 0.8, 0.4], { sampleWeight: [1, 2, 1, 1, 3] }), 0.6666666666666667);
    close(rocAucScore(t, s, { maxFpr: 0.5 }), 0.7777777777777779);
    expect(rocAucScore([0, 1, 1], [0.1, 0.5, 0.9])).toBe(1);
    const P = [
      [0.5, 0.2, 0.3],
      [0.2, 0.5, 0.3],
      [0.4, 0.3, 0.3],
      [0.3, 0.4, 0.3],
      [0.2, 0.25, 0.55],
      [0.1, 0.6, 0.3],
      [0.3, 0.3, 0.4],
    ];
    const y = [0, 1, 2, 1, 0, 2, 2];
    close(rocAucScore(y, P, { multiClass: 'ovo', average: 'weighted' }), 0.6488095238095238);
    close(rocAucScore(y, P, { multiClass: 'ovo' }), 0.6597222222222222);
    close(rocAucScore(y, P, { multiClass: 'ovr', average: 'micro' }), 0.6530612244897959);
    close(rocAucScore(y, P, { multiClass: 'ovr', average: 'weighted' }), 0.6285714285714287);
    close(rocAucScore(y, P, { multiClass: 'ovr', average: null }), [0.65, 0.8, 0.5]);
  });

  it('precision-recall curve and average precision', () => {
    const pr = precisionRecallCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
    close(pr.precision, [0.5, 2 / 3, 0.5, 1, 1]);
    close(pr.recall, [1, 1, 0.5, 0.5, 0]);
    close(pr.thresholds, [0.1, 0.35, 0.4, 0.8]);
    close(averagePrecisionScore([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], { sampleWeight: [1, 2, 1, 1] }), 0.75);
    expect(averagePrecisionScore([0, 1, 1], [0.1, 0.5, 0.9])).toBe(1);
  });

  it('log loss and Brier score', () => {
    close(logLoss(['x', 'y', 'x'], [0.2, 0.7, 0.4]), 0.3635480396729776);
    close(
      logLoss(
        [0, 1, 1],
        [
          [0.8, 0.2],
          [0.3, 0.7],
          [0.5, 0.5],
        ],
        { normalize: false, sampleWeight: [1, 2, 3] },
      ),
      3.0159349808715104,
    );
    expect(Number.isFinite(logLoss([0, 1], [1, 0]))).toBe(true); // clipped, never Infinity
    close(brierScoreLoss([2, 5, 5, 2], [0.1, 0.9, 0.6, 0.4]), 0.08500000000000002);
    expect(brierScoreLoss([0, 1], [0, 1])).toBe(0);
  });
});

describe('regression metrics', () => {
  it('closed-form values', () => {
    const t = [3, -0.5, 2, 7],
      p = [2.5, 0, 2, 8];
    close(meanAbsoluteError(t, p), 0.5);
    close(meanSquaredError(t, p), 0.375);
    close(rootMeanSquaredError(t, p), Math.sqrt(0.375));
    close(r2Score(t, p), 0.9486081370449679);
    close(explainedVarianceScore(t, p), 0.9571734475374732);
    close(medianAbsoluteError(t, p), 0.5);
    close(maxError(t, p), 1);
    close(medianAbsoluteError([1, 2, 3, 4, 10], [1.5, 2, 2, 6, 0], { sampleWeight: [1, 1, 3, 1, 1] }), 1);
    close(r2Score([1, 2, 3, 4], [1.1, 2.2, 2.7, 4.5], { sampleWeight: [1, 2, 1, 0.5] }), 0.9192647058823529);
    close(explainedVarianceScore([1, 2, 3, 4], [1.1, 2.2, 2.7, 4.5], { sampleWeight: [1, 2, 1, 0.5] }), 0.9311764705882353);
    close(
      meanAbsolutePercentageError(
        [
          [1, 2],
          [3, 0],
        ],
        [
          [1.5, 2],
          [2, 1],
        ],
        { multioutput: [0.3, 0.7] },
      ) / 1576259869579673.5,
      1,
    );
  });

  it('perfect predictions; constant targets; multi-output forms agree', () => {
    const y = [
      [1, 2],
      [3, 4],
      [5, 7],
    ];
    expect(r2Score(y, y)).toBe(1);
    expect(meanSquaredError(y, y, { multioutput: 'raw_values' })).toEqual(new Float64Array(2));
    expect(r2Score([2, 2, 2], [2, 2, 2])).toBe(1);
    expect(r2Score([2, 2, 2], [2, 3, 2])).toBe(0);
    expect(r2Score([1], [1])).toBeNaN();
    const p = [
      [1.5, 2],
      [2, 4.5],
      [5, 6],
    ];
    close(r2Score(y.flat(), p.flat(), 2), r2Score(y, p));
    const raw = meanAbsoluteError(y, p, { multioutput: 'raw_values' });
    close(meanAbsoluteError(y, p), (raw[0] + raw[1]) / 2);
  });
});

describe('bad input', () => {
  it('length mismatch → E_LENGTH', () => {
    expect(() => accuracyScore([1, 2], [1])).toThrowError(code('E_LENGTH'));
    expect(() => confusionMatrix([1, 2], [1, 2, 1])).toThrowError(code('E_LENGTH'));
    expect(() => rocCurve([0, 1], [0.5])).toThrowError(code('E_LENGTH'));
    expect(() => meanSquaredError([1, 2], [1])).toThrowError(code('E_LENGTH'));
    expect(() => f1Score([0, 1], [0, 1], { sampleWeight: [1] })).toThrowError(code('E_LENGTH'));
    expect(() => logLoss([0, 1], [[0.5, 0.5]])).toThrowError(code('E_LENGTH'));
  });

  it('empty → E_EMPTY', () => {
    expect(() => accuracyScore([], [])).toThrowError(code('E_EMPTY'));
    expect(() => rocAucScore([], [])).toThrowError(code('E_EMPTY'));
    expect(() => meanAbsoluteError([], [])).toThrowError(code('E_EMPTY'));
    expect(() => r2Score([[]], [[]])).toThrowError(code('E_EMPTY'));
  });

  it('non-finite scores or values → E_NONFINITE', () => {
    expect(() => rocAucScore([0, 1], [0.5, NaN])).toThrowError(code('E_NONFINITE'));
    expect(() => rocCurve([0, 1], [Infinity, 0])).toThrowError(code('E_NONFINITE'));
    expect(() => logLoss([0, 1], [0.5, NaN])).toThrowError(code('E_NONFINITE'));
    expect(() => meanSquaredError([1, NaN], [1, 2])).toThrowError(code('E_NONFINITE'));
    expect(() => accuracyScore([1, NaN], [1, 2])).toThrowError(code('E_NONFINITE'));
  });

  it('a single-class yTrue for rocAucScore → E_PARAM naming yTrue and the fix', () => {
    const err = (() => {
      try {
        rocAucScore([1, 1, 1], [0.2, 0.6, 0.9]);
      } catch (e) {
        return e as Error & { code: string };
      }
    })();
    expect(err?.code).toBe('E_PARAM');
    expect(err?.message).toMatch(/yTrue/);
    expect(err?.message).toMatch(/only one class/);
    expect(err?.message).toMatch(/both positive and negative/);
  });

  it('other parameter errors → E_PARAM or E_DTYPE', () => {
    expect(() => precisionScore([0, 1, 2], [0, 1, 2])).toThrowError(code('E_PARAM')); // multiclass with average 'binary'
    expect(() => precisionScore(['x', 'y'], ['x', 'y'])).toThrowError(/posLabel/);
    expect(() => rocCurve(['x', 'y'], [0.1, 0.2])).toThrowError(code('E_PARAM'));
    expect(() =>
      rocAucScore(
        [0, 1, 2],
        [
          [0.5, 0.5, 0],
          [0, 1, 0],
          [0, 0, 1],
        ],
      ),
    ).toThrowError(/multiClass/);
    expect(() =>
      rocAucScore(
        [0, 1, 2],
        [
          [0.5, 0.6, 0],
          [0, 1, 0],
          [0, 0, 1],
        ],
        { multiClass: 'ovr' },
      ),
    ).toThrowError(/sum to 1/);
    expect(() => brierScoreLoss([0, 1], [0.5, 1.5])).toThrowError(code('E_PARAM'));
    expect(() => logLoss([1, 1], [0.5, 0.5])).toThrowError(/labels/);
    expect(() => confusionMatrix([0, 1], [0, 1], { labels: [5] })).toThrowError(code('E_PARAM'));
    expect(() => f1Score([0, 1], [0, 1], { avg: 'macro' } as never)).toThrowError(code('E_PARAM'));
    expect(() => accuracyScore([0, 1], ['0', '1'])).toThrowError(code('E_DTYPE'));
    expect(() => meanSquaredError([[1, 2]], [[1, 2, 3]])).toThrowError(code('E_SHAPE'));
    expect(() =>
      maxError(
        [
          [1, 2],
          [3, 4],
        ],
        [
          [1, 2],
          [3, 4],
        ],
      ),
    ).toThrowError(code('E_SHAPE'));
  });
});
