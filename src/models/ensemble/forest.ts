/**
 * Random forests (scikit-learn's RandomForestClassifier / RandomForestRegressor): trees grown on
 * bootstrap samples with per-split feature sampling (max_features), averaged. Extremely
 * randomised trees (ExtraTreesClassifier / ExtraTreesRegressor): the same, on all rows by default,
 * each split the best of one random threshold per drawn feature (a bin drawn between the node's
 * lowest and highest bins of the feature, seeded: the same draw on every backend).
 */
import type { ParamSpecs } from '../../core/params.js';
import {
  BaseForestClassifier,
  BaseForestRegressor,
  FOREST_CLASSIFIER_SPECS,
  FOREST_SPECS,
  TREE_DEFAULTS,
  type ForestClassifierParams,
  type ForestParams,
} from '../tree/forest-base.js';

const FOREST_DEFAULTS = { ...TREE_DEFAULTS, nEstimators: 100, bootstrap: true, maxSamples: null };

export class RandomForestClassifier extends BaseForestClassifier<ForestClassifierParams> {
  constructor(params: Partial<ForestClassifierParams> = {}) {
    super({ ...FOREST_DEFAULTS, maxFeatures: 'sqrt', classWeight: null }, params);
  }

  protected get paramSpecs(): ParamSpecs<ForestClassifierParams> {
    return FOREST_CLASSIFIER_SPECS;
  }
}

export class RandomForestRegressor extends BaseForestRegressor<ForestParams> {
  constructor(params: Partial<ForestParams> = {}) {
    super({ ...FOREST_DEFAULTS, maxFeatures: 1 }, params);
  }

  protected get paramSpecs(): ParamSpecs<ForestParams> {
    return FOREST_SPECS;
  }
}

const EXTRA_DEFAULTS = { ...FOREST_DEFAULTS, bootstrap: false };

export class ExtraTreesClassifier extends BaseForestClassifier<ForestClassifierParams> {
  constructor(params: Partial<ForestClassifierParams> = {}) {
    super({ ...EXTRA_DEFAULTS, maxFeatures: 'sqrt', classWeight: null }, params);
  }

  protected get paramSpecs(): ParamSpecs<ForestClassifierParams> {
    return FOREST_CLASSIFIER_SPECS;
  }

  protected override get randomThresholds(): boolean {
    return true;
  }
}

export class ExtraTreesRegressor extends BaseForestRegressor<ForestParams> {
  constructor(params: Partial<ForestParams> = {}) {
    super({ ...EXTRA_DEFAULTS, maxFeatures: 1 }, params);
  }

  protected get paramSpecs(): ParamSpecs<ForestParams> {
    return FOREST_SPECS;
  }

  protected override get randomThresholds(): boolean {
    return true;
  }
}
