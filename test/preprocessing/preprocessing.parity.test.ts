/** Scalers, imputers and encoders against scikit-learn 1.2 on real data sets (native and js). */
import { describe, it } from 'vitest';
import {
  KBinsDiscretizer,
  MaxAbsScaler,
  Matrix,
  MinMaxScaler,
  Normalizer,
  OneHotEncoder,
  OrdinalEncoder,
  PolynomialFeatures,
  PowerTransformer,
  QuantileTransformer,
  RobustScaler,
  SimpleImputer,
  StandardScaler,
} from '../../src/index.js';
import { available } from '../helpers/backends.js';
import { expectParity, loadFixture, withNaN } from '../helpers/fixtures.js';

const cpu = available.filter((b) => b !== 'webgpu');
const rows = (x: Float64Array | Matrix) => (x instanceof Matrix ? x.toArray() : Array.from(x));
const numericSets = ['iris', 'wine', 'breast_cancer', 'diabetes', 'linnerud'];

describe.each(cpu)('preprocessing parity with scikit-learn (%s)', (backend) => {
  it.each(numericSets)('StandardScaler on %s', async (dataset) => {
    const f = loadFixture(dataset, 'standard_scaler');
    const s = await new StandardScaler({ backend }).fit(f.input.X);
    expectParity(f, 'mean_', rows(s.mean));
    expectParity(f, 'var_', rows(s.variance));
    expectParity(f, 'scale_', rows(s.scale));
    expectParity(f, 'n_samples_seen_', [s.nSamplesSeen[0]]);
    expectParity(f, 'transform', rows(await s.transform(f.input.X)));
    expectParity(f, 'transform_test', rows(await s.transform(f.input.X_test)));
  });

  it.each(numericSets)('MinMaxScaler on %s', async (dataset) => {
    const f = loadFixture(dataset, 'min_max_scaler');
    const s = await new MinMaxScaler({ backend }).fit(f.input.X);
    expectParity(f, 'data_min_', rows(s.dataMin));
    expectParity(f, 'data_max_', rows(s.dataMax));
    expectParity(f, 'data_range_', rows(s.dataRange));
    expectParity(f, 'scale_', rows(s.scale));
    expectParity(f, 'min_', rows(s.min));
    expectParity(f, 'transform', rows(await s.transform(f.input.X)));
    expectParity(f, 'transform_test', rows(await s.transform(f.input.X_test)));
  });

  it.each(numericSets)('MaxAbsScaler on %s', async (dataset) => {
    const f = loadFixture(dataset, 'max_abs_scaler');
    const s = await new MaxAbsScaler({ backend }).fit(f.input.X);
    expectParity(f, 'max_abs_', rows(s.maxAbs));
    expectParity(f, 'scale_', rows(s.scale));
    expectParity(f, 'transform', rows(await s.transform(f.input.X)));
    expectParity(f, 'transform_test', rows(await s.transform(f.input.X_test)));
  });

  it.each(numericSets)('RobustScaler on %s', async (dataset) => {
    const f = loadFixture(dataset, 'robust_scaler');
    const s = await new RobustScaler({ backend }).fit(f.input.X);
    expectParity(f, 'center_', rows(s.center));
    expectParity(f, 'scale_', rows(s.scale));
    expectParity(f, 'transform', rows(await s.transform(f.input.X)));
    expectParity(f, 'transform_test', rows(await s.transform(f.input.X_test)));
  });

  it.each(numericSets)('Normalizer (l2) on %s', async (dataset) => {
    const f = loadFixture(dataset, 'normalizer_l2');
    const s = await new Normalizer({ backend }).fit(f.input.X);
    expectParity(f, 'transform', rows(await s.transform(f.input.X)));
    expectParity(f, 'transform_test', rows(await s.transform(f.input.X_test)));
  });

  const imputerCases = numericSets.flatMap((d) => (['mean', 'median', 'most_frequent', 'constant'] as const).map((s) => [d, s] as const));
  it.each(imputerCases)('SimpleImputer on %s (%s)', async (dataset, strategy) => {
    const f = loadFixture(dataset, `simple_imputer_${strategy}`);
    const s = await new SimpleImputer({ strategy, fillValue: (f.params.fill_value as number) ?? 0, backend }).fit(withNaN(f.input.X));
    expectParity(f, 'statistics_', rows(s.statistics));
    expectParity(f, 'transform', rows(await s.transform(withNaN(f.input.X))));
    expectParity(f, 'transform_test', rows(await s.transform(withNaN(f.input.X_test))));
  });
});

