/** k-NN estimators against scikit-learn 1.2 on real data sets, on every backend. */
import { describe, expect, it } from 'vitest';
import { KNeighborsClassifier, KNeighborsRegressor, KNNImputer } from '../../src/index.js';
import { available } from '../helpers/backends.js';
import { expectParity, loadFixture, withNaN } from '../helpers/fixtures.js';

const backends = available;

describe.each(backends)('k-NN parity with scikit-learn (%s)', (backend) => {
  it.each(['iris', 'wine', 'breast_cancer'])('KNeighborsClassifier on %s', async (dataset) => {
    const f = loadFixture(dataset, 'kneighbors_classifier');
    const clf = await new KNeighborsClassifier({ nNeighbors: f.params.n_neighbors as number, backend }).fit(f.input.X, f.input.y);
    expectParity(f, 'classes_', clf.classes);
    expectParity(f, 'predict_test', await clf.predict(f.input.X_test));
    expectParity(f, 'predict_proba_test', (await clf.predictProba(f.input.X_test)).toArray());
    const nb = await clf.kneighbors(f.input.X_test);
    expectParity(f, 'kneighbors_distances_test', nb.distances.toArray());
    expect(expectParity(f, 'kneighbors_indices_test', nb.indices, nb.k)).toBeGreaterThan(0);
  });

  it.each(['diabetes', 'linnerud'])('KNeighborsRegressor on %s', async (dataset) => {
    const f = loadFixture(dataset, 'kneighbors_regressor');
    const reg = await new KNeighborsRegressor({ nNeighbors: f.params.n_neighbors as number, backend }).fit(f.input.X, f.input.y);
    const pred = await reg.predict(f.input.X_test);
    expectParity(f, 'predict_test', 'toArray' in pred ? pred.toArray() : pred);
    const nb = await reg.kneighbors(f.input.X_test);
    expectParity(f, 'kneighbors_distances_test', nb.distances.toArray());
    expectParity(f, 'kneighbors_indices_test', nb.indices, nb.k);
  });
});

describe('KNNImputer parity with scikit-learn', () => {
  it.each(['iris', 'wine', 'breast_cancer', 'diabetes', 'linnerud'])('%s', async (dataset) => {
    const f = loadFixture(dataset, 'knn_imputer');
    const imp = await new KNNImputer({ nNeighbors: f.params.n_neighbors as number }).fit(withNaN(f.input.X));
    expect(expectParity(f, 'transform', (await imp.transform(withNaN(f.input.X))).toArray())).toBeGreaterThan(0);
    expectParity(f, 'transform_test', (await imp.transform(withNaN(f.input.X_test))).toArray());
  });
});
