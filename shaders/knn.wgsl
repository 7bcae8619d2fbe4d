// kiln: the knn family.
//
// Entry point `select_candidates`, workgroup 64, one invocation per query of the batch
// (dispatch (ceil(nq / 64), 1, 1)). It walks its row of a tile of dot products
// (queries x a chunk of base points, computed by gemm.wgsl's sgemm), turns each into
// a key (||x||^2 - 2 q.x for L2, -q.x otherwise) and keeps the `cap` smallest keys,
// sorted, in its candidate list; lists persist across the chunks of the base. The host
// re-ranks the candidates with exact distances.
//
// Bindings, group 0:
//   0  uniform             params    Params (below)
//   1  storage, read       tile      nq x chunk dot products, row-major
//   2  storage, read       xn        ||x||^2 per base point (whole base)
//   3  storage, read_write cand_key  nq x cap, ascending per query
//   4  storage, read_write cand_idx  nq x cap, base indices
//   5  storage, read_write cand_n    nq, list lengths (zeroed before the first chunk)

struct Params {
  nq: u32,
  chunk: u32,         // columns of this tile
  j0: u32,            // base index of the tile's first column
  cap: u32,
  exclude_self: u32,  // 1: query q0 + i never takes base point q0 + i
  q0: u32,            // base index of the batch's first query (with exclude_self)
  l2: u32,
  _pad: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> tile: array<f32>;
@group(0) @binding(2) var<storage, read> xn: array<f32>;
@group(0) @binding(3) var<storage, read_write> cand_key: array<f32>;
@group(0) @binding(4) var<storage, read_write> cand_idx: array<i32>;
@group(0) @binding(5) var<storage, read_write> cand_n: array<u32>;

@compute @workgroup_size(64)
fn select_candidates(@builtin(global_invocation_id) gid: vec3u) {
  let q = gid.x;
  if (q >= params.nq) { return; }
  let base = q * params.cap;
  var n = cand_n[q];
  let self_index = params.q0 + q;
  for (var j = 0u; j < params.chunk; j++) {
    let point = params.j0 + j;
    if (params.exclude_self == 1u && point == self_index) { continue; }
    let dot = tile[q * params.chunk + j];
    var key = -dot;
    if (params.l2 == 1u) { key = xn[point] - 2.0 * dot; }
    if (n == params.cap && !(key < cand_key[base + n - 1u])) { continue; }
    // Insert, keeping the list sorted; equal keys keep the earlier (smaller) index first.
    var pos = n;
    if (n == params.cap) { pos = n - 1u; } else { n = n + 1u; }
    loop {
      if (pos == 0u) { break; }
      if (!(cand_key[base + pos - 1u] > key)) { break; }
      cand_key[base + pos] = cand_key[base + pos - 1u];
      cand_idx[base + pos] = cand_idx[base + pos - 1u];
      pos = pos - 1u;
    }
    cand_key[base + pos] = key;
    cand_idx[base + pos] = i32(point);
  }
  cand_n[q] = n;
}
