/** Deployment: model files, model cards, the registry and the HTTP server (heavy dependencies load lazily). */
export {};
export * from './server/index.js';
