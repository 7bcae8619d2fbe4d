/**
 * crossValidate / crossValPredict / learningCurve / validationCurve against scikit-learn 1.2 on
 * the same unshuffled folds with deterministic estimators (fixtures by
 * test/fixtures-scripts/gen_selection.py): fold scores agree to 1e-6.
 */
import { describe, expect, it } from 'vitest';
import {
  crossValidate,
  crossValPredict,
  GaussianNB,
  GroupKFold,
  KFold,
  learningCurve,
  LogisticRegression,
  Matrix,
  Pipeline,
  Ridge,
  StandardScaler,
  TimeSeriesSplit,
  validationCurve,
} from '../../src/index.js';
import { expectParity, loadFixture } from '../helpers/fixtures.js';

const rows = (a: Float64Array[]) => a.map((r) => Array.from(r));
/** A Matrix (or 1-D output) as nested rows for expectParity. */
const nested = (m: any) => (m instanceof Matrix ? Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols))) : m);

describe('crossValidate parity with scikit-learn', () => {
  it('breast_cancer: LogisticRegression, binary scorers, cross_val_predict', async () => {
    const f = loadFixture('breast_cancer', 'cross_validate');
    const { X, y } = f.input;
    const names = f.params.scoring as string[];
    const lr = new LogisticRegression({ tol: 1e-12, maxIter: 10000 });
    const r = await crossValidate(lr, X, y, { cv: 5, scoring: names, returnTrainScore: true });
    for (const n of names) {
      expectParity(f, `test_${n}`, r.test[n]);
      expectParity(f, `train_${n}`, r.train![n]);
    }
    expect(r.fitTime.length).toBe(5);
    expectParity(f, 'cross_val_predict_proba', nested(await crossValPredict(lr, X, y, { cv: 5, method: 'predictProba' })));
    expectParity(f, 'cross_val_predict_decision_function', await crossValPredict(lr, X, y, { cv: 5, method: 'decisionFunction' }));
  });

  it('iris: GaussianNB, multiclass scorers, cross_val_predict', async () => {
    const f = loadFixture('iris', 'cross_validate');
    const { X, y } = f.input;
    const names = f.params.scoring as string[];
    const r = await crossValidate(new GaussianNB(), X, y, { cv: 5, scoring: names, returnTrainScore: true });
    for (const n of names) {
      expectParity(f, `test_${n}`, r.test[n]);
      expectParity(f, `train_${n}`, r.train![n]);
    }
    expectParity(f, 'cross_val_predict', await crossValPredict(new GaussianNB(), X, y, { cv: 5 }));
    expectParity(f, 'cross_val_predict_proba', nested(await crossValPredict(new GaussianNB(), X, y, { cv: 5, method: 'predictProba' })));
  });

  it('diabetes: Ridge, regression scorers, curves, TimeSeriesSplit, GroupKFold, the default score', async () => {
    const f = loadFixture('diabetes', 'cross_validate');
    const { X, y, groups } = f.input;
    const names = f.params.scoring as string[];
    const ridge = new Ridge({ alpha: 1 });
    const r = await crossValidate(ridge, X, y, { cv: 5, scoring: names, returnTrainScore: true });
    for (const n of names) {
      expectParity(f, `test_${n}`, r.test[n]);
      expectParity(f, `train_${n}`, r.train![n]);
    }
    const lc = await learningCurve(ridge, X, y, { cv: 5, trainSizes: [0.1, 0.325, 0.55, 0.775, 1.0], scoring: 'r2' });
    expectParity(f, 'learning_curve_train_sizes', lc.trainSizes);
    expectParity(f, 'learning_curve_train_scores', rows(lc.trainScores));
    expectParity(f, 'learning_curve_test_scores', rows(lc.testScores));
    const la = await learningCurve(ridge, X, y, { cv: new KFold(4), trainSizes: [30, 100, 200], scoring: 'neg_mean_squared_error' });
    expectParity(f, 'learning_curve_abs_train_sizes', la.trainSizes);
    expectParity(f, 'learning_curve_abs_train_scores', rows(la.trainScores));
    expectParity(f, 'learning_curve_abs_test_scores', rows(la.testScores));
    const pipe = new Pipeline([
      ['scale', new StandardScaler()],
      ['ridge', new Ridge()],
    ]);
    const vc = await validationCurve(pipe, X, y, { paramName: 'ridge__alpha', paramRange: [0.01, 0.1, 1, 10, 100], cv: 5, scoring: 'r2' });
    expectParity(f, 'validation_curve_train_scores', rows(vc.trainScores));
    expectParity(f, 'validation_curve_test_scores', rows(vc.testScores));
    expect(pipe.getParams().ridge__alpha).toBe(1); // the curve set its values on clones
    const ts = await crossValidate(ridge, X, y, { cv: new TimeSeriesSplit(4), scoring: 'r2' });
    expectParity(f, 'time_series_test_r2', ts.testScore);
    const gk = await crossValidate(ridge, X, y, { cv: new GroupKFold(3), groups, scoring: 'neg_mean_absolute_error' });
    expectParity(f, 'group_kfold_test_neg_mean_absolute_error', gk.testScore);
    expectParity(f, 'default_test_score', (await crossValidate(ridge, X, y, { cv: 3 })).testScore);
  });
});