describe('categorical encoder parity with scikit-learn', () => {
  it.each(['iris', 'wine', 'diabetes'])('OneHotEncoder on %s', async (dataset) => {
    const f = loadFixture(dataset, 'one_hot_encoder');
    const e = await new OneHotEncoder({ handleUnknown: 'ignore' }).fit(f.input.X);
    expectParity(f, 'categories_', e.categories);
    expectParity(f, 'transform', rows(await e.transform(f.input.X)));
    expectParity(f, 'transform_test', rows(await e.transform(f.input.X_test)));
    expectParity(f, 'feature_names_out', e.featureNamesOut(f.input.feature_names));
  });

  it.each(['iris', 'wine', 'diabetes'])('OrdinalEncoder on %s', async (dataset) => {
    const f = loadFixture(dataset, 'ordinal_encoder');
    const e = await new OrdinalEncoder({ handleUnknown: 'use_encoded_value', unknownValue: -1 }).fit(f.input.X);
    expectParity(f, 'categories_', e.categories);
    expectParity(f, 'transform', rows(await e.transform(f.input.X)));
    expectParity(f, 'transform_test', rows(await e.transform(f.input.X_test)));
  });
});

describe('feature expansion and binning parity with scikit-learn', () => {
  it.each(numericSets)('PolynomialFeatures (degree 2) on %s', async (dataset) => {
    const f = loadFixture(dataset, 'polynomial_features');
    const p = await new PolynomialFeatures({ degree: 2 }).fit(f.input.X);
    expectParity(f, 'n_output_features_', [p.nOutputFeatures]);
    expectParity(f, 'powers_', p.powers);
    expectParity(f, 'feature_names_out', p.featureNamesOut(f.input.feature_names));
    expectParity(f, 'transform', rows(await p.transform(f.input.X)));
    expectParity(f, 'transform_test', rows(await p.transform(f.input.X_test)));
  });

  const binCases = numericSets.flatMap((d) => (['uniform', 'quantile'] as const).map((s) => [d, s] as const));
  it.each(binCases)('KBinsDiscretizer on %s (%s)', async (dataset, strategy) => {
    const f = loadFixture(dataset, `kbins_discretizer_${strategy}`);
    // JSON has no infinities: a constant column's edges are written as strings
    f.expected.bin_edges_ = f.expected.bin_edges_.map((e: (number | string)[]) => e.map(Number));
    const k = await new KBinsDiscretizer({ nBins: f.params.n_bins as number, strategy }).fit(f.input.X);
    expectParity(f, 'n_bins_', k.nBinsPerFeature);
    expectParity(
      f,
      'bin_edges_',
      k.binEdges.map((e) => Array.from(e)),
    );
    expectParity(f, 'transform', rows(await k.transform(f.input.X)));
    expectParity(f, 'transform_test', rows(await k.transform(f.input.X_test)));
  });

  it.each(numericSets)('QuantileTransformer (normal) on %s', async (dataset) => {
    const f = loadFixture(dataset, 'quantile_transformer_normal');
    const q = await new QuantileTransformer({ nQuantiles: f.params.n_quantiles as number, outputDistribution: 'normal' }).fit(f.input.X);
    expectParity(f, 'n_quantiles_', [q.nQuantilesFitted]);
    expectParity(f, 'quantiles_', q.quantiles);
    expectParity(f, 'references_', rows(q.references));
    expectParity(f, 'transform', rows(await q.transform(f.input.X)));
    expectParity(f, 'transform_test', rows(await q.transform(f.input.X_test)));
  });
});

describe.each(cpu)('PowerTransformer parity with scikit-learn (%s)', (backend) => {
  const cases = numericSets.flatMap((d) => (['yeo_johnson', 'box_cox'] as const).map((m) => [d, m] as const));
  it.each(cases)('%s (%s)', async (dataset, method) => {
    const f = loadFixture(dataset, `power_transformer_${method}`);
    const p = await new PowerTransformer({ method: method === 'box_cox' ? 'box-cox' : 'yeo-johnson', backend }).fit(f.input.X);
    expectParity(f, 'lambdas_', rows(p.lambdas));
    expectParity(f, 'transform', rows(await p.transform(f.input.X)));
    expectParity(f, 'transform_test', rows(await p.transform(f.input.X_test)));
  });
});
