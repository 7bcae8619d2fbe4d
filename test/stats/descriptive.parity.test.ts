/** skew / kurtosis against scipy 1.10 (test/fixtures/sklearn/*.skew_kurtosis.json), every column of every data set. */
import { describe, expect, it } from 'vitest';
import { kurtosis, skew } from '../../src/index.js';
import { expectParity, loadFixture } from '../helpers/fixtures.js';

const columns = (X: number[][]) => X[0].map((_, j) => X.map((r) => r[j]));

describe.each(['iris', 'wine', 'breast_cancer', 'diabetes', 'linnerud'])('skew and kurtosis on %s', (dataset) => {
  const f = loadFixture(dataset, 'skew_kurtosis');
  const cols = columns(f.input.X);
  it('match scipy for every bias / fisher setting', () => {
    expect(Object.keys(f.expected).sort()).toEqual(['kurtosis', 'kurtosis_pearson', 'kurtosis_unbiased', 'skew', 'skew_unbiased']);
    expectParity(
      f,
      'skew',
      cols.map((c) => skew(c)),
    );
    expectParity(
      f,
      'skew_unbiased',
      cols.map((c) => skew(c, { bias: false })),
    );
    expectParity(
      f,
      'kurtosis',
      cols.map((c) => kurtosis(c)),
    );
    expectParity(
      f,
      'kurtosis_unbiased',
      cols.map((c) => kurtosis(c, { bias: false })),
    );
    expectParity(
      f,
      'kurtosis_pearson',
      cols.map((c) => kurtosis(c, { fisher: false })),
    );
  });
});
