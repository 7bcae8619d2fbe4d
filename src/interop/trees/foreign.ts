/**
 * Trees read from another library, laid out the way kiln's TreeEnsemble holds them (models/tree/
 * ensemble.ts): per tree, children in adjacent pairs after their parent (right = left + 1), a
 * numerical split as `x <= threshold` goes left, a categorical split as a bitset of the codes
 * that go left, and per split whether NaN goes left. Every index read from the file is checked
 * (range, each node reached once, depth), so a hostile file ends in E_MODEL_FORMAT, never a
 * crash or an endless walk; sizes are capped before anything is allocated.
 */
import { ModelFormatError } from '../../core/errors.js';
import { HIST_NODE_FEATURE_MASK } from '../../backend/contract/hist.js';
import { TreeEnsemble } from '../../models/tree/ensemble.js';

/** Most nodes, trees, output columns and category code read from a foreign model. */
export const FOREIGN_LIMITS = { nodes: 1 << 26, trees: 1 << 22, outputs: 1 << 16, features: HIST_NODE_FEATURE_MASK + 1, category: 1 << 20, depth: 4096 };

export type ForeignNode =
  | { leaf: true /** One value, or one per channel. */; value: number | number[]; cover?: number }
  | {
      leaf: false;
      feature: number;
      /** Numerical: x <= threshold goes left. */
      threshold?: number;
      /** Categorical: the category codes that go left (others, and non-codes, go right). */
      leftCategories?: number[];
      missingLeft: boolean;
      left: number;
      right: number;
      gain?: number;
      cover?: number;
    };

export interface ForeignTree {
  nodes: ForeignNode[];
  /** Output column the tree adds to, and its weight. */
  column: number;
  weight: number;
}

/** Checks a count read from a file against its cap. */
export function checkCount(v: unknown, max: number, what: string, source: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max)
    throw new ModelFormatError(`${source}: ${what} must be an integer in [0, ${max}], got ${String(v)}`);
  return v;
}

