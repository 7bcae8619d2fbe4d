export { RandomOverSampler, RandomUnderSampler, type SamplerOptions } from './random-samplers.js';
export { computeClassWeight, type ClassWeight } from '../models/common/class-weight.js';
export { SMOTE, type SmoteOptions } from './smote.js';
