export { GaussianNB, type GaussianNBParams } from './gaussian-nb.js';
