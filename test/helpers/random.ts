import { Matrix, type Rng } from '../../src/index.js';

/** A rows × cols float32 matrix of uniform values in [-1, 1), seeded. */
export function randomMatrix(rng: Rng, rows: number, cols: number): Matrix<Float32Array> {
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = rng.random() * 2 - 1;
  return new Matrix(data, rows, cols);
}

/** A dimension drawn from 1..max, biased towards awkward sizes around tile edges. */
export function randomDim(rng: Rng, max: number): number {
  const edges = [1, 2, 3, 7, 15, 16, 17, 31, 63, 64, 65, 127, 129, 255, 257];
  return rng.random() < 0.4 ? edges[rng.int(edges.length)] : 1 + rng.int(max);
}
