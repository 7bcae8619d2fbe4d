/**
 * A trained forest in the flat, cache-friendly layout prediction reads: node arrays for all
 * trees back to back (children after their parent), per-tree root, output column and weight.
 * Trees are added one by one from the grower's bin-space output and translated to raw
 * thresholds and raw category bitsets, so prediction never needs the bin mapper.
 */
import { ModelFormatError } from '../../core/errors.js';
import {
  HIST_NODE_CATEGORICAL,
  HIST_NODE_FEATURE_MASK,
  HIST_NODE_LEAF,
  HIST_NODE_MISSING_LEFT,
  type HistForest,
  type HistTreeOut,
} from '../../backend/backend.js';
import { rawCategoryBits, rawThreshold, type BinMapper } from './binning.js';

const GROW = 1.5;

export interface TreeEnsembleJSON {
  format: 'kiln-trees';
  version: 1;
  channels: number;
  outputs: number;
  features: number;
  feature: number[];
  threshold: (number | null)[];
  flags: number[];
  left: number[];
  right: number[];
  catOffset: number[];
  catWords: number[];
  catBits: number[];
  value: number[];
  gain: number[];
  cover: number[];
  count: number[];
  roots: number[];
  treeColumn: number[];
  treeWeight: number[];
}

/**
 * The prediction view of each ensemble (not a field: plain-data copies stay free of it). Trees
 * are only appended while boosting, so the packed records grow by the new nodes, not rebuilt.
 */
const prepared = new WeakMap<TreeEnsemble, { nodes: number; trees: number; forest: HistForest; packed: Float64Array }>();

function grown<T extends Int32Array | Float64Array | Uint8Array | Uint32Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  const b = new (a.constructor as new (n: number) => T)(Math.max(need, Math.ceil(a.length * GROW), 64));
  b.set(a);
  return b;
}

/** Node and tree arrays; `nodes` / `trees` say how much of each is in use. */
export class TreeEnsemble {
  channels: number;
  outputs: number;
  /** Features the trees were grown on. */
  features: number;
  nodes = 0;
  trees = 0;
  feature = new Int32Array(0);
  threshold = new Float64Array(0);
  flags = new Uint8Array(0);
  left = new Int32Array(0);
  right = new Int32Array(0);
  catOffset = new Int32Array(0);
  catWords = new Int32Array(0);
  catBits = new Uint32Array(0);
  catUsed = 0;
  value = new Float64Array(0);
  gain = new Float64Array(0);
  cover = new Float64Array(0);
  count = new Int32Array(0);
  roots = new Int32Array(0);
  treeColumn = new Int32Array(0);
  treeWeight = new Float64Array(0);

  constructor(channels: number, outputs: number, features: number) {
    this.channels = channels;
    this.outputs = outputs;
    this.features = features;
  }

  /** Appends a grown tree (nodes in the grower's order), writing to output `column` with `weight`. */
  addTree(t: HistTreeOut, mapper: BinMapper, column: number, weight: number, leafValues?: Float64Array): void {
    const n = t.numNodes[0],
      base = this.nodes,
      C = this.channels;
    this.reserve(base + n);
    for (let i = 0; i < n; i++) {
      const j = base + i,
        f = t.feature[i];
      this.feature[j] = f;
      this.left[j] = f >= 0 ? base + t.left[i] : -1;
      this.right[j] = f >= 0 ? base + t.right[i] : -1;
      this.gain[j] = t.gain[i];
      this.cover[j] = t.cover[i];
      this.count[j] = t.count[i];
      for (let c = 0; c < C; c++) this.value[j * C + c] = (leafValues ?? t.value)[i * C + c];
      this.threshold[j] = 0;
      this.flags[j] = 0;
      this.catOffset[j] = 0;
      this.catWords[j] = 0;
      if (f < 0) continue;
      if (t.isCategorical[i]) {
        const bits = rawCategoryBits(mapper, f, t.catBits.subarray(8 * i, 8 * i + 8));
        this.catBits = grown(this.catBits, this.catUsed + bits.length);
        this.catBits.set(bits, this.catUsed);
        this.catOffset[j] = this.catUsed;
        this.catWords[j] = bits.length;
        this.catUsed += bits.length;
        this.flags[j] = 2 | (t.catBits[8 * i] & 1);
      } else {
        this.threshold[j] = rawThreshold(mapper, f, t.threshold[i]);
        this.flags[j] = t.defaultLeft[i] ? 1 : 0;
      }
    }
    this.nodes += n;
    this.roots = grown(this.roots, this.trees + 1);
    this.treeColumn = grown(this.treeColumn, this.trees + 1);
    this.treeWeight = grown(this.treeWeight, this.trees + 1);
    this.roots[this.trees] = base;
    this.treeColumn[this.trees] = column;
    this.treeWeight[this.trees] = weight;
    this.trees++;
  }

