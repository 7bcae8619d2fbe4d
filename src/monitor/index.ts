export { PredictionLog, type LoggedPrediction, type PredictionLogOptions, type PredictionLogStats, type PredictionRecord } from './prediction-log.js';
