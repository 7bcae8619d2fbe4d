/**
 * WGSL kernels on device buffers: each records its dispatches and returns the
 * output buffer, leaving data on the device. Host-facing wrappers (backend.ts)
 * upload, call these, and read back.
 */
import { BackendLimitError } from '../../core/errors.js';
import { BINARY_OPS, STATS_FIELDS, UNARY_OPS, type BinaryOp, type UnaryOp } from '../backend.js';
import type { GpuRunner } from './runner.js';

const GEMM_TILE = 64;

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
 * C = alpha·op(A)·op(B) + beta·C into `c` (which must hold m×n floats; read only when
 * beta ≠ 0). `bOffset` (bytes) binds B from inside a larger buffer.
 */
export function sgemm(r: GpuRunner, s: GemmShape, a: GPUBuffer, b: GPUBuffer, c: GPUBuffer, bOffset = 0): void {
  const maxGroups = r.ctx.limits.maxComputeWorkgroupsPerDimension;
  const groupsX = Math.ceil(s.n / GEMM_TILE);
  if (groupsX > maxGroups) {
    throw new BackendLimitError(`webgpu sgemm: n = ${s.n} needs more than ${maxGroups} workgroups; use the native backend`);
  }
  const rowsPerDispatch = maxGroups * GEMM_TILE;
  for (let rowBase = 0; rowBase < s.m; rowBase += rowsPerDispatch) {
    const rows = Math.min(rowsPerDispatch, s.m - rowBase);
    const params = new ArrayBuffer(32);
    new Uint32Array(params, 0, 4).set([s.m, s.n, s.k, (s.transA ? 1 : 0) | (s.transB ? 2 : 0)]);
    new Float32Array(params, 16, 2).set([s.alpha, s.beta]);
    new Uint32Array(params, 24, 2).set([rowBase, 0]);
    r.dispatch('gemm', 'sgemm', params, { 1: [a, s.m * s.k * 4], 2: [b, s.k * s.n * 4, bOffset], 3: [c, s.m * s.n * 4] },
      [groupsX, Math.ceil(rows / GEMM_TILE), 1]);
  }
}

/** Per-block column partials ([block][field][col], f32); merge them on the host in f64. */
export function columnPartials(r: GpuRunner, x: GPUBuffer, rows: number, cols: number): { partials: GPUBuffer; blocks: number; bytes: number } {
  const blocks = Math.max(1, Math.min(1024, Math.ceil(rows / 64)));
  const blockRows = Math.ceil(rows / blocks);
  const bytes = blocks * STATS_FIELDS.length * cols * 4;
  const partials = r.alloc('column partials', bytes);
  const groupsX = Math.ceil(cols / 64);
  if (groupsX > r.ctx.limits.maxComputeWorkgroupsPerDimension) {
    throw new BackendLimitError(`webgpu columnStats: ${cols} columns exceed the dispatch limit; use the native backend`);
  }
  r.dispatch('reduce', 'column_partials', new Uint32Array([rows, cols, blockRows, 0]).buffer,
    { 1: [x, rows * cols * 4], 2: [partials, bytes] }, [groupsX, blocks, 1]);
  return { partials, blocks, bytes };
}

export function rowNorms(r: GpuRunner, x: GPUBuffer, rows: number, cols: number, squared: boolean): GPUBuffer {
  const out = r.alloc('row norms', rows * 4);
  r.dispatch('reduce', 'row_norms', new Uint32Array([rows, cols, 0, squared ? 1 : 0]).buffer,
    { 1: [x, rows * cols * 4], 2: [out, rows * 4] }, r.grid(rows, 64));
  return out;
}

interface Shape { rows: number; cols: number }

function elementwiseParams(p: {
  rows: number; cols: number; a?: Shape; b?: Shape; op?: number; n: number; p0?: number; p1?: number;
}): ArrayBuffer {
  const buf = new ArrayBuffer(48);
  new Uint32Array(buf, 0, 8).set([p.rows, p.cols, p.a?.rows ?? 0, p.a?.cols ?? 0, p.b?.rows ?? 0, p.b?.cols ?? 0, p.op ?? 0, p.n]);
  new Float32Array(buf, 32, 2).set([p.p0 ?? 0, p.p1 ?? 0]);
  return buf;
}

export function binary(r: GpuRunner, op: BinaryOp, a: GPUBuffer, as: Shape, b: GPUBuffer, bs: Shape): GPUBuffer {
  const rows = Math.max(as.rows, bs.rows), cols = Math.max(as.cols, bs.cols), n = rows * cols;
  const out = r.alloc('binary output', n * 4);
  r.dispatch('elementwise', 'binary', elementwiseParams({ rows, cols, a: as, b: bs, op: BINARY_OPS.indexOf(op), n }),
    { 1: [a, as.rows * as.cols * 4], 2: [b, bs.rows * bs.cols * 4], 3: [out, n * 4] }, r.grid(n, 256));
  return out;
}

export function unary(r: GpuRunner, op: UnaryOp, x: GPUBuffer, n: number, p0: number, p1: number): GPUBuffer {
  const out = r.alloc('unary output', n * 4);
  r.dispatch('elementwise', 'unary', elementwiseParams({ rows: 0, cols: 0, op: UNARY_OPS.indexOf(op), n, p0, p1 }),
    { 1: [x, n * 4], 3: [out, n * 4] }, r.grid(n, 256));
  return out;
}

export function softmaxRows(r: GpuRunner, x: GPUBuffer, rows: number, cols: number): GPUBuffer {
  const out = r.alloc('softmax output', rows * cols * 4);
  r.dispatch('elementwise', 'softmax_rows', elementwiseParams({ rows, cols, n: rows }),
    { 1: [x, rows * cols * 4], 3: [out, rows * cols * 4] }, r.grid(rows, 64));
  return out;
}

export function argmaxRows(r: GpuRunner, x: GPUBuffer, rows: number, cols: number): GPUBuffer {
  const out = r.alloc('argmax output', rows * 4);
  r.dispatch('elementwise', 'argmax_rows', elementwiseParams({ rows, cols, n: rows }),
    { 1: [x, rows * cols * 4], 4: [out, rows * 4] }, r.grid(rows, 64));
  return out;
}

export interface CandidateLists {
  key: GPUBuffer;
  idx: GPUBuffer;
  count: GPUBuffer;
}

/** Merges one tile of dot products (nq × chunk, base points j0…) into the candidate lists. */
export function selectCandidates(r: GpuRunner, tile: GPUBuffer, xn: GPUBuffer, n: number, lists: CandidateLists,
                                 p: { nq: number; chunk: number; j0: number; cap: number; excludeSelf: boolean; q0: number; l2: boolean }): void {
  const params = new Uint32Array([p.nq, p.chunk, p.j0, p.cap, p.excludeSelf ? 1 : 0, p.q0, p.l2 ? 1 : 0, 0]);
  r.dispatch('knn', 'select_candidates', params.buffer, {
    1: [tile, p.nq * p.chunk * 4], 2: [xn, n * 4], 3: [lists.key, p.nq * p.cap * 4], 4: [lists.idx, p.nq * p.cap * 4],
    5: [lists.count, p.nq * 4],
  }, r.grid(p.nq, 64));
}
