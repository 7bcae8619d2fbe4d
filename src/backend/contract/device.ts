/**
 * The device family: ops on GPU-resident matrices (GpuMatrix in, GpuMatrix out, so chains read
 * back only when asked). Host operands are uploaded for one call; reductions that end on the
 * host (argmax, row norms, column statistics) read their small result back. Only webgpu runs it.
 */
import type { Matrix } from '../../core/matrix.js';
import type { GpuMatrix } from '../webgpu/gpu-matrix.js';
import type { BinaryOp, UnaryOp } from './elementwise.js';
import type { RawColumnStats } from './reduce.js';

/** A matrix operand: already on the device, or on the host (uploaded for one call). */
export type DeviceOperand = GpuMatrix | Matrix | number;

export interface DeviceGemmOptions {
  transA: boolean;
  transB: boolean;
  alpha: number;
  beta: number;
}

export interface DeviceKernels {
  /** alpha · op(a) · op(b) + beta · c on the device; shapes already validated. */
  gemm(a: DeviceOperand, b: DeviceOperand, c: DeviceOperand | undefined, s: DeviceGemmOptions & { m: number; n: number; k: number }): Promise<GpuMatrix>;
  binary(op: BinaryOp, a: DeviceOperand, b: DeviceOperand): Promise<GpuMatrix>;
  unary(op: UnaryOp, x: DeviceOperand, p0: number, p1: number): Promise<GpuMatrix>;
  softmax(x: DeviceOperand): Promise<GpuMatrix>;
  argmax(x: DeviceOperand): Promise<Int32Array>;
  rowNorms(x: DeviceOperand, squared: boolean): Promise<Float64Array>;
  columnStats(x: DeviceOperand): Promise<RawColumnStats>;
  /** Copies a host matrix to the device. */
  upload(m: Matrix): Promise<GpuMatrix>;
}
