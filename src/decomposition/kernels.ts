/**
 * The kernels a decomposition runs on, for one call: the GEMM of the backend chosen (webgpu
 * included: the large products over the rows go there), and the CPU families next to it — the
 * linalg factorisations (eigen, QR), the f64 centred Gram of the linear family and the column
 * statistics — which stay on native (or js) when webgpu is chosen: their matrices are p × p.
 * On the CPU backends the products over the rows run on the linalg family's f64 dgemm instead
 * of the f32 GEMM (f32 data is widened as it is read: no centred copy, f64 sums).
 */
import type { BackendChoice, BackendName, GemmKernels, LinalgKernels, LinearKernels } from '../backend/backend.js';
import { getBackend, resolveKernels } from '../backend/select.js';

export interface DecompKernels {
  gemm: GemmKernels;
  /** The backend running `gemm`: 'webgpu' keeps the products over the rows on the device's f32 GEMM. */
  gemmBackend: BackendName;
  linalg: LinalgKernels;
  linear: LinearKernels;
  /** The CPU backend choice for the f64 column statistics (means, variances). */
  cpu: BackendChoice;
}

export async function decompKernels(choice: BackendChoice | undefined, work: number, owner: string): Promise<DecompKernels> {
  const chosen = choice ?? getBackend();
  const cpu: BackendChoice = chosen === 'webgpu' ? 'auto' : chosen;
  const gemm = await resolveKernels('gemm', chosen, work, owner);
  const [linalg, linear] = await Promise.all([resolveKernels('linalg', cpu, 1, owner), resolveKernels('linear', cpu, work, owner)]);
  return { gemm: gemm.kernels, gemmBackend: gemm.backend, linalg: linalg.kernels, linear: linear.kernels, cpu: linear.backend };
}
