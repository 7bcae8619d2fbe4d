export { GaussianNB, type GaussianNBParams } from './gaussian-nb.js';
export { MultinomialNB, type MultinomialNBParams } from './multinomial-nb.js';
