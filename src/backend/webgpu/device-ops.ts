/**
 * The device family on webgpu (contract/device.ts): ops on device-resident matrices whose
 * inputs and outputs stay on the GPU.
 */
import { ParamError, ShapeError } from '../../core/errors.js';
import type { Matrix } from '../../core/matrix.js';
import type { DeviceGemmOptions, DeviceKernels, DeviceOperand } from '../contract/device.js';
import type { BinaryOp, UnaryOp } from '../contract/elementwise.js';
import type { RawColumnStats } from '../contract/reduce.js';
import type { WebGpuBackend } from './backend.js';
import { mergeBlockPartials } from './reduce.js';
import { GpuMatrix } from './gpu-matrix.js';
import * as kern from './kernels.js';
import type { GpuRunner } from './runner.js';

interface Bound {
  buffer: GPUBuffer;
  rows: number;
  cols: number;
  temporary: boolean;
}

/** The runner all GpuMatrix operands share (a host-only call uses the backend's current one). */
async function runnerFor(backend: WebGpuBackend, operands: DeviceOperand[]): Promise<GpuRunner> {
  let runner: GpuRunner | undefined;
  for (const o of operands) {
    if (!(o instanceof GpuMatrix)) continue;
    o.buffer; // throws if disposed or lost
    if (runner && o.runner !== runner) throw new ParamError('GpuMatrix operands live on different GPU devices');
    runner = o.runner;
  }
  return runner ?? backend.runner();
}

function bind(r: GpuRunner, o: DeviceOperand): Bound {
  if (o instanceof GpuMatrix) return { buffer: o.buffer, rows: o.rows, cols: o.cols, temporary: false };
  if (typeof o === 'number') return { buffer: r.upload('scalar', new Float32Array([o])), rows: 1, cols: 1, temporary: true };
  const data = o.data instanceof Float32Array ? o.data : Float32Array.from(o.data);
  return { buffer: r.upload('operand', data), rows: o.rows, cols: o.cols, temporary: true };
}

/** Runs `body` inside the device's error scopes, releasing temporary uploads afterwards. */
async function withOperands<T>(
  backend: WebGpuBackend,
  what: string,
  operands: DeviceOperand[],
  body: (r: GpuRunner, bound: Bound[]) => T | Promise<T>,
): Promise<T> {
  const r = await runnerFor(backend, operands);
  const bound: Bound[] = [];
  try {
    return await r.ctx.guarded(what, () => {
      for (const o of operands) bound.push(bind(r, o));
      return body(r, bound);
    });
  } finally {
    for (const b of bound) if (b.temporary) r.release(b.buffer);
  }
}

function gemm(
  backend: WebGpuBackend,
  a: DeviceOperand,
  b: DeviceOperand,
  c: DeviceOperand | undefined,
  s: DeviceGemmOptions & { m: number; n: number; k: number },
): Promise<GpuMatrix> {
  return withOperands(backend, 'matmul', c === undefined ? [a, b] : [a, b, c], (r, [A, B, C]) => {
    const out = r.alloc('matmul output', s.m * s.n * 4);
    if (C) {
      const enc = r.device.createCommandEncoder();
      enc.copyBufferToBuffer(C.buffer, 0, out, 0, s.m * s.n * 4);
      r.device.queue.submit([enc.finish()]);
    }
    kern.sgemm(r, { ...s, beta: C ? s.beta : 0 }, A.buffer, B.buffer, out);
    return new GpuMatrix(r, out, s.m, s.n);
  });
}

function binary(backend: WebGpuBackend, op: BinaryOp, a: DeviceOperand, b: DeviceOperand): Promise<GpuMatrix> {
  return withOperands(backend, op, [a, b], (r, [A, B]) => {
    const fits = (x: number, y: number) => x === y || x === 1 || y === 1;
    if (!fits(A.rows, B.rows) || !fits(A.cols, B.cols)) {
      throw new ShapeError(`${op}: a is ${A.rows} × ${A.cols} and b is ${B.rows} × ${B.cols}; each dimension must match or be 1 on one side`);
    }
    const out = kern.binary(r, op, A.buffer, A, B.buffer, B);
    return new GpuMatrix(r, out, Math.max(A.rows, B.rows), Math.max(A.cols, B.cols));
  });
}

function unary(backend: WebGpuBackend, op: UnaryOp, x: DeviceOperand, p0: number, p1: number): Promise<GpuMatrix> {
  return withOperands(backend, op, [x], (r, [X]) => new GpuMatrix(r, kern.unary(r, op, X.buffer, X.rows * X.cols, p0, p1), X.rows, X.cols));
}

function softmax(backend: WebGpuBackend, x: DeviceOperand): Promise<GpuMatrix> {
  return withOperands(backend, 'softmax', [x], (r, [X]) => new GpuMatrix(r, kern.softmaxRows(r, X.buffer, X.rows, X.cols), X.rows, X.cols));
}

function argmax(backend: WebGpuBackend, x: DeviceOperand): Promise<Int32Array> {
  return withOperands(backend, 'argmax', [x], async (r, [X]) => {
    const out = kern.argmaxRows(r, X.buffer, X.rows, X.cols);
    try {
      return new Int32Array(await r.read(out, X.rows * 4));
    } finally {
      r.release(out);
    }
  });
}

function rowNorms(backend: WebGpuBackend, x: DeviceOperand, squared: boolean): Promise<Float64Array> {
  return withOperands(backend, 'rowNorms', [x], async (r, [X]) => {
    const out = kern.rowNorms(r, X.buffer, X.rows, X.cols, squared);
    try {
      return Float64Array.from(new Float32Array(await r.read(out, X.rows * 4)));
    } finally {
      r.release(out);
    }
  });
}

function columnStats(backend: WebGpuBackend, x: DeviceOperand): Promise<RawColumnStats> {
  return withOperands(backend, 'columnStats', [x], async (r, [X]) => {
    const parts: { data: Float32Array; blocks: number }[] = [];
    for (const { partials, blocks, bytes } of kern.columnPartials(r, X.buffer, X.rows, X.cols)) {
      try {
        parts.push({ data: new Float32Array(await r.read(partials, bytes)), blocks });
      } finally {
        r.release(partials);
      }
    }
    return mergeBlockPartials(parts, X.cols);
  });
}

async function upload(backend: WebGpuBackend, m: Matrix): Promise<GpuMatrix> {
  const r = await backend.runner();
  const data = m.data instanceof Float32Array ? m.data : Float32Array.from(m.data);
  return r.ctx.guarded('upload', () => new GpuMatrix(r, r.upload('GpuMatrix', data), m.rows, m.cols));
}

/** The device family bound to one webgpu backend (what select.ts's deviceKernels hands to the ops). */
export function deviceKernels(backend: WebGpuBackend): DeviceKernels {
  return {
    gemm: (a, b, c, s) => gemm(backend, a, b, c, s),
    binary: (op, a, b) => binary(backend, op, a, b),
    unary: (op, x, p0, p1) => unary(backend, op, x, p0, p1),
    softmax: (x) => softmax(backend, x),
    argmax: (x) => argmax(backend, x),
    rowNorms: (x, squared) => rowNorms(backend, x, squared),
    columnStats: (x) => columnStats(backend, x),
    upload: (m) => upload(backend, m),
  };
}
