export { TreeEnsemble, type TreeEnsembleJSON } from './ensemble.js';
export { DecisionTreeClassifier, DecisionTreeRegressor, type DecisionTreeClassifierParams } from './decision-tree.js';
export type { ForestClassifierParams, ForestParams, MaxFeatures, TreeParams } from './forest-base.js';
