/**
 * The MLP as Gemm layers (float, as kiln computes it) with the hidden activation after each
 * hidden layer; a classifier ends in Softmax (kiln's output layer is one unit per class, two
 * for a binary problem), a regressor in the identity.
 */
import { UnsupportedError } from '../../core/errors.js';
import type { Label } from '../../core/labels.js';
import { attr, type GraphBuilder } from './graph.js';
import { declareClassifierOutputs, labelOfMax, labelSet } from './labels.js';

export interface MlpNet {
  sizes: Int32Array;
  hidden: string;
  output: string;
  params: Float32Array;
}

const ACTIVATION: Record<string, string | null> = { relu: 'Relu', tanh: 'Tanh', logistic: 'Sigmoid', identity: null };

function layers(g: GraphBuilder, net: MlpNet, x: string, owner: string): string {
  const act = ACTIVATION[net.hidden];
  if (act === undefined) throw new UnsupportedError(`${owner}: hidden activation '${net.hidden}' has no ONNX operator here`);
  let h = x,
    off = 0;
  const L = net.sizes.length - 1;
  for (let l = 0; l < L; l++) {
    const a = net.sizes[l],
      b = net.sizes[l + 1];
    const W = g.constant(`coef_${l}`, 'float', [a, b], net.params.subarray(off, off + a * b));
    const B = g.constant(`intercept_${l}`, 'float', [b], net.params.subarray(off + a * b, off + a * b + b));
    off += a * b + b;
    [h] = g.node('Gemm', [h, W, B], [`layer_${l}`]);
    if (l + 1 < L && act) [h] = g.node(act, [h], [`${act.toLowerCase()}_${l}`]);
  }
  return h;
}

export function mlpClassifier(g: GraphBuilder, net: MlpNet, classes: readonly Label[], x: string, owner: string): void {
  if (net.output !== 'softmax') throw new UnsupportedError(`${owner}: output layer '${net.output}' is not a softmax`);
  const set = labelSet(classes, owner);
  const z = layers(g, net, x, owner);
  g.node('Softmax', [z], ['=probabilities'], [attr.i('axis', 1)]);
  labelOfMax(g, z, set);
  declareClassifierOutputs(g, set);
}

export function mlpRegressor(g: GraphBuilder, net: MlpNet, x: string, owner: string): void {
  const z = layers(g, net, x, owner);
  g.node('Identity', [z], ['=variable']);
  g.output('variable', 'float', ['N', net.sizes[net.sizes.length - 1]]);
}
