/** Backend names, the choice a caller makes, and what `backends()` reports. */
import { oneOf } from '../../core/params.js';

export type BackendName = 'native' | 'webgpu' | 'js';
export type BackendChoice = BackendName | 'auto';
export const BACKEND_NAMES: readonly BackendName[] = ['native', 'webgpu', 'js'];

/** An estimator's `backend` parameter: 'auto' or a backend name (wrap in optional() where undefined means setBackend's choice). */
export const BACKEND_CHOICE = oneOf('auto', ...BACKEND_NAMES);

export interface BackendInfo {
  name: BackendName;
  available: boolean;
  /** What runs it: CPU features and threads, the GPU adapter, ... */
  description: string;
  /** Why it is unavailable, and how to fix that. */
  reason?: string;
  /** webgpu only: true for a hardware adapter, false for a CPU one such as lavapipe. */
  hardware?: boolean;
}
