export * from './errors.js';
export { Matrix, toMatrix, type DType, type FloatArray, type MatrixLike } from './matrix.js';
export { Rng } from './prng.js';
export { boolOption, checkOptions, finiteOption, firstNonFinite, requireFinite, requireNonEmpty, setNonFiniteScanner } from './validate.js';
export { Estimator } from './estimator.js';
export { decodeContainer, encodeContainer } from './container.js';
export { CsrMatrix } from './csr.js';
