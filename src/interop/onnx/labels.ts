/**
 * Class labels in ONNX: int64 for integer labels, strings for string labels (as skl2onnx
 * writes them); other label sets (fractional numbers, mixed kinds) have no ONNX label type.
 */
import { UnsupportedError } from '../../core/errors.js';
import type { Label } from '../../core/labels.js';
import { attr, type GraphBuilder } from './graph.js';

export type LabelSet = { type: 'int64'; values: number[] } | { type: 'string'; values: string[] };

export function labelSet(classes: readonly Label[], owner: string): LabelSet {
  if (classes.every((c) => typeof c === 'number' && Number.isSafeInteger(c))) return { type: 'int64', values: classes as number[] };
  if (classes.every((c) => typeof c === 'string')) return { type: 'string', values: classes as string[] };
  throw new UnsupportedError(
    `${owner}: class labels ${JSON.stringify(classes.slice(0, 5))} are neither all integers nor all strings; ONNX labels are int64 or string`,
  );
}

/** The ai.onnx.ml attribute naming the labels (classlabels_int64s / _ints / _strings, per operator). */
export function labelAttr(set: LabelSet, intName: string, stringName: string) {
  return set.type === 'int64' ? attr.ints(intName, set.values) : attr.strings(stringName, set.values);
}

/** The graph's classifier outputs: `label` [N] and `probabilities` [N, K] (a tensor, no ZipMap). */
export function declareClassifierOutputs(g: GraphBuilder, set: LabelSet): void {
  g.output('label', set.type, ['N']);
  g.output('probabilities', 'float', ['N', set.values.length]);
}

/** label = classes[argmax(scores, axis 1)], written as the graph's `label` output. */
export function labelOfMax(g: GraphBuilder, scores: string, set: LabelSet): void {
  const [index] = g.node('ArgMax', [scores], ['class_index'], [attr.i('axis', 1), attr.i('keepdims', 0)]);
  const classes = g.constant('classes', set.type, [set.values.length], set.values);
  g.node('Gather', [classes, index], ['=label'], [attr.i('axis', 0)]);
}
