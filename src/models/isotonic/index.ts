export { IsotonicRegression, type IsotonicRegressionParams } from './isotonic-regression.js';
