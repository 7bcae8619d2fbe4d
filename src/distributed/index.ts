/** Running kiln's work elsewhere: worker threads on this machine, BullMQ workers on many. */
export { workerPool, type WorkerPool, type WorkerPoolOptions } from './worker-pool.js';
