/** Fitted-state schemas: feature selection and hyperparameter searches (selection/) (the vocabulary in ../fitted-schema.ts; the list in ../fitted-schemas.ts). */
import {
  DropCorrelatedFeatures,
  GridSearchCV,
  HalvingGridSearchCV,
  HalvingRandomSearchCV,
  RandomizedSearchCV,
  RFE,
  RFECV,
  SelectFdr,
  SelectFpr,
  SelectFromModel,
  SelectFwe,
  SelectKBest,
  SelectPercentile,
  SequentialFeatureSelector,
  VarianceThreshold,
} from '../../selection/index.js';
import { f64, fail, type Fields, i32, int, list, nullable, num, record, rule, typed } from '../fitted-schema.js';
import { below, checkSearch, model, search, searchFields, type ModelSchema, type SchemaEntry } from './shared.js';

/** A feature selector: its 0/1 support mask over the p input columns (at least one kept), plus its own fields. */
function selector(fields: Fields): ModelSchema {
  return {
    fitted: { support: typed(Uint8Array, { len: 'p', below: 2 }), ...fields },
    check(o, at) {
      if (!o.support.some((v: number) => v === 1)) fail(`${at}.support`, 'at least one kept column', o.support);
    },
    inputs: 'p',
    outputs: (o) => o.support?.reduce((a: number, v: number) => a + v, 0),
  };
}

// scores may be NaN (a constant feature), ±Infinity, or the largest float (fRegression's forceFinite)
const anyFloats = rule('a Float64Array of scores, one per column', (v, _at, d) => v instanceof Float64Array && v.length === d.get('p'));

const halving: ModelSchema = {
  fitted: {
    ...searchFields,
    scheduleFit: record({
      nResources: list(int(1), undefined, { minLength: 1 }),
      nCandidates: list(int(1), undefined, { minLength: 1 }),
      nIterations: int(1),
      nPossibleIterations: int(1),
      nRequiredIterations: int(1),
      minResources: int(1),
      maxResources: int(1),
    }),
    nRemainingFit: int(1),
  },
  check: checkSearch,
};

const univariateSelector = selector({ scoresFit: anyFloats, pvaluesFit: nullable(f64({ len: 'p', allow: 'nan' })) });

/** The fitted state of feature selection and hyperparameter searches (selection/). */
export const SELECTION_SCHEMAS: SchemaEntry[] = [
  // ---- feature selection (selection/): a 0/1 mask over the input columns and what chose it
  [VarianceThreshold, selector({ variancesFit: f64({ len: 'p', allow: 'nan' }) })],
  [SelectKBest, univariateSelector],
  [SelectPercentile, univariateSelector],
  [SelectFpr, univariateSelector],
  [SelectFdr, univariateSelector],
  [SelectFwe, univariateSelector],
  [
    DropCorrelatedFeatures,
    selector({
      relevanceFit: nullable(f64({ len: 'p', allow: 'nan' })),
      pairsFit: list(record({ a: below('p'), b: below('p'), correlation: num() })),
    }),
  ],
  [SelectFromModel, selector({ estimatorFit: model(), thresholdFit: num({ allow: 'infinite' }), importancesFit: f64({ len: 'p', allow: 'nan' }) })],
  [RFE, selector({ rankingFit: i32({ len: 'p', min: 1 }), estimatorFit: model() })],
  [
    RFECV,
    selector({
      rankingFit: i32({ len: 'p', min: 1 }),
      estimatorFit: model(),
      resultsFit: record({
        meanTestScore: f64({ len: 'stages', allow: 'nan' }),
        stdTestScore: f64({ len: 'stages', allow: 'nan' }),
        splitTestScores: list(f64({ len: 'stages', allow: 'nan' })),
        nFeatures: i32({ len: 'stages', min: 1 }),
      }),
    }),
  ],
  [SequentialFeatureSelector, selector({ nSelected: int(1) })],
  // ---- hyperparameter search (selection/search/)
  [GridSearchCV, search],
  [RandomizedSearchCV, search],
  [HalvingGridSearchCV, halving],
  [HalvingRandomSearchCV, halving],
];
