export { MLPClassifier, MLPRegressor, type FitOptions } from './mlp.js';
export type { MLPParams } from './mlp-params.js';
