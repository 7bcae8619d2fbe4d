export { Pipeline, type PipelineStep } from './pipeline.js';
export { ColumnTransformer, type ColumnSpec, type ColumnTransformerOptions } from './column-transformer.js';
export type { FinalStep, StepOutput, TableInput, TransformerStep } from './steps.js';
export { cloneDeep as clone, deepParams, setParamPaths } from './params-path.js';
export { CalibratedClassifierCV, type CalibratedClassifierCVParams } from './calibration.js';
