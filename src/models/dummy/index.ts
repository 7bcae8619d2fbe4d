export { DummyClassifier, DummyRegressor, type DummyClassifierParams, type DummyRegressorParams } from './dummy.js';
