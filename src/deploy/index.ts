/** Deployment: model files, model cards, the registry and the HTTP server (heavy dependencies load lazily). */
export { checkModelBytes, decodeModel, encodeModel, load, loadModel, loadWithManifest, readManifest, save, saveModel } from './model-file.js';
export { MODEL_FORMAT, MODEL_FORMAT_VERSION, type CardText, type Lineage, type ModelManifest, type ModelMeta } from './manifest.js';
export { fromPlain, toPlain } from './plain.js';
export { modelCard, type ModelCardOptions } from './model-card.js';
export { dataFingerprint } from './fingerprint.js';
export * from './registry/index.js';
export * from './server/index.js';
