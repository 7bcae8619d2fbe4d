/**
 * Sparse input for models that compute on dense rows (linear models' solvers, naive Bayes,
 * k-NN): a CsrMatrix is densified, within a memory bound, so a TF-IDF or one-hot CSR output
 * can feed them directly (scikit-learn accepts sparse input for these models).
 */
import { CsrMatrix } from './csr.js';
import { KilnError } from './errors.js';
import { toMatrix, type Matrix, type MatrixLike } from './matrix.js';
import { firstNonFinite } from './validate.js';

/** Dense or CSR input. */
export type MatrixOrSparse = MatrixLike | CsrMatrix;

/** At most this many cells are densified from a CsrMatrix (2^27 f64 = 1 GiB). */
export const DENSIFY_MAX_CELLS = 2 ** 27;

/** A dense Matrix from dense input, or from a CsrMatrix densified within DENSIFY_MAX_CELLS. */
export function toDenseMatrix(X: MatrixOrSparse, name: string): Matrix {
  if (!(X instanceof CsrMatrix)) return toMatrix(X, name);
  const cells = X.rows * X.cols;
  if (cells > DENSIFY_MAX_CELLS) {
    throw new KilnError(
      'E_ALLOC',
      `${name} is a sparse ${X.rows} × ${X.cols} matrix; this model needs it dense, ` +
        `${((cells * 8) / 2 ** 30).toFixed(1)} GiB, over the ${(DENSIFY_MAX_CELLS * 8) / 2 ** 30} GiB limit; ` +
        'reduce the features (maxFeatures on the vectorizer, nFeatures on HashingEncoder) or pass fewer rows at a time',
    );
  }
  return X.toDense();
}

/** Index of the first NaN or ±Infinity among a CsrMatrix's stored values, as a row/column message, or null. */
export function sparseNonFinite(X: CsrMatrix): string | null {
  const k = firstNonFinite(X.data);
  if (k < 0) return null;
  let r = 0;
  while (X.indptr[r + 1] <= k) r++;
  return `${X.data[k]} at row ${r}, column ${X.indices[k]}`;
}
