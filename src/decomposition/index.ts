/** Dimensionality reduction: PCA, IncrementalPCA, TruncatedSVD, LinearDiscriminantAnalysis. */
export { PCA, pcaAutoSolver, type PCAParams } from './pca.js';
export { TruncatedSVD, type TruncatedSVDParams } from './truncated-svd.js';
