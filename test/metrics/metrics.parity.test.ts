/** Metrics against scikit-learn 1.2 on fixed predictions (every expected key of the metrics fixtures). */
import { describe, expect, it } from 'vitest';
import {
  accuracyScore,
  averagePrecisionScore,
  balancedAccuracyScore,
  brierScoreLoss,
  cohenKappaScore,
  confusionMatrix,
  explainedVarianceScore,
  f1Score,
  logLoss,
  matthewsCorrcoef,
  maxError,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  medianAbsoluteError,
  precisionRecallCurve,
  precisionScore,
  r2Score,
  recallScore,
  rocAucScore,
  rocCurve,
  rootMeanSquaredError,
  type Average,
} from '../../src/index.js';
import { expectParity, loadFixture, type Fixture } from '../helpers/fixtures.js';

/** Compares every leaf the test touches and checks at the end that no expected leaf was missed. */
function checker(f: Fixture) {
  const seen = new Set<string>();
  const check = (key: string, value: unknown, leaf?: string) => {
    const actual = typeof value === 'number' ? [value] : value; // expectParity takes scalars as one-value arrays
    if (leaf === undefined) {
      expectParity(f, key, actual as any);
      seen.add(key);
      return;
    }
    // nested values are compared leaf by leaf with the top-level key's tolerance and compare mode
    const sub: Fixture = {
      ...f,
      expected: f.expected[key],
      tolerance: f.tolerance.per_key?.[key] ?? f.tolerance,
      compare: f.compare?.[key] ? { [leaf]: f.compare[key] } : undefined,
      skip: undefined,
    };
    expect(sub.expected[leaf], `${f.dataset}.${f.op} ${key}.${leaf} exists`).toBeDefined();
    expectParity(sub, leaf, actual as any);
    seen.add(`${key}.${leaf}`);
  };
  const done = () => {
    const all = Object.entries(f.expected).flatMap(([k, v]) =>
      v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v).map((l) => `${k}.${l}`) : [k],
    );
    expect([...seen].sort()).toEqual(all.sort());
  };
  return { check, done };
}

const averages: Record<string, Average> = { binary: 'binary', macro: 'macro', micro: 'micro', weighted: 'weighted', per_class: null };

function labelMetrics(f: Fixture, check: ReturnType<typeof checker>['check']) {
  const { y_true: yt, y_pred: yp } = f.input;
  check('accuracy_score', accuracyScore(yt, yp));
  check('balanced_accuracy_score', balancedAccuracyScore(yt, yp));
  const prf = { precision_score: precisionScore, recall_score: recallScore, f1_score: f1Score };
  for (const [key, metric] of Object.entries(prf)) {
    for (const leaf of Object.keys(f.expected[key])) {
      const average = averages[leaf];
      check(key, metric(yt, yp, { average, zeroDivision: 0, ...(average === 'binary' ? { posLabel: 1 } : {}) } as any), leaf);
    }
  }
  check('confusion_matrix', confusionMatrix(yt, yp, { labels: f.input.labels }).toArray());
  check('matthews_corrcoef', matthewsCorrcoef(yt, yp));
  check('cohen_kappa_score', cohenKappaScore(yt, yp));
}

describe('classification metrics parity with scikit-learn 1.2', () => {
  it.each([
    ['breast_cancer', 'classification_metrics'],
    ['breast_cancer', 'classification_metrics_weak_model'],
  ])('binary: %s.%s', (dataset, op) => {
    const f = loadFixture(dataset, op);
    const { check, done } = checker(f);
    const { y_true: yt, y_score: ys } = f.input;
    labelMetrics(f, check);
    check('roc_auc_score', rocAucScore(yt, ys));
    check('log_loss', logLoss(yt, ys));
    check('brier_score_loss', brierScoreLoss(yt, ys, { posLabel: 1 }));
    check('average_precision_score', averagePrecisionScore(yt, ys, { posLabel: 1 }));
    const roc = rocCurve(yt, ys, { posLabel: 1, dropIntermediate: true });
    check('roc_curve', roc.fpr, 'fpr');
    check('roc_curve', roc.tpr, 'tpr');
    check('roc_curve', roc.thresholds, 'thresholds');
    const pr = precisionRecallCurve(yt, ys, { posLabel: 1 });
    check('precision_recall_curve', pr.precision, 'precision');
    check('precision_recall_curve', pr.recall, 'recall');
    check('precision_recall_curve', pr.thresholds, 'thresholds');
    done();
  });

  it.each(['iris', 'wine'])('multiclass: %s', (dataset) => {
    const f = loadFixture(dataset, 'classification_metrics');
    const { check, done } = checker(f);
    const { y_true: yt, y_proba: P, labels } = f.input;
    labelMetrics(f, check);
    check('roc_auc_score', rocAucScore(yt, P, { multiClass: 'ovr', average: 'macro', labels }), 'ovr_macro');
    check('roc_auc_score', rocAucScore(yt, P, { multiClass: 'ovr', average: 'weighted', labels }), 'ovr_weighted');
    check('roc_auc_score', rocAucScore(yt, P, { multiClass: 'ovo', average: 'macro', labels }), 'ovo_macro');
    check('log_loss', logLoss(yt, P, { labels }));
    // the fixture scores label_binarize(y_true) against P: pass the indicator matrix itself
    const onehot = yt.map((y: number) => labels.map((l: number) => (l === y ? 1 : 0)));
    check('average_precision_score', averagePrecisionScore(onehot, P, { average: 'macro' }), 'macro');
    check('average_precision_score', averagePrecisionScore(onehot, P, { average: 'micro' }), 'micro');
    check('average_precision_score', averagePrecisionScore(onehot, P, { average: null }), 'per_class');
    // the label form gives the same numbers
    expect(averagePrecisionScore(yt, P, { average: null })).toEqual(averagePrecisionScore(onehot, P, { average: null }));
    done();
  });
});

describe('regression metrics parity with scikit-learn 1.2', () => {
  const metrics = {
    mean_absolute_error: meanAbsoluteError,
    mean_squared_error: meanSquaredError,
    root_mean_squared_error: rootMeanSquaredError,
    r2_score: r2Score,
    mean_absolute_percentage_error: meanAbsolutePercentageError,
    median_absolute_error: medianAbsoluteError,
    explained_variance_score: explainedVarianceScore,
  } as const;

  it('single output: diabetes', () => {
    const f = loadFixture('diabetes', 'regression_metrics');
    const { check, done } = checker(f);
    const { y_true: yt, y_pred: yp } = f.input;
    for (const [key, metric] of Object.entries(metrics)) check(key, (metric as typeof meanAbsoluteError)(yt, yp));
    check('max_error', maxError(yt, yp));
    expect(meanSquaredError(yt, yp, { squared: false })).toBe(rootMeanSquaredError(yt, yp));
    done();
  });

  it('multi-output: linnerud', () => {
    const f = loadFixture('linnerud', 'regression_metrics');
    const { check, done } = checker(f);
    const { y_true: yt, y_pred: yp } = f.input;
    for (const [key, metric] of Object.entries(metrics)) {
      for (const leaf of Object.keys(f.expected[key])) {
        check(key, (metric as typeof meanAbsoluteError)(yt, yp, { multioutput: leaf as 'raw_values' }), leaf);
      }
    }
    done();
  });
});
