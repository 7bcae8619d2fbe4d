/** Dimensionality reduction: PCA, IncrementalPCA, TruncatedSVD, LinearDiscriminantAnalysis, TSNE. */
export { PCA, type PCAParams } from './pca.js';
export { TruncatedSVD, type TruncatedSVDParams } from './truncated-svd.js';
export { IncrementalPCA, type IncrementalPCAParams } from './incremental-pca.js';
export { LinearDiscriminantAnalysis, type LinearDiscriminantAnalysisParams } from './lda.js';
export { TSNE, type TSNEParams } from './tsne.js';
