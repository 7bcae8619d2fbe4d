export { Pipeline, type PipelineStep } from './pipeline.js';
export { ColumnTransformer, type ColumnSpec, type ColumnTransformerOptions } from './column-transformer.js';
export type { FinalStep, TableInput, TransformerStep } from './steps.js';
