/** The gemm family: single-precision matrix multiply. Every backend runs it. */

/** C = alpha · op(A) · op(B) + beta · C over row-major f32; op(A) is m×k, op(B) is k×n. */
export interface SgemmArgs {
  transA: boolean; // A is stored k×m
  transB: boolean; // B is stored n×k
  m: number;
  n: number;
  k: number;
  alpha: number;
  a: Float32Array;
  b: Float32Array;
  beta: number; // 0 overwrites C, so NaN already in C does not propagate
  c: Float32Array; // m×n, read when beta ≠ 0, always written
}

export interface GemmKernels {
  sgemm(args: SgemmArgs): Promise<void>;
}

/** CPU backends also run it on the calling thread. */
export interface GemmSyncKernels extends GemmKernels {
  sgemmSync(args: SgemmArgs): void;
}