  private reserve(nodes: number): void {
    this.feature = grown(this.feature, nodes);
    this.threshold = grown(this.threshold, nodes);
    this.flags = grown(this.flags, nodes);
    this.left = grown(this.left, nodes);
    this.right = grown(this.right, nodes);
    this.catOffset = grown(this.catOffset, nodes);
    this.catWords = grown(this.catWords, nodes);
    this.value = grown(this.value, nodes * this.channels);
    this.gain = grown(this.gain, nodes);
    this.cover = grown(this.cover, nodes);
    this.count = grown(this.count, nodes);
  }

  /** Keeps the first `trees` trees (early stopping's best iteration) and trims spare capacity. */
  truncate(trees: number): void {
    prepared.delete(this);
    const nodes = trees < this.trees ? this.roots[trees] : this.nodes;
    let catUsed = 0;
    for (let j = 0; j < nodes; j++) if (this.flags[j] & 2) catUsed = Math.max(catUsed, this.catOffset[j] + this.catWords[j]);
    const C = this.channels;
    this.feature = this.feature.slice(0, nodes);
    this.threshold = this.threshold.slice(0, nodes);
    this.flags = this.flags.slice(0, nodes);
    this.left = this.left.slice(0, nodes);
    this.right = this.right.slice(0, nodes);
    this.catOffset = this.catOffset.slice(0, nodes);
    this.catWords = this.catWords.slice(0, nodes);
    this.catBits = this.catBits.slice(0, catUsed);
    this.catUsed = catUsed;
    this.value = this.value.slice(0, nodes * C);
    this.gain = this.gain.slice(0, nodes);
    this.cover = this.cover.slice(0, nodes);
    this.count = this.count.slice(0, nodes);
    this.roots = this.roots.slice(0, trees);
    this.treeColumn = this.treeColumn.slice(0, trees);
    this.treeWeight = this.treeWeight.slice(0, trees);
    this.nodes = nodes;
    this.trees = trees;
  }

  /** What prediction kernels read: nodes packed into 16-byte records, the rest as views (cached until the trees change). */
  forest(): HistForest {
    const n = this.nodes;
    const cached = prepared.get(this);
    if (cached && cached.nodes === n && cached.trees === this.trees) return cached.forest;
    const from = cached && cached.nodes <= n ? cached.nodes : 0;
    let packed = cached?.packed ?? new Float64Array(0);
    if (packed.length < 2 * n) {
      const grownPacked = new Float64Array(Math.max(2 * n, Math.ceil(packed.length * GROW)));
      grownPacked.set(packed.subarray(0, 2 * from));
      packed = grownPacked;
    }
    const words = new Int32Array(packed.buffer);
    for (let j = from; j < n; j++) {
      const f = this.feature[j],
        flags = this.flags[j];
      // A leaf steps to itself (native/kernels/hist/hist.h, Node).
      packed[2 * j] = f < 0 ? Infinity : this.threshold[j];
      words[4 * j + 2] = f < 0 ? HIST_NODE_LEAF : f | (flags & 2 ? HIST_NODE_CATEGORICAL : 0) | (flags & 1 ? HIST_NODE_MISSING_LEFT : 0);
      words[4 * j + 3] = f < 0 ? j : this.left[j];
    }
    const forest: HistForest = {
      nodes: packed.subarray(0, 2 * n),
      catOffset: this.catOffset.subarray(0, n),
      catWords: this.catWords.subarray(0, n),
      catBits: this.catBits.subarray(0, this.catUsed),
      value: this.value.subarray(0, n * this.channels),
      channels: this.channels,
      roots: this.roots.subarray(0, this.trees),
      treeColumn: this.treeColumn.subarray(0, this.trees),
      treeWeight: this.treeWeight.subarray(0, this.trees),
    };
    prepared.set(this, { nodes: n, trees: this.trees, forest, packed });
    return forest;
  }

  /** The trees as plain arrays (JSON-safe numbers; thresholds of +∞ become null). */
  toJSON(): TreeEnsembleJSON {
    this.truncate(this.trees);
    const arr = (a: ArrayLike<number>) => Array.from(a);
    return {
      format: 'kiln-trees',
      version: 1,
      channels: this.channels,
      outputs: this.outputs,
      features: this.features,
      feature: arr(this.feature),
      threshold: Array.from(this.threshold, (v) => (Number.isFinite(v) ? v : null)),
      flags: arr(this.flags),
      left: arr(this.left),
      right: arr(this.right),
      catOffset: arr(this.catOffset),
      catWords: arr(this.catWords),
      catBits: arr(this.catBits),
      value: arr(this.value),
      gain: arr(this.gain),
      cover: arr(this.cover),
      count: arr(this.count),
      roots: arr(this.roots),
      treeColumn: arr(this.treeColumn),
      treeWeight: arr(this.treeWeight),
    };
  }

