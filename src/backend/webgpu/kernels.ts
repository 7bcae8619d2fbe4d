/**
 * WGSL kernels on device buffers: each records its dispatches and returns the
 * output buffer, leaving data on the device. Host-facing wrappers (backend.ts)
 * upload, call these, and read back.
 */
import { BackendLimitError } from '../../core/errors.js';
import { BINARY_OPS, UNARY_OPS, type BinaryOp, type UnaryOp } from '../contract/elementwise.js';
import { STATS_FIELDS } from '../contract/reduce.js';
import type { GpuRunner } from './runner.js';

export interface GemmShape {
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
  alpha: number;
  beta: number;
}

/**
 * C = alpha·op(A)·op(B) + beta·C into `c` (m×n floats; read only when beta ≠ 0).
 * `bOffset` (bytes) binds B from inside a larger buffer. Rows of C are split over
 * several dispatches when one would exceed a dispatch or binding limit; B must fit
 * one binding.
 */
export function sgemm(r: GpuRunner, s: GemmShape, a: GPUBuffer, b: GPUBuffer, c: GPUBuffer, bOffset = 0): void {
  const maxGroups = r.ctx.limits.maxComputeWorkgroupsPerDimension;
  const large = !s.transA && !s.transB && s.k % 4 === 0 && s.n % 4 === 0 && s.m >= 256 && s.n >= 256 && bOffset % 16 === 0;
  const tile = large ? 128 : 64;
  const groupsX = Math.ceil(s.n / tile);
  if (groupsX > maxGroups) {
    throw new BackendLimitError(`webgpu sgemm: n = ${s.n} needs more than ${maxGroups} workgroups; use the native backend`);
  }
  r.checkBinding('sgemm B', s.k * s.n * 4);
  if (s.transA) r.checkBinding('sgemm A (transposed)', s.m * s.k * 4);
  // Row blocks of C (and of A when not transposed) that fit a binding and a dispatch.
  const rowBytes = s.transA ? [s.n * 4] : [s.n * 4, s.k * 4];
  const blocks = r.rowBlocks('sgemm', s.m, rowBytes).flatMap(([r0, r1]) => {
    const out: [number, number][] = [];
    for (let x = r0; x < r1; x += maxGroups * tile) out.push([x, Math.min(r1, x + maxGroups * tile)]);
    return out;
  });
  for (const [r0, r1] of blocks) {
    const rows = r1 - r0;
    const params = new ArrayBuffer(32);
    new Uint32Array(params, 0, 4).set([rows, s.n, s.k, (s.transA ? 1 : 0) | (s.transB ? 2 : 0)]);
    new Float32Array(params, 16, 2).set([s.alpha, s.beta]);
    new Uint32Array(params, 24, 2).set([s.transA ? r0 : 0, s.transA ? s.m : rows]);
    const aBinding: [GPUBuffer, number, number] = s.transA ? [a, s.m * s.k * 4, 0] : [a, rows * s.k * 4, r0 * s.k * 4];
    r.dispatch('gemm', large ? 'sgemm_large' : 'sgemm', params, { 1: aBinding, 2: [b, s.k * s.n * 4, bOffset], 3: [c, rows * s.n * 4, r0 * s.n * 4] }, [
      groupsX,
      Math.ceil(rows / tile),
      1,
    ]);
  }
}

/**
 * Per-block column partials ([block][field][col], f32) for each row block of x that
 * fits a binding; merge them on the host in f64.
 */
export function columnPartials(r: GpuRunner, x: GPUBuffer, rows: number, cols: number): { partials: GPUBuffer; blocks: number; bytes: number }[] {
  const groupsX = Math.ceil(cols / 64);
  if (groupsX > r.ctx.limits.maxComputeWorkgroupsPerDimension) {
    throw new BackendLimitError(`webgpu columnStats: ${cols} columns exceed the dispatch limit; use the native backend`);
  }
  return r.rowBlocks('columnStats x', rows, [cols * 4]).map(([r0, r1]) => {
    const n = r1 - r0;
    const blocks = Math.max(1, Math.min(1024, Math.ceil(n / 64)));
    const blockRows = Math.ceil(n / blocks);
    const bytes = blocks * STATS_FIELDS.length * cols * 4;
    r.checkBinding('column partials', bytes);
    const partials = r.alloc('column partials', bytes);
    r.dispatch('reduce', 'column_partials', new Uint32Array([n, cols, blockRows, 0]).buffer, { 1: [x, n * cols * 4, r0 * cols * 4], 2: [partials, bytes] }, [
      groupsX,
      blocks,
      1,
    ]);
    return { partials, blocks, bytes };
  });
}

export function rowNorms(r: GpuRunner, x: GPUBuffer, rows: number, cols: number, squared: boolean): GPUBuffer {
  const out = r.alloc('row norms', rows * 4);
  for (const [r0, r1] of r.rowBlocks('rowNorms x', rows, [cols * 4, 4])) {
    const n = r1 - r0;
    r.dispatch(
      'reduce',
      'row_norms',
      new Uint32Array([n, cols, 0, squared ? 1 : 0]).buffer,
      { 1: [x, n * cols * 4, r0 * cols * 4], 2: [out, n * 4, r0 * 4] },
      r.grid(n, 64),
    );
  }
  return out;
}

