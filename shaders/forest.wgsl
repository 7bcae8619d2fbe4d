// kiln: the forest family — batch prediction with a flattened tree forest (host side:
// src/backend/webgpu/forest.ts; reference semantics: histLeafOf / histPredictRef in
// src/backend/js/hist.ts).
//
// One invocation per row of a window of rows; it walks the trees [tree_begin, tree_end) in order.
// Every comparison is done on integer keys so that no fast-math assumption about NaN or infinity
// can change a branch:
//   key(b) = b | 0x80000000 for sign 0, ~b for sign 1 (f32 bits b, -0 folded to +0):
//   for non-NaN a, b: a <= b exactly when key(a) <= key(b).
//
// Bindings:
//   0 uniform  Params
//   1 x        rows x p f32 (as u32 bits), row-major, the window's rows
//   2 nodes    per node vec4<u32>:
//                numerical split: (key(thr32), word, left, 0) where thr32 is the largest f32 <= the
//                  f64 threshold (so x32 <= thr32 exactly when x32 <= thr for every f32 x32)
//                categorical split: (catOffset, word, left, catWords)
//                leaf: (key(+inf), word < 0, itself, 0)
//              word: feature | HIST_NODE_CATEGORICAL (1 << 30) | HIST_NODE_MISSING_LEFT (1 << 29);
//              the right child is left + 1
//   3 cat      categorical bitsets (u32 words; a set bit = that code goes left)
//   4 value    leaf values, nodes x channels f32
//   5 trees    per tree vec4<u32>: (root, output column, bitcast weight f32, 0)
//   6 out      rows x out_cols f32, out[row, column + c] += weight * value[leaf, c] (flags & 1)
//   7 leaf     rows x (tree_end - tree_begin) i32 leaf node indices (flags & 2)
//
// Entry point: forest_predict, workgroup size 64; invocation = workgroup_id.x * 64 + local id
// (the host keeps each dispatch within the per-dimension workgroup limit).

struct Params {
  rows: u32,
  p: u32,
  tree_begin: u32,
  tree_end: u32,
  out_cols: u32,
  channels: u32,
  flags: u32,
  _pad: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> x: array<u32>;
@group(0) @binding(2) var<storage, read> nodes: array<vec4<u32>>;
@group(0) @binding(3) var<storage, read> cat: array<u32>;
@group(0) @binding(4) var<storage, read> value: array<f32>;
@group(0) @binding(5) var<storage, read> trees: array<vec4<u32>>;
@group(0) @binding(6) var<storage, read_write> out: array<f32>;
@group(0) @binding(7) var<storage, read_write> leaf: array<i32>;

// The node word bits: src/backend/contract/hist.ts (HIST_NODE_*) is their definition; hist.h repeats
// them, and test/backend-contract.test.ts holds the three to the same values.
const CATEGORICAL: u32 = 0x40000000u;
const MISSING_LEFT: u32 = 0x20000000u;
const FEATURE_MASK: u32 = 0x00ffffffu;

fn order_key(bits: u32) -> u32 {
  var b = bits;
  if (b == 0x80000000u) { b = 0u; }
  if ((b & 0x80000000u) != 0u) { return ~b; }
  return b | 0x80000000u;
}

// The leaf reached from `root` by the row whose values start at word `base` of x.
fn leaf_of(root: u32, base: u32) -> u32 {
  var node = root;
  loop {
    let rec = nodes[node];
    let word = rec.y;
    if ((word & 0x80000000u) != 0u) { return node; }
    let bits = x[base + (word & FEATURE_MASK)];
    let nan = (bits & 0x7fffffffu) > 0x7f800000u;
    var right = 1u;
    if (nan) {
      if ((word & MISSING_LEFT) != 0u) { right = 0u; }
    } else if ((word & CATEGORICAL) == 0u) {
      if (order_key(bits) <= rec.x) { right = 0u; }
    } else if ((bits & 0x7f800000u) != 0x7f800000u) {
      // a non-negative integer code below 32 * catWords, whose bit is set; else (unseen) right
      let v = bitcast<f32>(bits);
      if (v >= 0.0 && v < f32(rec.w * 32u) && fract(v) == 0.0) {
        let code = u32(v);
        if (((cat[rec.x + (code >> 5u)] >> (code & 31u)) & 1u) == 1u) { right = 0u; }
      }
    }
    node = rec.z + right;
  }
}

@compute @workgroup_size(64)
fn forest_predict(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let row = wg.x * 64u + lid;
  if (row >= P.rows) { return; }
  let base = row * P.p;
  let span = P.tree_end - P.tree_begin;
  for (var t = P.tree_begin; t < P.tree_end; t++) {
    let tr = trees[t];
    let l = leaf_of(tr.x, base);
    if ((P.flags & 2u) != 0u) { leaf[row * span + (t - P.tree_begin)] = i32(l); }
    if ((P.flags & 1u) != 0u) {
      let w = bitcast<f32>(tr.z);
      let o = row * P.out_cols + tr.y;
      for (var c = 0u; c < P.channels; c++) {
        out[o + c] += w * value[l * P.channels + c];
      }
    }
  }
}
