export { RandomOverSampler, RandomUnderSampler, type SamplerOptions } from './random-samplers.js';
export { computeClassWeight, type ClassWeight } from '../models/common/class-weight.js';
export { SMOTE, type SmoteOptions } from './smote.js';
export {
  EditedNearestNeighbours,
  TomekLinks,
  type CleaningStrategy,
  type EditedNearestNeighboursOptions,
  type TomekLinksOptions,
} from './cleaning.js';
export { SMOTEENN, SMOTETomek, type SMOTEENNOptions, type SMOTETomekOptions } from './combine.js';
export { BalancedRandomForestClassifier, type BalancedRandomForestClassifierParams } from './balanced-forest.js';