interface Shape {
  rows: number;
  cols: number;
}

function elementwiseParams(p: { rows: number; cols: number; a?: Shape; b?: Shape; op?: number; n: number; p0?: number; p1?: number }): ArrayBuffer {
  const buf = new ArrayBuffer(48);
  new Uint32Array(buf, 0, 8).set([p.rows, p.cols, p.a?.rows ?? 0, p.a?.cols ?? 0, p.b?.rows ?? 0, p.b?.cols ?? 0, p.op ?? 0, p.n]);
  new Float32Array(buf, 32, 2).set([p.p0 ?? 0, p.p1 ?? 0]);
  return buf;
}

/** Binding of an operand's rows [r0, r1) — the whole operand when it broadcasts along rows. */
function operandRows(buf: GPUBuffer, s: Shape, r0: number, r1: number): [GPUBuffer, number, number] {
  return s.rows === 1 ? [buf, s.cols * 4, 0] : [buf, (r1 - r0) * s.cols * 4, r0 * s.cols * 4];
}

export function binary(r: GpuRunner, op: BinaryOp, a: GPUBuffer, as: Shape, b: GPUBuffer, bs: Shape): GPUBuffer {
  const rows = Math.max(as.rows, bs.rows),
    cols = Math.max(as.cols, bs.cols);
  const out = r.alloc('binary output', rows * cols * 4);
  const rowBytes = [cols * 4, ...(as.rows > 1 ? [as.cols * 4] : []), ...(bs.rows > 1 ? [bs.cols * 4] : [])];
  for (const [r0, r1] of r.rowBlocks('binary operands', rows, rowBytes)) {
    const n = (r1 - r0) * cols;
    const ab = { rows: as.rows === 1 ? 1 : r1 - r0, cols: as.cols },
      bb = { rows: bs.rows === 1 ? 1 : r1 - r0, cols: bs.cols };
    r.dispatch(
      'elementwise',
      'binary',
      elementwiseParams({ rows: r1 - r0, cols, a: ab, b: bb, op: BINARY_OPS.indexOf(op), n }),
      { 1: operandRows(a, as, r0, r1), 2: operandRows(b, bs, r0, r1), 3: [out, n * 4, r0 * cols * 4] },
      r.grid(n, 256),
    );
  }
  return out;
}

export function unary(r: GpuRunner, op: UnaryOp, x: GPUBuffer, n: number, p0: number, p1: number): GPUBuffer {
  const out = r.alloc('unary output', n * 4);
  for (const [i0, i1] of r.rowBlocks('unary operand', n, [4])) {
    const len = i1 - i0;
    r.dispatch(
      'elementwise',
      'unary',
      elementwiseParams({ rows: 0, cols: 0, op: UNARY_OPS.indexOf(op), n: len, p0, p1 }),
      { 1: [x, len * 4, i0 * 4], 3: [out, len * 4, i0 * 4] },
      r.grid(len, 256),
    );
  }
  return out;
}

export function softmaxRows(r: GpuRunner, x: GPUBuffer, rows: number, cols: number): GPUBuffer {
  const out = r.alloc('softmax output', rows * cols * 4);
  for (const [r0, r1] of r.rowBlocks('softmax operand', rows, [cols * 4])) {
    const n = r1 - r0;
    r.dispatch(
      'elementwise',
      'softmax_rows',
      elementwiseParams({ rows: n, cols, n }),
      { 1: [x, n * cols * 4, r0 * cols * 4], 3: [out, n * cols * 4, r0 * cols * 4] },
      r.grid(n, 64),
    );
  }
  return out;
}

export function argmaxRows(r: GpuRunner, x: GPUBuffer, rows: number, cols: number): GPUBuffer {
  const out = r.alloc('argmax output', rows * 4);
  for (const [r0, r1] of r.rowBlocks('argmax operand', rows, [cols * 4, 4])) {
    const n = r1 - r0;
    r.dispatch(
      'elementwise',
      'argmax_rows',
      elementwiseParams({ rows: n, cols, n }),
      { 1: [x, n * cols * 4, r0 * cols * 4], 4: [out, n * 4, r0 * 4] },
      r.grid(n, 64),
    );
  }
  return out;
}

export interface CandidateLists {
  key: GPUBuffer;
  idx: GPUBuffer;
  count: GPUBuffer;
}

/** Merges one tile of dot products (nq × chunk, base points j0…) into the candidate lists. */
export function selectCandidates(
  r: GpuRunner,
  tile: GPUBuffer,
  xn: GPUBuffer,
  n: number,
  lists: CandidateLists,
  p: { nq: number; chunk: number; j0: number; cap: number; excludeSelf: boolean; q0: number; l2: boolean },
): void {
  const params = new Uint32Array([p.nq, p.chunk, p.j0, p.cap, p.excludeSelf ? 1 : 0, p.q0, p.l2 ? 1 : 0, 0]);
  r.dispatch(
    'knn',
    'select_candidates',
    params.buffer,
    {
      1: [tile, p.nq * p.chunk * 4],
      2: [xn, n * 4],
      3: [lists.key, p.nq * p.cap * 4],
      4: [lists.idx, p.nq * p.cap * 4],
      5: [lists.count, p.nq * 4],
    },
    r.grid(p.nq, 64),
  );
}
