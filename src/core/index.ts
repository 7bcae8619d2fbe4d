// The public part of core. Internals (option and value checks, the container codec,
// fromNativeError, the backend's scanner hook) are imported by src from their own modules.
export {
  BackendLimitError,
  BackendUnavailableError,
  DataFormatError,
  DeviceLostError,
  DTypeError,
  EmptyInputError,
  IoError,
  KilnError,
  LengthError,
  ModelFormatError,
  NonFiniteError,
  NotFittedError,
  NotFoundError,
  ParamError,
  RegistryError,
  SampleSizeError,
  ShapeError,
  UnknownBackendError,
  UnsupportedError,
  WorkerError,
  type KilnErrorCode,
} from './errors.js';
export { Matrix, toMatrix, type DType, type FloatArray, type MatrixLike, type RowLike, type SyncRows } from './matrix.js';
export { Rng } from './prng.js';
export { Estimator, type CallOptions, type WeightedFitOptions } from './estimator.js';
export { predictStream, type PredictedBatch, type PredictStreamOptions } from './predict-stream.js';
export { paramSpec, type ListOptions, type NumOptions, type ParamSpec, type ParamSpecs } from './params.js';
export { CsrMatrix } from './csr.js';
