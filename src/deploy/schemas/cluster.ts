/** Fitted-state schemas: clustering and outlier detection (cluster/) (the vocabulary in ../fitted-schema.ts; the list in ../fitted-schemas.ts). */
import { covLength } from '../../cluster/gaussian-mixture-em.js';
import {
  AgglomerativeClustering,
  DBSCAN,
  EllipticEnvelope,
  GaussianMixture,
  HDBSCAN,
  IsolationForest,
  KMeans,
  LocalOutlierFactor,
  MinCovDet,
  MiniBatchKMeans,
} from '../../cluster/index.js';
import { bool, dim, f64, fail, i32, int, nullable, num, oneOf, record, typed } from '../fitted-schema.js';
import { rng, type SchemaEntry } from './shared.js';

/** KMeans / MiniBatchKMeans: centres (k × p), training labels (none when MiniBatchKMeans computes none). */
const centroidState = record({
  k: dim('k'),
  p: dim('p'),
  centers: f64({ len: 'k*p' }),
  labels: i32({ min: 0, below: 'k' }),
  inertia: num({ min: 0 }),
  nIter: int(0),
});

/** MinCovDet / EllipticEnvelope: raw and reweighted robust estimates over n training rows. */
const robustCovarianceState = record({
  p: dim('p'),
  rawLocation: f64({ len: 'p' }),
  rawCovariance: f64({ len: 'p*p' }),
  rawSupport: typed(Uint8Array, { len: 'n', below: 2 }),
  location: f64({ len: 'p' }),
  covariance: f64({ len: 'p*p' }),
  precision: f64({ len: 'p*p' }),
  support: typed(Uint8Array, { len: 'n', below: 2 }),
  dist: f64({ len: 'n' }),
});

/** The fitted state of clustering and outlier detection (cluster/). */
export const CLUSTER_SCHEMAS: SchemaEntry[] = [
  // ---- clustering and outlier detection
  [KMeans, { fitted: { state: centroidState }, inputs: 'p' }],
  [
    MiniBatchKMeans,
    {
      fitted: {
        state: centroidState,
        stream: record({ counts: f64({ len: 'k', min: 0 }), rng, sinceReassign: int(0), steps: int(0) }),
      },
      inputs: 'p',
    },
  ],
  [
    DBSCAN,
    {
      fitted: {
        state: record({
          rows: dim('n'),
          p: dim('p'),
          labels: i32({ len: 'n', min: -1, below: 'n' }),
          core: i32({ min: 0, below: 'n', sorted: true }),
          components: f64(),
        }),
      },
      check(o, at) {
        if (o.state.components.length !== o.state.core.length * o.state.p) fail(`${at}.state.components`, 'one row per core sample', o.state.components);
      },
      inputs: 'p',
    },
  ],
  [
    HDBSCAN,
    {
      fitted: {
        state: record({
          n: dim('n', 2),
          p: dim('p'),
          labels: i32({ len: 'n', min: -1, below: 'n' }),
          probabilities: f64({ len: 'n', min: 0 }),
          tree: record({
            parent: i32({ len: 'rows', min: 0 }),
            child: i32({ len: 'rows', min: 0 }),
            lambda: f64({ len: 'rows', min: 0, allow: 'infinite' }),
            size: i32({ len: 'rows', min: 1 }),
          }),
        }),
      },
      inputs: 'p',
    },
  ],
  [
    LocalOutlierFactor,
    {
      fitted: {
        state: record({
          rows: dim('n'),
          p: dim('p'),
          k: dim('k'),
          X: f64({ len: 'n*p' }),
          kDist: f64({ len: 'n', min: 0 }),
          lrd: f64({ len: 'n', min: 0 }),
          nof: f64({ len: 'n' }),
          offset: num(),
        }),
      },
      inputs: 'p',
    },
  ],
  [
    IsolationForest,
    {
      fitted: {
        state: record({
          p: dim('p'),
          maxSamples: int(1),
          offset: num(),
          nodes: record({
            roots: i32({ min: 0, sorted: true }),
            feature: i32({ len: 'nodes', min: -1, below: 'p' }),
            threshold: f64({ len: 'nodes', allow: 'infinite' }),
            left: i32({ len: 'nodes', min: -1 }),
            pathLength: f64({ len: 'nodes', min: 0 }),
          }),
        }),
      },
      check(o, at) {
        // every split's children follow it inside its own tree, so a walk always ends at a leaf
        const { roots, feature, left } = o.state.nodes;
        const size = feature.length;
        if (roots.length < 2 || roots[0] !== 0 || roots[roots.length - 1] !== size)
          fail(`${at}.state.nodes.roots`, `tree starts from 0 to the node count ${size}`, roots);
        for (let t = 0; t + 1 < roots.length; t++) {
          for (let i = roots[t]; i < roots[t + 1]; i++) {
            const ok = feature[i] < 0 ? left[i] === -1 : left[i] > i && left[i] + 1 < roots[t + 1];
            if (!ok) fail(`${at}.state.nodes.left[${i}]`, 'a leaf (-1) or a later node of the same tree', left[i]);
          }
        }
      },
      inputs: 'p',
    },
  ],
  [
    GaussianMixture,
    {
      fitted: {
        state: record({
          type: oneOf('full', 'tied', 'diag', 'spherical'),
          k: dim('k'),
          p: dim('p'),
          weights: f64({ len: 'k', min: 0 }),
          means: f64({ len: 'k*p' }),
          covariances: f64(),
          precChol: f64(),
          converged: bool,
          nIter: int(0),
          lowerBound: num({ allow: 'infinite' }),
        }),
      },
      check(o, at) {
        const { type, k, p, covariances, precChol } = o.state;
        const len = covLength(type, k, p);
        if (covariances.length !== len) fail(`${at}.state.covariances`, `${len} values for covariance type ${type}`, covariances);
        if (precChol.length !== len) fail(`${at}.state.precChol`, `${len} values for covariance type ${type}`, precChol);
      },
      inputs: 'p',
    },
  ],
  [MinCovDet, { fitted: { state: robustCovarianceState }, inputs: 'p' }],
  [EllipticEnvelope, { fitted: { state: robustCovarianceState, offsetValue: num() }, inputs: 'p' }],
  [
    AgglomerativeClustering,
    {
      fitted: {
        state: record({
          rows: dim('n', 2),
          p: dim('p'),
          nClusters: int(1),
          labels: i32({ len: 'n', min: 0 }),
          children: i32({ min: 0 }),
          distances: nullable(f64({ allow: 'infinite' })),
        }),
      },
      check(o, at) {
        const { rows, children, distances } = o.state;
        if (children.length !== 2 * (rows - 1)) fail(`${at}.state.children`, `${2 * (rows - 1)} values (two per merge)`, children);
        for (let i = 0; i < children.length; i++)
          if (children[i] >= rows + (i >> 1)) fail(`${at}.state.children[${i}]`, 'a row or an earlier merge', children[i]);
        if (distances !== null && distances.length !== rows - 1) fail(`${at}.state.distances`, `${rows - 1} merge heights`, distances);
      },
    },
  ],
];
