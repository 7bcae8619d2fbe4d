/**
 * The f64 matrix product (the linalg family's dgemm) on the calling thread, for estimators
 * whose steps are synchronous f64 arithmetic (the Gaussian mixture's EM). A process-wide
 * 'webgpu' choice runs it on the CPU (native, else js): the products are f64.
 */
import type { BackendChoice, DgemmArgs } from '../backend/backend.js';
import { resolveCpuBackendSync } from '../backend/select.js';

export type Dgemm = (args: DgemmArgs) => void;

/** The CPU backend's dgemmSync for `choice` (undefined: the process-wide one; webgpu: 'auto'). */
export function cpuDgemm(choice: BackendChoice | undefined, owner: string): Dgemm {
  return resolveCpuBackendSync(choice, owner).linalg.dgemmSync;
}
