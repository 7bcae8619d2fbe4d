export * from './backend.js';
export { backends, dispose, getBackend, resolveBackend, resolveBackendSync, setBackend, setThreads, AUTO_GPU_MIN_WORK } from './select.js';
export { getThreads, onKernelEvent, resetWebgpuPeak, webgpuCounters, type KernelEvent } from './select.js';
export type { DeviceCounters } from './webgpu/counters.js';
export { GpuMatrix } from './webgpu/gpu-matrix.js';
