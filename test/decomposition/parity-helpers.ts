/** Sign alignment of decomposition fixtures (README "Sign ambiguity"): s_k from components_ row k. */
import type { Fixture } from '../helpers/fixtures.js';

/** Signs that align each actual row with the expected row of the same index. */
export function rowSigns(actual: Float64Array, expected: number[][], p: number): number[] {
  return expected.map((row, k) => {
    let dot = 0;
    for (let c = 0; c < p; c++) dot += actual[k * p + c] * row[c];
    return dot < 0 ? -1 : 1;
  });
}

/** A row-major matrix with row k multiplied by signs[k]. */
export function flipRows(data: Float64Array, cols: number, signs: number[]): Float64Array {
  return data.map((v, i) => v * signs[Math.floor(i / cols)]);
}

/** A row-major matrix with column k multiplied by signs[k]. */
export function flipCols(data: Float64Array, cols: number, signs: number[]): Float64Array {
  return data.map((v, i) => v * signs[i % cols]);
}

export function fixtureX(f: Fixture): { X: number[][]; Xtest: number[][] } {
  return { X: f.input.X, Xtest: f.input.X_test };
}
