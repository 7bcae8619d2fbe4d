/** Running kiln's work elsewhere: worker threads on this machine, BullMQ workers on many. */
export { workerPool, type WorkerPool, type WorkerPoolOptions } from './worker-pool.js';
export { directoryStore, type DataStore, type DirectoryStoreOptions } from './store.js';
export { bullmqExecutor, type BullmqExecutor, type BullmqExecutorOptions } from './bullmq-executor.js';
export { startKilnWorker, type KilnWorker, type KilnWorkerOptions } from './kiln-worker.js';
export type { RedisConnection, RedisOptions } from './redis.js';
