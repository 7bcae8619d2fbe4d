/** Fitted-state schemas: the transformers of preprocessing/ (scalers, encoders, text) (the vocabulary in ../fitted-schema.ts; the list in ../fitted-schemas.ts). */
import {
  CountVectorizer,
  DateFeatures,
  FrequencyEncoder,
  FunctionTransformer,
  HashingEncoder,
  KBinsDiscretizer,
  MaxAbsScaler,
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
  TargetEncoder,
  TfidfVectorizer,
  Winsorizer,
} from '../../preprocessing/index.js';
import { absent, category, dim, f64, fail, i32, int, list, mapOf, nullable, num, optional, record, type Spec, str } from '../fitted-schema.js';
import { below, model, type SchemaEntry } from './shared.js';

const affine: Spec = record({ shift: f64({ len: 'p' }), scale: f64({ len: 'p' }) });

const categories = list(list(category, undefined, { unique: true, minLength: 1 }), 'p');

function checkVocabulary(vocab: Map<string, number>, at: string): void {
  const seen = new Uint8Array(vocab.size);
  for (const [term, i] of vocab) {
    if (i >= vocab.size || seen[i]) fail(`${at}.vocab.get(${JSON.stringify(term).slice(0, 40)})`, `a column index used once, below ${vocab.size}`, i);
    seen[i] = 1;
  }
}

/** The fitted state of the transformers of preprocessing/ (scalers, encoders, text). */
export const PREPROCESSING_SCHEMAS: SchemaEntry[] = [
  // ---- scalers and simple transformers
  [
    StandardScaler,
    {
      fitted: { affine, fittedStats: record({ mean: f64({ len: 'p', allow: 'nan' }), variance: f64({ len: 'p', allow: 'nan' }), count: f64({ min: 0 }) }) },
      inputs: 'p',
      outputs: 'p',
    },
  ],
  [
    MinMaxScaler,
    { fitted: { affine, range: record({ min: f64({ len: 'p', allow: 'nan' }), max: f64({ len: 'p', allow: 'nan' }) }) }, inputs: 'p', outputs: 'p' },
  ],
  [MaxAbsScaler, { fitted: { affine, maxAbsRaw: f64({ len: 'p', min: 0, allow: 'nan' }) }, inputs: 'p', outputs: 'p' }],
  [RobustScaler, { fitted: { affine }, inputs: 'p', outputs: 'p' }],
  [
    Winsorizer,
    {
      fitted: { bounds: record({ lo: f64({ len: 'p' }), hi: f64({ len: 'p' }) }) },
      check(o, at) {
        o.bounds.lo.forEach((lo: number, j: number) => {
          if (!(lo <= o.bounds.hi[j])) fail(`${at}.bounds.lo[${j}]`, `<= hi (${o.bounds.hi[j]})`, lo);
        });
      },
      inputs: 'p',
      outputs: 'p',
    },
  ],
  [Normalizer, { fitted: {} }],
  [FunctionTransformer, { fitted: {} }],
  [DateFeatures, { fitted: { nInputs: dim('p') }, inputs: 'p' }],
  [PolynomialFeatures, { fitted: { nInputs: dim('p'), terms: list(list(below('p')), 'out', { minLength: 1 }) }, inputs: 'p', outputs: 'out' }],
  // ±Infinity: the outer edges of a constant column
  [
    KBinsDiscretizer,
    {
      fitted: { edges: list(f64({ sorted: true, allow: 'infinite' }), 'p') },
      check(o, at) {
        o.edges.forEach((e: Float64Array, j: number) => {
          if (e.length < 2) fail(`${at}.edges[${j}]`, 'at least two bin edges', e);
        });
      },
      inputs: 'p',
    },
  ],
  [
    QuantileTransformer,
    {
      fitted: { state: record({ references: f64({ len: 'q', sorted: true }), quantiles: list(f64({ len: 'q', sorted: true }), 'p') }) },
      inputs: 'p',
      outputs: 'p',
    },
  ],
  [PowerTransformer, { fitted: { state: record({ lambdas: f64({ len: 'p' }), scaler: optional(model(StandardScaler)) }) }, inputs: 'p', outputs: 'p' }],
  [
    SimpleImputer,
    {
      fitted: {
        state: optional(
          record({
            cols: dim('p'),
            statistics: f64({ len: 'p', allow: 'nan' }),
            kept: list(below('p'), undefined, { unique: true }),
            indicator: list(below('p'), undefined, { unique: true }),
          }),
        ),
        categorical: optional(
          record({
            cols: dim('p'),
            values: list(nullable(category), 'p'),
            kept: list(below('p'), undefined, { unique: true }),
            indicator: list(below('p'), undefined, { unique: true }),
            names: optional(list(str)),
          }),
        ),
      },
      check(o, at) {
        // a NaN statistic is a column with no observed value: transform fills it with 0
        if (o.state && o.categorical) fail(at, 'fitted on numbers or on categories, not both', 'both');
      },
      inputs: 'p',
      outputs: (o) => {
        const fit = o.state ?? o.categorical;
        return fit ? fit.kept.length + (o.current.addIndicator ? fit.indicator.length : 0) : undefined;
      },
    },
  ],
  // ---- encoders, text
  [OrdinalEncoder, { fitted: { cats: categories }, inputs: 'p', outputs: 'p' }],
  [HashingEncoder, { fitted: { cats: categories }, inputs: 'p' }],
  [
    OneHotEncoder,
    {
      fitted: { cats: categories, layouts: list(record({ pos: i32({ min: -1 }), infrequentPos: int(-1), width: int(0), infrequent: list(category) }), 'p') },
      check(o, at) {
        o.layouts.forEach((l: { pos: Int32Array; infrequentPos: number; width: number }, j: number) => {
          if (l.pos.length !== o.cats[j].length) fail(`${at}.layouts[${j}].pos`, `one position per category (${o.cats[j].length})`, l.pos);
          if (l.pos.some((x) => x >= l.width) || l.infrequentPos >= l.width) fail(`${at}.layouts[${j}]`, `positions below its width ${l.width}`, l.pos);
        });
      },
      inputs: 'p',
      outputs: (o) => o.layouts?.reduce((s: number, l: { width: number }) => s + l.width, 0),
    },
  ],
  [FrequencyEncoder, { fitted: { cats: categories, counts: list(mapOf(category, int(0)), 'p'), n: int(0) }, inputs: 'p', outputs: 'p' }],
  [
    TargetEncoder,
    {
      fitted: { cats: categories, encoding: record({ maps: list(mapOf(category, num()), 'p'), mean: num() }) },
      always: { onLearn: absent },
      inputs: 'p',
      outputs: 'p',
    },
  ],
  [CountVectorizer, { fitted: { vocab: mapOf(str, int(0), 'v') }, check: (o, at) => checkVocabulary(o.vocab, at), outputs: 'v' }],
  [
    TfidfVectorizer,
    { fitted: { vocab: mapOf(str, int(0), 'v'), idfValues: f64({ len: 'v', min: 0 }) }, check: (o, at) => checkVocabulary(o.vocab, at), outputs: 'v' },
  ],
];
