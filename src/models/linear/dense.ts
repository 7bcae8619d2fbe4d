/** Small dense f64 linear algebra for the p × p systems of the linear models (row-major). */

/** The lower Cholesky factor L (A = L Lᵀ, row-major p × p) of a symmetric matrix; null if A is not positive definite. */
export function cholesky(A: ArrayLike<number>, p: number): Float64Array | null {
  const L = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * p + j];
      for (let k = 0; k < j; k++) s -= L[i * p + k] * L[j * p + k];
      if (i === j) {
        if (!(s > 0)) return null;
        L[i * p + i] = Math.sqrt(s);
      } else {
        L[i * p + j] = s / L[j * p + j];
      }
    }
  }
  return L;
}

/** The inverse of a lower-triangular p × p matrix (itself lower triangular). */
export function invertLower(L: ArrayLike<number>, p: number): Float64Array {
  const M = new Float64Array(p * p);
  for (let c = 0; c < p; c++) {
    for (let i = c; i < p; i++) {
      let s = i === c ? 1 : 0;
      for (let k = c; k < i; k++) s -= L[i * p + k] * M[k * p + c];
      M[i * p + c] = s / L[i * p + i];
    }
  }
  return M;
}

/** Solves A X = B for symmetric positive definite A (p × p) and B (p × t); null if A is not PD. */
export function choleskySolve(A: Float64Array, B: Float64Array, p: number, t: number): Float64Array | null {
  const L = cholesky(A, p);
  if (L === null) return null;
  const X = Float64Array.from(B);
  for (let c = 0; c < t; c++) {
    for (let i = 0; i < p; i++) {
      let s = X[i * t + c];
      for (let k = 0; k < i; k++) s -= L[i * p + k] * X[k * t + c];
      X[i * t + c] = s / L[i * p + i];
    }
    for (let i = p - 1; i >= 0; i--) {
      let s = X[i * t + c];
      for (let k = i + 1; k < p; k++) s -= L[k * p + i] * X[k * t + c];
      X[i * t + c] = s / L[i * p + i];
    }
  }
  return X;
}

/** Eigenvalues and orthonormal eigenvectors (columns of V) of a symmetric matrix, by cyclic Jacobi. */
export function symmetricEigen(A: Float64Array, p: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(A);
  const v = new Float64Array(p * p);
  for (let i = 0; i < p; i++) v[i * p + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0,
      diag = 0;
    for (let i = 0; i < p; i++) {
      diag += a[i * p + i] ** 2;
      for (let j = i + 1; j < p; j++) off += a[i * p + j] ** 2;
    }
    if (off <= 1e-30 * diag || off === 0) break;
    for (let i = 0; i < p; i++) {
      for (let j = i + 1; j < p; j++) {
        const aij = a[i * p + j];
        if (aij === 0) continue;
        const theta = (a[j * p + j] - a[i * p + i]) / (2 * aij);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1),
          s = t * c;
        for (let k = 0; k < p; k++) {
          const aki = a[k * p + i],
            akj = a[k * p + j];
          a[k * p + i] = c * aki - s * akj;
          a[k * p + j] = s * aki + c * akj;
        }
        for (let k = 0; k < p; k++) {
          const aik = a[i * p + k],
            ajk = a[j * p + k];
          a[i * p + k] = c * aik - s * ajk;
          a[j * p + k] = s * aik + c * ajk;
        }
        for (let k = 0; k < p; k++) {
          const vki = v[k * p + i],
            vkj = v[k * p + j];
          v[k * p + i] = c * vki - s * vkj;
          v[k * p + j] = s * vki + c * vkj;
        }
      }
    }
  }
  return { values: Float64Array.from({ length: p }, (_, i) => a[i * p + i]), vectors: v };
}

/**
 * Minimum-norm least-squares solution from the normal equations G X = B (G = XᵀX):
 * like LAPACK's gelsd, directions whose singular value is below rcond × the largest
 * are dropped (on eigenvalues of G: λ ≤ (rcond · σmax)²). Returns X and the rank.
 */
export function pseudoInverseSolve(G: Float64Array, B: Float64Array, p: number, t: number, rcond: number): { x: Float64Array; rank: number } {
  const { values, vectors } = symmetricEigen(G, p);
  const lmax = Math.max(0, ...values);
  const cut = rcond * rcond * lmax;
  const x = new Float64Array(p * t);
  let rank = 0;
  for (let e = 0; e < p; e++) {
    if (!(values[e] > cut) || values[e] <= 0) continue;
    rank++;
    for (let c = 0; c < t; c++) {
      let proj = 0;
      for (let i = 0; i < p; i++) proj += vectors[i * p + e] * B[i * t + c];
      proj /= values[e];
      for (let i = 0; i < p; i++) x[i * t + c] += vectors[i * p + e] * proj;
    }
  }
  return { x, rank };
}
