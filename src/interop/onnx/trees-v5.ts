/**
 * Tree ensembles with categorical splits, as ai.onnx.ml TreeEnsemble (operator set 5): its
 * BRANCH_MEMBER mode tests set membership, which kiln's bitset splits are (the codes in the set
 * take the true, left, branch; any other value the false one; NaN per missing_value_tracks_true).
 * The operator returns raw scores [N, outputs] (Σ tree weight · leaf value); the caller adds the
 * base score and the link. A leaf holds one (target, weight) pair here, so a tree with several
 * channels (a forest classifier's class shares) is written once per channel.
 */
import type { TreeEnsemble } from '../../models/tree/ensemble.js';
import { attr, f32AtMost, type GraphBuilder } from './graph.js';
import { DT } from './proto.js';

const MODE = { LEQ: 0, LT: 1, MEMBER: 6 } as const;

function tensorAttr(name: string, dataType: number, values: ArrayLike<number>) {
  const t: Record<string, unknown> = { dims: [values.length], dataType };
  if (dataType === DT.FLOAT) t.floatData = Array.from(values);
  else t.rawData = Uint8Array.from(values); // uint8
  return { name, type: 4, t };
}

/** Raw scores [N, outputs]; `constant` receives what one-leaf trees add to each output. */
export function treeScoresV5(g: GraphBuilder, e: TreeEnsemble, x: string): { scores: string; constant: Float64Array } {
  const features: number[] = [],
    splits: number[] = [],
    modes: number[] = [],
    trueIds: number[] = [],
    falseIds: number[] = [],
    trueLeaf: number[] = [],
    falseLeaf: number[] = [],
    tracks: number[] = [],
    members: number[] = [],
    leafTarget: number[] = [],
    leafWeight: number[] = [],
    roots: number[] = [];
  const C = e.channels;
  const constant = new Float64Array(e.outputs);
  for (let t = 0; t < e.trees; t++) {
    const root = e.roots[t],
      end = e.treeEnd(t);
    if (e.feature[root] < 0) {
      // a one-leaf tree is a constant: it joins the base score (onnxruntime reads a root whose
      // two children are equal as a leaf, a convention kept out of the way here)
      for (let c = 0; c < C; c++) constant[e.treeColumn[t] + c] += e.value[root * C + c] * e.treeWeight[t];
      continue;
    }
    for (let c = 0; c < C; c++) {
      // node j's position in the nodes_* arrays (splits) or leaf_* arrays (leaves)
      const place = () => {
        const pos = new Int32Array(end - root);
        let splitsSoFar = features.length,
          leavesSoFar = leafWeight.length;
        for (let j = root; j < end; j++) pos[j - root] = e.feature[j] < 0 ? leavesSoFar++ : splitsSoFar++;
        return pos;
      };
      let pos = place();
      if (pos[e.left[root] - root] === pos[e.right[root] - root]) {
        // the same convention: shift the leaves by an unused one so the root's children differ
        leafTarget.push(0);
        leafWeight.push(0);
        pos = place();
      }
      roots.push(pos[0]);
      for (let j = root; j < end; j++) {
        const f = e.feature[j];
        if (f < 0) {
          leafTarget.push(e.treeColumn[t] + c);
          leafWeight.push(e.value[j * C + c] * e.treeWeight[t]);
          continue;
        }
        const l = e.left[j] - root,
          r = e.right[j] - root;
        features.push(f);
        trueIds.push(pos[l]);
        falseIds.push(pos[r]);
        trueLeaf.push(e.feature[e.left[j]] < 0 ? 1 : 0);
        falseLeaf.push(e.feature[e.right[j]] < 0 ? 1 : 0);
        tracks.push(e.flags[j] & 1);
        const set: number[] = [];
        if (e.flags[j] & 2) {
          const off = e.catOffset[j];
          for (let w = 0; w < e.catWords[j]; w++) for (let b = 0; b < 32; b++) if ((e.catBits[off + w] >>> b) & 1) set.push(32 * w + b);
        }
        if (set.length > 0) {
          modes.push(MODE.MEMBER);
          splits.push(0);
          members.push(...set, NaN);
        } else if (e.flags[j] & 2) {
          // no code goes left (only NaN may): x < −∞ is never true
          modes.push(MODE.LT);
          splits.push(-Infinity);
        } else {
          modes.push(MODE.LEQ);
          splits.push(f32AtMost(e.threshold[j]));
        }
      }
    }
  }
  const attrs = [
    attr.ints('nodes_featureids', features),
    tensorAttr('nodes_splits', DT.FLOAT, splits),
    tensorAttr('nodes_modes', 2, modes),
    attr.ints('nodes_truenodeids', trueIds),
    attr.ints('nodes_falsenodeids', falseIds),
    attr.ints('nodes_trueleafs', trueLeaf),
    attr.ints('nodes_falseleafs', falseLeaf),
    attr.ints('nodes_missing_value_tracks_true', tracks),
    attr.ints('leaf_targetids', leafTarget),
    tensorAttr('leaf_weights', DT.FLOAT, leafWeight),
    attr.ints('tree_roots', roots),
    attr.i('n_targets', e.outputs),
    attr.i('aggregate_function', 1),
    attr.i('post_transform', 0),
  ];
  if (members.length > 0) attrs.push(tensorAttr('membership_values', DT.FLOAT, members));
  return { scores: g.ml('TreeEnsemble', [x], ['tree_scores'], attrs as never)[0], constant };
}