/** The trees as one TreeEnsemble (`channels` values per leaf, `outputs` columns), checked like a model file's. */
export function buildEnsemble(trees: ForeignTree[], outputs: number, features: number, source: string, channels = 1): TreeEnsemble {
  const C = channels;
  const bad = (msg: string): never => {
    throw new ModelFormatError(`${source}: ${msg}`);
  };
  if (trees.length === 0) bad('the model has no trees');
  checkCount(trees.length, FOREIGN_LIMITS.trees, 'the number of trees', source);
  checkCount(outputs, FOREIGN_LIMITS.outputs, 'the number of outputs', source);
  if (features < 1) bad('the model declares no features');
  checkCount(features, FOREIGN_LIMITS.features, 'the number of features', source);
  let total = 0;
  for (const t of trees) total += t.nodes.length;
  if (total > FOREIGN_LIMITS.nodes) bad(`${total} nodes in all, more than the ${FOREIGN_LIMITS.nodes} kiln reads`);

  const e = new TreeEnsemble(C, outputs, features);
  const feature = new Int32Array(total),
    threshold = new Float64Array(total),
    flags = new Uint8Array(total),
    left = new Int32Array(total),
    right = new Int32Array(total),
    catOffset = new Int32Array(total),
    catWords = new Int32Array(total),
    value = new Float64Array(total * C),
    gain = new Float64Array(total),
    cover = new Float64Array(total);
  const catBits: number[] = [];
  const roots = new Int32Array(trees.length),
    treeColumn = new Int32Array(trees.length),
    treeWeight = new Float64Array(trees.length);
  let next = 0;
  trees.forEach((t, ti) => {
    const n = t.nodes.length;
    if (n === 0) bad(`tree ${ti} has no nodes`);
    if (!(Number.isInteger(t.column) && t.column >= 0 && t.column < outputs)) bad(`tree ${ti} writes to output ${t.column}, beyond the ${outputs} outputs`);
    if (!Number.isFinite(t.weight)) bad(`tree ${ti} has a non-finite weight`);
    roots[ti] = next;
    treeColumn[ti] = t.column;
    treeWeight[ti] = t.weight;
    const seen = new Uint8Array(n);
    // breadth first: (foreign node, kiln slot, depth)
    const queue: [number, number, number][] = [[0, next, 0]];
    seen[0] = 1;
    next++;
    for (let q = 0; q < queue.length; q++) {
      const [src, at, depth] = queue[q];
      const node = t.nodes[src];
      if (depth > FOREIGN_LIMITS.depth) bad(`tree ${ti} is deeper than ${FOREIGN_LIMITS.depth}`);
      if (node.leaf) {
        const values = typeof node.value === 'number' ? [node.value] : node.value;
        if (values.length !== C || !values.every(Number.isFinite)) bad(`tree ${ti} node ${src} needs ${C} finite leaf value(s)`);
        feature[at] = -1;
        left[at] = right[at] = -1;
        for (let c = 0; c < C; c++) value[at * C + c] = values[c];
        cover[at] = node.cover ?? 0;
        continue;
      }
      const f = node.feature;
      if (!(Number.isInteger(f) && f >= 0 && f < features)) bad(`tree ${ti} node ${src} splits on feature ${f}, beyond the ${features} features`);
      for (const child of [node.left, node.right]) {
        if (!(Number.isInteger(child) && child >= 0 && child < n)) bad(`tree ${ti} node ${src} has child ${child}, outside the tree's ${n} nodes`);
        if (seen[child]) bad(`tree ${ti} node ${child} is reached twice (a cycle or a shared subtree)`);
        seen[child] = 1;
      }
      feature[at] = f;
      gain[at] = Number.isFinite(node.gain) ? node.gain! : 0;
      cover[at] = Number.isFinite(node.cover) ? node.cover! : 0;
      left[at] = next;
      right[at] = next + 1;
      queue.push([node.left, next, depth + 1], [node.right, next + 1, depth + 1]);
      next += 2;
      if (node.leftCategories) {
        let words = 0;
        for (const c of node.leftCategories) {
          if (!(Number.isInteger(c) && c >= 0 && c < FOREIGN_LIMITS.category))
            bad(`tree ${ti} node ${src} has category ${c}, outside [0, ${FOREIGN_LIMITS.category})`);
          words = Math.max(words, (c >>> 5) + 1);
        }
        if (catBits.length + words > FOREIGN_LIMITS.nodes) bad('the category bitsets are too large');
        catOffset[at] = catBits.length;
        catWords[at] = words;
        for (let w = 0; w < words; w++) catBits.push(0);
        for (const c of node.leftCategories) catBits[catOffset[at] + (c >>> 5)] |= 1 << (c & 31);
        flags[at] = 2 | (node.missingLeft ? 1 : 0);
      } else {
        const th = node.threshold;
        if (typeof th !== 'number' || Number.isNaN(th)) bad(`tree ${ti} node ${src} has no numerical threshold`);
        threshold[at] = th!;
        flags[at] = node.missingLeft ? 1 : 0;
      }
    }
    if (queue.length !== n) bad(`tree ${ti} has ${n - queue.length} node(s) not reached from its root`);
  });
  e.feature = feature;
  e.threshold = threshold;
  e.flags = flags;
  e.left = left;
  e.right = right;
  e.catOffset = catOffset;
  e.catWords = catWords;
  e.catBits = Uint32Array.from(catBits, (v) => v >>> 0);
  e.catUsed = catBits.length;
  e.value = value;
  e.gain = gain;
  e.cover = cover;
  e.count = new Int32Array(total);
  e.roots = roots;
  e.treeColumn = treeColumn;
  e.treeWeight = treeWeight;
  e.nodes = total;
  e.trees = trees.length;
  e.validate(source);
  return e;
}
