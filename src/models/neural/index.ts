export { MLPClassifier, MLPRegressor, type FitOptions, type MLPParams } from './mlp.js';
