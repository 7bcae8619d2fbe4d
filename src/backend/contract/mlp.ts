/** The mlp family: whole training epochs, forward passes and (CPU) loss gradients of dense networks. */

export type MlpActivation = 'identity' | 'relu' | 'tanh' | 'logistic';
export const MLP_ACTIVATIONS: readonly MlpActivation[] = ['identity', 'relu', 'tanh', 'logistic'];

/**
 * A dense network: layer l maps sizes[l] → sizes[l + 1]; params hold, layer by
 * layer, W_l (sizes[l] × sizes[l + 1], row-major) then b_l. Output 'softmax' trains
 * with cross-entropy on class codes, 'identity' with squared error on targets.
 */
export interface MlpNetwork {
  sizes: Int32Array;
  hidden: MlpActivation;
  output: 'softmax' | 'identity';
  params: Float32Array;
}

/** Where each layer's W_l (w[l]) and b_l (b[l]) start in `params`, and how many values it holds (total). */
export interface MlpLayout {
  w: number[];
  b: number[];
  total: number;
}

/** The layout of `params` for these layer sizes (every backend's, and native/kernels/mlp's). */
export function mlpLayout(sizes: ArrayLike<number>): MlpLayout {
  const l: MlpLayout = { w: [], b: [], total: 0 };
  for (let i = 0; i + 1 < sizes.length; i++) {
    l.w.push(l.total);
    l.total += sizes[i] * sizes[i + 1];
    l.b.push(l.total);
    l.total += sizes[i + 1];
  }
  return l;
}

/** How many values a network of these layer sizes keeps in `params`: each layer's W_l and b_l. */
export function mlpParamCount(sizes: ArrayLike<number>): number {
  return mlpLayout(sizes).total;
}

export interface MlpData {
  x: Float32Array;
  n: number;
  labels: Int32Array | null;
  targets: Float32Array | null;
  /** Per-row loss weights (sample × class weights), or null. */
  weights?: Float32Array | null;
}

export interface MlpEpochArgs {
  net: MlpNetwork;
  data: MlpData;
  order: Int32Array;
  batch: number;
  dropout: number;
  seed: number;
  solver: 'sgd' | 'adam';
  lr: number;
  /** L2 penalty as scikit-learn's alpha. */
  alpha: number;
  /** Decoupled weight decay (AdamW). */
  weightDecay: number;
  momentum: number;
  nesterov: boolean;
  beta1: number;
  beta2: number;
  eps: number;
  /** Optimiser state, same length as params. */
  m: Float32Array;
  v: Float32Array;
  /** Adam step counter, in/out. */
  step: Float64Array;
}

export interface MlpKernels {
  /** One training epoch (all mini-batches and optimiser steps); returns the mean loss. */
  epoch(args: MlpEpochArgs): Promise<number>;
  /** Outputs of the network (softmax probabilities or identity values), n × outputs. */
  forward(net: MlpNetwork, x: Float32Array, n: number): Promise<Float32Array>;
}

/** CPU backends: the whole-data loss (one batch, no dropout) and its gradient, for gradient checks. */
export interface MlpSyncKernels extends MlpKernels {
  lossGrad(net: MlpNetwork, data: MlpData, alpha: number): { loss: number; grad: Float32Array };
}
