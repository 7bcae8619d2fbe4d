/** Interoperability: kiln models out to ONNX, and XGBoost / LightGBM models in. */
export { toOnnx } from './onnx/export.js';
export type { OnnxOptions } from './onnx/graph.js';
export { fromXGBoost } from './xgboost.js';
export { fromLightGBM } from './lightgbm.js';
export { fromOnnx } from './onnx/import.js';
export { fromMlflow, readMlflow, registerMlflow, toMlflow, type MlflowOptions } from './mlflow.js';
