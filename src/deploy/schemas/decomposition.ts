/** Fitted-state schemas: decomposition/ (the vocabulary in ../fitted-schema.ts; the list in ../fitted-schemas.ts). */
import { IncrementalPCA, LinearDiscriminantAnalysis, PCA, TruncatedSVD, TSNE } from '../../decomposition/index.js';
import { dim, f64, int, labels, nullable, num, oneOf, record } from '../fitted-schema.js';
import type { SchemaEntry } from './shared.js';

// PCA / IncrementalPCA: k orthonormal components of p features and their variances
const projectionState = record({
  nFeatures: dim('p'),
  nComponents: dim('k'),
  nSamples: int(1),
  mean: f64({ len: 'p' }),
  components: f64({ len: 'k*p' }),
  explainedVariance: f64({ len: 'k', min: 0 }),
  explainedVarianceRatio: f64({ len: 'k', min: 0 }),
  singularValues: f64({ len: 'k', min: 0 }),
  noiseVariance: num({ min: 0 }),
});

/** The fitted state of decomposition/. */
export const DECOMPOSITION_SCHEMAS: SchemaEntry[] = [
  // ---- decomposition
  [PCA, { fitted: { state: projectionState, solverUsed: oneOf('full', 'randomized') }, inputs: 'p', outputs: 'k' }],
  [
    LinearDiscriminantAnalysis,
    {
      fitted: {
        state: record({
          classes: labels('k'),
          p: dim('p'),
          priors: f64({ len: 'k', min: 0 }),
          means: f64({ len: 'k*p' }),
          fit: record({
            r: dim('r', 0),
            scalings: f64({ len: 'p*r' }),
            coef: f64({ len: 'k*p' }),
            intercept: f64({ len: 'k', allow: 'infinite' }),
            ratio: f64(),
            centre: nullable(f64({ len: 'p' })),
          }),
          maxComponents: int(0),
        }),
      },
      inputs: 'p',
    },
  ],
  [
    TSNE,
    {
      fitted: {
        state: record({ n: dim('n'), c: dim('c'), embedding: f64({ len: 'n*c' }), kl: num(), nIter: int(0), learningRate: num({ min: 0 }) }),
      },
    },
  ],
  [IncrementalPCA, { fitted: { state: projectionState, running: record({ variance: f64({ len: 'p', min: 0 }) }) }, inputs: 'p', outputs: 'k' }],
  [
    TruncatedSVD,
    {
      fitted: {
        state: record({
          nFeatures: dim('p'),
          nComponents: dim('k'),
          components: f64({ len: 'k*p' }),
          explainedVariance: f64({ len: 'k', min: 0 }),
          explainedVarianceRatio: f64({ len: 'k', min: 0 }),
          singularValues: f64({ len: 'k', min: 0 }),
        }),
      },
      inputs: 'p',
      outputs: 'k',
    },
  ],
];
