/**
 * LinearDiscriminantAnalysis against scikit-learn 1.2 (*.lda_svd.json, *.lda_eigen.json,
 * *.lda_eigen_shrinkage.json from test/fixtures-scripts/gen_decomposition.py): coef_,
 * intercept_, probabilities, decisions and predictions (unique), transform up to the sign of
 * each direction; bad input.
 */
import { describe, expect, it } from 'vitest';
import { LinearDiscriminantAnalysis } from '../../src/index.js';
import { expectParity, loadFixture } from '../helpers/fixtures.js';

const code = (c: string) => expect.objectContaining({ code: c });

const cases = ['iris', 'wine', 'breast_cancer'].flatMap((d) => ['lda_svd', 'lda_eigen', 'lda_eigen_shrinkage'].map((op) => [d, op]));

describe('LinearDiscriminantAnalysis parity', () => {
  it.each(cases)('%s.%s', async (dataset, op) => {
    const f = loadFixture(dataset, op);
    const m = new LinearDiscriminantAnalysis({ solver: f.params.solver as 'svd' | 'eigen', shrinkage: (f.params.shrinkage as 'auto') ?? null });
    await m.fit(f.input.X, f.input.y);
    const p = f.input.X[0].length;
    expectParity(f, 'classes_', m.classes);
    expectParity(f, 'priors_', m.priorsFitted);
    expectParity(f, 'means_', m.means.data, p);
    expectParity(f, 'coef_', m.coef.data, p);
    expectParity(f, 'intercept_', m.intercept);
    expectParity(f, 'explained_variance_ratio_', m.explainedVarianceRatio);
    expectParity(f, 'predict_test', await m.predict(f.input.X_test));
    const k = m.classes.length;
    expectParity(f, 'predict_proba_test', (await m.predictProba(f.input.X_test)).data, k);
    expectParity(f, 'decision_function_test', await m.decisionFunction(f.input.X_test), k === 2 ? undefined : k);
    const T = await m.transform(f.input.X_test);
    const want: number[][] = f.expected.transform_test;
    const q = T.cols;
    const signs = Array.from({ length: q }, (_, j) => Math.sign(want.reduce((a, row, i) => a + row[j] * T.data[i * q + j], 0)) || 1);
    expectParity(
      f,
      'transform_test',
      T.data.map((v, i) => v * signs[i % q]),
      q,
    );
  });
});

describe('LinearDiscriminantAnalysis behaviour and bad input', () => {
  it('reduces to nComponents, scores, and refuses bad input', async () => {
    const f = loadFixture('wine', 'lda_svd');
    const m = await new LinearDiscriminantAnalysis({ nComponents: 1 }).fit(f.input.X, f.input.y);
    expect((await m.transform(f.input.X_test)).cols).toBe(1);
    expect(m.featureNamesOut()).toEqual(['lineardiscriminantanalysis0']);
    expect(await m.score(f.input.X_test, f.input.y_test)).toBeGreaterThan(0.9);
    await expect(new LinearDiscriminantAnalysis({ nComponents: 3 }).fit(f.input.X, f.input.y)).rejects.toThrow(code('E_PARAM'));
    await expect(new LinearDiscriminantAnalysis().fit(f.input.X, f.input.y.slice(1))).rejects.toThrow(code('E_LENGTH'));
    await expect(new LinearDiscriminantAnalysis().fit([[1], [2], [3]], [0, 0, 0])).rejects.toThrow(code('E_PARAM'));
    await expect(new LinearDiscriminantAnalysis({ priors: [1, 2] }).fit(f.input.X, f.input.y)).rejects.toThrow(code('E_LENGTH'));
    expect(() => new LinearDiscriminantAnalysis({ shrinkage: 0.5 })).toThrow(code('E_PARAM'));
    await expect(
      new LinearDiscriminantAnalysis().fit(
        [
          [1, Number.NaN],
          [2, 3],
          [3, 3],
        ],
        [0, 1, 1],
      ),
    ).rejects.toThrow(code('E_NONFINITE'));
    const priors = await new LinearDiscriminantAnalysis({ priors: [2, 1, 1] }).fit(f.input.X, f.input.y);
    expect(Array.from(priors.priorsFitted)).toEqual([0.5, 0.25, 0.25]);
  });
});