  /** Rebuilds trees written by toJSON, checking every field and the structure (E_MODEL_FORMAT otherwise). */
  static fromJSON(o: TreeEnsembleJSON): TreeEnsemble {
    const what = 'TreeEnsemble.fromJSON';
    if (o?.format !== 'kiln-trees' || o.version !== 1) throw new ModelFormatError(`${what}: not kiln-trees version 1 data`);
    const int = (v: unknown) => Number.isInteger(v) && (v as number) >= 1;
    if (!int(o.channels) || !int(o.outputs) || !int(o.features)) throw new ModelFormatError(`${what}: channels, outputs and features must be integers >= 1`);
    const e = new TreeEnsemble(o.channels, o.outputs, o.features);
    const read = <T extends Int32Array | Float64Array | Uint8Array | Uint32Array>(
      name: keyof TreeEnsembleJSON,
      Ctor: new (a: number[]) => T,
      infinite = false,
    ): T => {
      const a = o[name];
      if (!Array.isArray(a) || a.some((v) => !(typeof v === 'number' && Number.isFinite(v)) && !(infinite && v === null))) {
        throw new ModelFormatError(`${what}: ${String(name)} must be an array of finite numbers`);
      }
      return new Ctor(a.map((v) => (v === null ? Infinity : v)));
    };
    e.feature = read('feature', Int32Array);
    e.threshold = read('threshold', Float64Array, true);
    e.flags = read('flags', Uint8Array);
    e.left = read('left', Int32Array);
    e.right = read('right', Int32Array);
    e.catOffset = read('catOffset', Int32Array);
    e.catWords = read('catWords', Int32Array);
    e.catBits = read('catBits', Uint32Array);
    e.value = read('value', Float64Array);
    e.gain = read('gain', Float64Array);
    e.cover = read('cover', Float64Array);
    e.count = read('count', Int32Array);
    e.roots = read('roots', Int32Array);
    e.treeColumn = read('treeColumn', Int32Array);
    e.treeWeight = read('treeWeight', Float64Array);
    e.nodes = e.feature.length;
    e.trees = e.roots.length;
    e.catUsed = e.catBits.length;
    e.validate(what);
    return e;
  }

  /** Nodes of tree t: [roots[t], roots[t + 1]). */
  treeEnd(t: number): number {
    return t + 1 < this.trees ? this.roots[t + 1] : this.nodes;
  }

  /**
   * Checks the structure read from a file before any prediction walks it: children after
   * their parent and inside their tree (no cycles, no escapes), features and bitsets in range.
   */
  validate(what: string): void {
    const C = this.channels,
      n = this.nodes;
    const bad = (msg: string) => {
      throw new ModelFormatError(`${what}: ${msg}`);
    };
    const lengths: [string, { length: number }, number][] = [
      ['feature', this.feature, n],
      ['threshold', this.threshold, n],
      ['flags', this.flags, n],
      ['left', this.left, n],
      ['right', this.right, n],
      ['catOffset', this.catOffset, n],
      ['catWords', this.catWords, n],
      ['value', this.value, n * C],
      ['gain', this.gain, n],
      ['cover', this.cover, n],
      ['count', this.count, n],
      ['roots', this.roots, this.trees],
      ['treeColumn', this.treeColumn, this.trees],
      ['treeWeight', this.treeWeight, this.trees],
      ['catBits', this.catBits, this.catUsed],
    ];
    if (!Number.isInteger(n) || !Number.isInteger(this.trees) || !(C >= 1) || !(this.outputs >= 1)) bad('bad forest sizes');
    for (const [name, a, len] of lengths) if (a.length !== len) bad(`${name} has ${a.length} entries, expected ${len}`);
    for (let t = 0; t < this.trees; t++) {
      const begin = this.roots[t],
        end = this.treeEnd(t);
      if (!(begin >= 0 && begin < end && end <= n) || (t > 0 && begin !== this.treeEnd(t - 1))) bad(`tree ${t} has a bad node range`);
      if (!(this.treeColumn[t] >= 0 && this.treeColumn[t] + C <= this.outputs)) bad(`tree ${t} writes outside the outputs`);
      for (let j = begin; j < end; j++) {
        const f = this.feature[j];
        if (f < 0) continue;
        if (f >= this.features || f > HIST_NODE_FEATURE_MASK) bad(`node ${j} splits on feature ${f}, beyond the ${this.features} features`);
        if (!(this.left[j] > j && this.right[j] === this.left[j] + 1 && this.right[j] < end)) bad(`node ${j} has children outside its tree`);
        if (this.flags[j] & 2 && !(this.catOffset[j] >= 0 && this.catWords[j] >= 0 && this.catOffset[j] + this.catWords[j] <= this.catUsed)) {
          bad(`node ${j} has a category bitset out of range`);
        }
      }
    }
  }
}
