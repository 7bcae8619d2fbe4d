/**
 * The `out` option of the array ops (matmul, the elementwise ops): the caller's float32 array that
 * receives the result instead of a fresh one, checked once here. A product may not write where it
 * still reads; an elementwise op may write over an operand exactly (in place: each element is
 * read before its own index is written) but not over part of one, which would be read after it
 * was overwritten.
 */
import { ParamError, ShapeError } from '../core/errors.js';
import { Matrix } from '../core/matrix.js';

export type OutOption = Float32Array | Matrix<Float32Array>;

export function callerOutput(
  out: OutOption,
  rows: number,
  cols: number,
  fn: string,
  operands: { name: string; data: Float32Array }[],
  inPlace: boolean,
): Float32Array {
  const data = out instanceof Matrix ? out.data : out;
  if (!(data instanceof Float32Array)) throw new ParamError(`${fn}: out must be a Float32Array or a float32 Matrix`);
  if (out instanceof Matrix && (out.rows !== rows || out.cols !== cols))
    throw new ShapeError(`${fn}: out is ${out.rows} × ${out.cols} but the result is ${rows} × ${cols}; pass a ${rows} × ${cols} matrix`);
  if (data.length !== rows * cols) throw new ShapeError(`${fn}: out holds ${data.length} values but the result has ${rows} × ${cols} = ${rows * cols}`);
  for (const o of operands) {
    if (!overlaps(data, o.data)) continue;
    if (inPlace && sameRegion(data, o.data)) continue;
    throw new ParamError(
      inPlace
        ? `${fn}: out overlaps part of ${o.name}; pass ${o.name}'s own array (in place) or a separate one`
        : `${fn}: out shares memory with ${o.name}, which the op still reads; pass a separate array`,
    );
  }
  return data;
}

/** The result as a Matrix: the caller's own when out was one. */
export function outputMatrix(out: OutOption | undefined, data: Float32Array, rows: number, cols: number): Matrix<Float32Array> {
  return out instanceof Matrix ? out : new Matrix(data, rows, cols);
}

function overlaps(x: ArrayBufferView, y: ArrayBufferView): boolean {
  return x.buffer === y.buffer && x.byteOffset < y.byteOffset + y.byteLength && y.byteOffset < x.byteOffset + x.byteLength;
}

function sameRegion(x: ArrayBufferView, y: ArrayBufferView): boolean {
  return x.buffer === y.buffer && x.byteOffset === y.byteOffset && x.byteLength === y.byteLength;
}
