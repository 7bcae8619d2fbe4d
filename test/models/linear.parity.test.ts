/** Linear and probabilistic models against scikit-learn 1.2 on real data sets (native and js). */
import { describe, expect, it } from 'vitest';
import { ElasticNet, GaussianNB, Lasso, LinearRegression, LogisticRegression, Matrix, Ridge } from '../../src/index.js';
import { available } from '../helpers/backends.js';
import { expectParity, loadFixture } from '../helpers/fixtures.js';

const cpu = available.filter((b) => b !== 'webgpu');
const rows = (x: Float64Array | Matrix | number) => (x instanceof Matrix ? x.toArray() : typeof x === 'number' ? x : Array.from(x));

describe.each(cpu)('linear model parity with scikit-learn (%s)', (backend) => {
  it.each(['diabetes', 'linnerud'])('LinearRegression on %s', async (dataset) => {
    const f = loadFixture(dataset, 'linear_regression');
    const m = await new LinearRegression({ backend }).fit(f.input.X, f.input.y);
    expectParity(f, 'coef_', rows(m.coef));
    expectParity(f, 'intercept_', Array.isArray(f.expected.intercept_) ? rows(m.intercept as Float64Array) : [m.intercept]);
    expectParity(f, 'predict_test', rows(await m.predict(f.input.X_test)));
  });

  it.each(['diabetes', 'linnerud'])('Ridge on %s', async (dataset) => {
    const f = loadFixture(dataset, 'ridge');
    const m = await new Ridge({ alpha: f.params.alpha as number, backend }).fit(f.input.X, f.input.y);
    expectParity(f, 'coef_', rows(m.coef));
    expectParity(f, 'intercept_', Array.isArray(f.expected.intercept_) ? rows(m.intercept as Float64Array) : [m.intercept]);
    expectParity(f, 'predict_test', rows(await m.predict(f.input.X_test)));
  });

  it.each([
    ['diabetes', 'lasso'],
    ['linnerud', 'lasso'],
    ['diabetes', 'elastic_net'],
    ['linnerud', 'elastic_net'],
  ])('%s %s', async (dataset, op) => {
    const f = loadFixture(dataset, op);
    const params = { alpha: f.params.alpha as number, maxIter: f.params.max_iter as number, tol: f.params.tol as number, backend };
    const m =
      op === 'lasso'
        ? await new Lasso(params).fit(f.input.X, f.input.y)
        : await new ElasticNet({ ...params, l1Ratio: f.params.l1_ratio as number }).fit(f.input.X, f.input.y);
    expectParity(f, 'coef_', rows(m.coef));
    expectParity(f, 'intercept_', Array.isArray(f.expected.intercept_) ? rows(m.intercept as Float64Array) : [m.intercept]);
    expectParity(f, 'predict_test', rows(await m.predict(f.input.X_test)));
  });

  it.each(['iris', 'wine', 'breast_cancer'])('LogisticRegression on %s', async (dataset) => {
    const f = loadFixture(dataset, 'logistic_regression');
    const m = await new LogisticRegression({ C: f.params.C as number, maxIter: f.params.max_iter as number, tol: f.params.tol as number, backend }).fit(
      f.input.X,
      f.input.y,
    );
    expectParity(f, 'classes_', m.classes);
    expectParity(f, 'coef_', m.coef.toArray());
    expectParity(f, 'intercept_', Array.from(m.intercept));
    expectParity(f, 'predict_proba_test', (await m.predictProba(f.input.X_test)).toArray());
    expectParity(f, 'decision_function_test', rows(await m.decisionFunction(f.input.X_test)));
    expectParity(f, 'predict_test', await m.predict(f.input.X_test));
  });

  it.each(['iris', 'wine', 'breast_cancer'])('GaussianNB on %s', async (dataset) => {
    const f = loadFixture(dataset, 'gaussian_nb');
    const m = await new GaussianNB({ varSmoothing: f.params.var_smoothing as number }).fit(f.input.X, f.input.y);
    expectParity(f, 'classes_', m.classes);
    expectParity(f, 'class_count_', Array.from(m.classCount));
    expectParity(f, 'class_prior_', Array.from(m.classPrior));
    expectParity(f, 'theta_', m.theta.toArray());
    expectParity(f, 'var_', m.variance.toArray());
    expectParity(f, 'epsilon_', [m.epsilon]);
    expectParity(f, 'predict_proba_test', (await m.predictProba(f.input.X_test)).toArray());
    expectParity(f, 'predict_log_proba_test', (await m.predictLogProba(f.input.X_test)).toArray());
    expectParity(f, 'predict_test', await m.predict(f.input.X_test));
    expect(backend).toBeTruthy();
  });
});
