/** Clustering and anomaly detection (scikit-learn's sklearn.cluster and outlier detectors). */
export { KMeans } from './kmeans.js';
export type { KMeansInit, KMeansParams } from './kmeans-params.js';
export { MiniBatchKMeans, type MiniBatchKMeansParams } from './minibatch-kmeans.js';
export type { KMeansFitOptions } from './centroid-base.js';
export { DBSCAN, type DBSCANParams } from './dbscan.js';
export { LocalOutlierFactor, type LocalOutlierFactorParams } from './local-outlier-factor.js';
export { IsolationForest, type IsolationForestParams } from './isolation-forest.js';
export { EllipticEnvelope, type EllipticEnvelopeParams, MinCovDet, type MinCovDetParams } from './min-cov-det.js';
export { AgglomerativeClustering, type AgglomerativeClusteringParams, type Linkage, type LinkageMetric } from './agglomerative.js';
export { GaussianMixture, type GaussianMixtureParams, type CovarianceType, type PrecisionsInit } from './gaussian-mixture.js';
export { HDBSCAN, type HDBSCANParams } from './hdbscan.js';
