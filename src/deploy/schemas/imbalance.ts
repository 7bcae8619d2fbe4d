/** Fitted-state schemas: the resamplers and the balanced forest of imbalance/ (the vocabulary in ../fitted-schema.ts; the list in ../fitted-schemas.ts). */
import {
  BalancedRandomForestClassifier,
  EditedNearestNeighbours,
  RandomOverSampler,
  RandomUnderSampler,
  SMOTE,
  SMOTEENN,
  SMOTETomek,
  TomekLinks,
} from '../../imbalance/index.js';
import { anything, record, rule } from '../fitted-schema.js';
import { forestClassifier, model, type SchemaEntry } from './shared.js';

/** Resamplers hold their parameters only (they fit nothing they keep); the balanced forest is a forest. */
export const IMBALANCE_SCHEMAS: SchemaEntry[] = [
  [RandomOverSampler, { fitted: {}, always: { samplingStrategy: anything, randomState: anything, over: rule('true', (v) => v === true) } }],
  [RandomUnderSampler, { fitted: {}, always: { samplingStrategy: anything, randomState: anything, over: rule('false', (v) => v === false) } }],
  [SMOTE, { fitted: {}, always: { opts: anything } }],
  [TomekLinks, { fitted: {}, always: { opts: anything } }],
  [EditedNearestNeighbours, { fitted: {}, always: { opts: anything } }],
  [SMOTETomek, { fitted: {}, always: { opts: record({ smote: model(SMOTE), tomek: model(TomekLinks) }) } }],
  [SMOTEENN, { fitted: {}, always: { opts: record({ smote: model(SMOTE), enn: model(EditedNearestNeighbours) }) } }],
  [BalancedRandomForestClassifier, forestClassifier],
];
