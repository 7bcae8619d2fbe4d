export * from './backend.js';
export { backends, dispose, getBackend, resolveBackend, resolveBackendSync, setBackend, setThreads, AUTO_GPU_MIN_WORK } from './select.js';
export { GpuMatrix } from './webgpu/gpu-matrix.js';
