/** The HTTP model server. */
export { createServer, type KilnServer } from './server.js';
export { serve, type RunningServer, type ServeOptions } from './serve.js';
export type { ListenOptions, LogOptions, ServerOptions } from './options.js';
export type { RetrainOptions, RetrainReason, RetrainTrigger } from './retrain-trigger.js';
export type { ModelSource, Predictor, ServedModel, SourceState, Variant } from './types.js';
export { staticSource, type StaticSource } from './static-source.js';
export { registrySource, type ModelLoader, type RegistryLike, type RegistrySourceOptions, type RegistryVersion } from './registry-source.js';
export { HttpError, type ServerErrorCode } from './errors.js';
export { kilnPlugin, type KilnPluginOptions } from './plugin.js';
export { kilnMiddleware, type KilnMiddleware } from './middleware.js';
export { openApiDocument } from './openapi.js';
