/**
 * Random forests (scikit-learn's RandomForestClassifier / RandomForestRegressor): trees grown on
 * bootstrap samples with per-split feature sampling (max_features), averaged.
 */
import {
  BaseForestClassifier, BaseForestRegressor, TREE_DEFAULTS, type ForestClassifierParams, type ForestParams,
} from '../tree/forest-base.js';

const FOREST_DEFAULTS = { ...TREE_DEFAULTS, nEstimators: 100, bootstrap: true, maxSamples: null };

export class RandomForestClassifier extends BaseForestClassifier<ForestClassifierParams> {
  constructor(params: Partial<ForestClassifierParams> = {}) {
    super({ ...FOREST_DEFAULTS, maxFeatures: 'sqrt', classWeight: null }, params);
  }
}

export class RandomForestRegressor extends BaseForestRegressor<ForestParams> {
  constructor(params: Partial<ForestParams> = {}) {
    super({ ...FOREST_DEFAULTS, maxFeatures: 1 }, params);
  }
}
