export { accuracyScore, type Label } from './classification.js';
export { r2Score } from './regression.js';
