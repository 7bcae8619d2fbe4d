/**
 * How a row walks a packed hist forest (contract/hist.ts's node layout): which child a value
 * takes at a split, and the leaf a row reaches. One definition for the js kernels, SHAP values
 * and anything else that reads trees on the host; the native and WGSL walks mirror it.
 */
import type { FloatArray } from '../../core/matrix.js';
import { HIST_NODE_CATEGORICAL, HIST_NODE_FEATURE_MASK, HIST_NODE_MISSING_LEFT, type HistForest } from '../contract/hist.js';

/** Int32 view of a packed node array (cached: one per array). */
const wordViews = new WeakMap<Float64Array, Int32Array>();
export function nodeWords(nodes: Float64Array): Int32Array {
  let w = wordViews.get(nodes);
  if (!w) wordViews.set(nodes, (w = new Int32Array(nodes.buffer, nodes.byteOffset, nodes.length * 2)));
  return w;
}

/** Whether value v goes to the left child of split node `node` (feature word `word`). */
export function histGoesLeft(f: HistForest, node: number, word: number, v: number): boolean {
  if (v !== v) return (word & HIST_NODE_MISSING_LEFT) !== 0;
  if (word & HIST_NODE_CATEGORICAL) {
    // A category never seen in training goes right.
    return Number.isInteger(v) && v >= 0 && v < 32 * f.catWords[node] ? ((f.catBits[f.catOffset[node] + (v >>> 5)] >>> (v & 31)) & 1) === 1 : false;
  }
  return v <= f.nodes[2 * node];
}

/** The leaf a row (values x[base .. base + p)) reaches from node `root` (words = nodeWords(f.nodes)). */
export function histLeafOf(f: HistForest, words: Int32Array, root: number, x: FloatArray, base: number): number {
  const nodes = f.nodes;
  let node = root;
  for (;;) {
    const at = node << 2;
    const word = words[at + 2];
    if (word < 0) return node;
    const v = x[base + (word & HIST_NODE_FEATURE_MASK)];
    // Plain numerical comparisons inline; NaN and categories take histGoesLeft's rules.
    const left = (word & HIST_NODE_CATEGORICAL) === 0 && v === v ? v <= nodes[node << 1] : histGoesLeft(f, node, word, v);
    node = words[at + 3] + (left ? 0 : 1);
  }
}
