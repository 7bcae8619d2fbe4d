// kiln: the hist family — gradient-boosted trees on WebGPU (host side: src/backend/webgpu/hist/).
//
// Over 500 lines on purpose: WGSL has no includes, and these entry points share the bin, position
// and histogram layouts stated once below; one module is compiled once per device.
//
// Data resident on the device for a whole tree (the bins for the whole fit):
//   bins   n x words u32, row-major: feature f of row r is byte (f & 3) of word r * words + (f >> 2)
//          (bin 0 = missing)
//   idx    the grown-from rows in leaf order (each leaf owns a contiguous range of positions)
//   gh     per position, the row's quantised gradient and hessian packed as (g << 16) | h:
//          g in [-128, 127] (sign in the upper half), h in [0, 127]
//   hist   leaf histograms, pooled in slots; slot = B bin slots (B = all features' bins, feature f's
//          bins at [bin_off[f], bin_off[f] + bins[f])), 5 u32 per bin slot:
//          g_lo, g_hi (i64 two's complement), h_lo, h_hi (u64), count (u32)
//
// Every dispatch linearises its workgroups: L = workgroup_id.x + workgroup_id.y * grid_x.
// Storage bindings that hold rows or positions cover a window: row0 / pos0 is the first row /
// position of the bound range (the host splits large data over several dispatches).
//
// Entry points (workgroup size 256 everywhere):
//   hist_build          workgroup L: item L / groups (a block of <= 4096 positions of one leaf) and
//                       feature group L % groups. Accumulates into var<workgroup> histograms with
//                       atomicAdd: per bin slot an atomic<i32> gradient sum and an atomic<u32> packing
//                       count << 19 | hessian sum (exact while 4096 rows x 127 < 2^19), then flushes
//                       the non-empty slots to global memory as 64-bit lo/hi pairs with carry.
//                       Bindings: 1 bins, 2 idx, 3 gh, 4 items (slot base word, begin, end, -),
//                       5 groups (first feature entry, end entry, local slots, -),
//                       6 feats (feature, bin offset, local offset, bins), 7 hist (atomic).
//   hist_subtract       dst = dst - src per bin slot (the larger child from parent minus the
//   hist_subtract_same  smaller), 64-bit with borrow. L / blocks = item, (L % blocks) * 256 + lid =
//                       bin slot. Bindings: 4 items (dst base word, src base word, -, -), 8 dst page,
//                       9 src page (_same: both slots in the dst page). words = B, groups = blocks.
//   split_find          workgroup L: search item L / nfeat (a leaf's slot) and numerical feature
//                       L % nfeat. Exact 64-bit prefix scans over bins 1..nb-1; every candidate of
//                       native split.cc (threshold t, missing right then missing left) is checked
//                       exactly (min data, min hessian as an integer threshold); each valid one gets
//                       an f32 ranking key with an error bound, and every candidate whose upper bound
//                       reaches the best lower bound is returned with its exact integer left sums
//                       (the host re-scores them in f64 exactly as native does).
//                       Bindings: 4 items (slot base word, record base word, -, -),
//                       6 feats (feature, bin offset, -, bins), 9 hist page, 10 out records.
//                       Record: [kept, flags (1: has missing, 2: host must scan)] then KMAX x
//                       (t | missing_left << 16, left count, g_lo, g_hi, h_lo, h_hi), padded to
//                       REC_WORDS.
//   The partition kernels take the round's whole item list (blocks of <= 1024 positions, in
//   position order) and handle items [base, count) of it in one dispatch.
//   part_side           side[j] = 1 when the row at position j goes left of its leaf's split.
//                       Bindings: 1 bins, 2 idx, 4 items (begin, end, split, first item of split),
//                       11 splits (SPLIT_WORDS each), 12 side.
//   part_count          offs[item] = left rows in the block. Bindings: 4 items, 12 side (read), 13 offs.
//   part_scan           one workgroup: offs = exclusive prefix sum over all items. Bindings: 13 offs.
//   part_scatter        stable partition: block rows to tmp at leaf begin + left rank (left) or
//                       leaf begin + left count + right rank (right), when inside the bound
//                       destination window (dst0, dst1 = P.row0, P.row1). Bindings: 2 idx, 3 gh,
//                       12 side, 4 items, 11 splits, 13 offs, 14 tmp idx, 15 tmp gh.
//   iota                binding 14 (a window of idx) = its positions: all rows in order.
//   route               the leaf ordinal of each row of the bins window, packed (32 / bits) per
//                       word; nodes: NODE_WORDS each. Bindings: 1 bins, 16 nodes, 17 leaf out.

override CAP: u32 = 2048u;  // bin slots in the workgroup histograms of hist_build
override KMAX: u32 = 8u;    // candidates returned per (leaf, feature)
override REC_WORDS: u32 = 52u;
const SPLIT_WORDS: u32 = 16u;
const NODE_WORDS: u32 = 16u;
const SLOT: u32 = 5u;

struct Params {
  count: u32,    // work items in this dispatch
  grid_x: u32,   // workgroups along x
  words: u32,    // bins: u32 words per row; subtract: bin slots per histogram
  groups: u32,   // hist_build: feature groups; subtract: blocks per item; route: bits per leaf
  row0: u32,     // bins window (route, build, side); scatter: destination window
  row1: u32,
  pos0: u32,     // position window of idx / gh / side / offs
  pos1: u32,
  min_data: u32,
  l0_lo: u32,    // minimum hessian sum in integer units (64-bit)
  l0_hi: u32,
  flags: u32,    // split_find: 1 = lambda_l1 > 0
  lam1: f32,     // lambda_l1 / g_scale
  lam2: f32,     // lambda_l2 / h_scale
  nfeat: u32,    // split_find: features per item; route: nodes
  base: u32,     // partition kernels: first item of this dispatch (count is then the end item)
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> bins: array<u32>;
@group(0) @binding(2) var<storage, read> idx: array<u32>;
@group(0) @binding(3) var<storage, read> gh: array<u32>;
@group(0) @binding(4) var<storage, read> items: array<vec4u>;
@group(0) @binding(5) var<storage, read> groups: array<vec4u>;
@group(0) @binding(6) var<storage, read> feats: array<vec4u>;
@group(0) @binding(7) var<storage, read_write> hist_acc: array<atomic<u32>>;
@group(0) @binding(8) var<storage, read_write> hist_dst: array<u32>;
@group(0) @binding(9) var<storage, read> hist_src: array<u32>;
@group(0) @binding(10) var<storage, read_write> out: array<u32>;
@group(0) @binding(11) var<storage, read> splits: array<u32>;
@group(0) @binding(12) var<storage, read_write> side: array<u32>;
@group(0) @binding(12) var<storage, read> side_in: array<u32>;
@group(0) @binding(13) var<storage, read_write> offs: array<u32>;
@group(0) @binding(13) var<storage, read> offs_in: array<u32>;
@group(0) @binding(14) var<storage, read_write> tmp_idx: array<u32>;
@group(0) @binding(15) var<storage, read_write> tmp_gh: array<u32>;
@group(0) @binding(16) var<storage, read> nodes: array<u32>;
@group(0) @binding(17) var<storage, read_write> leaf_out: array<u32>;

fn linear(wg: vec3u) -> u32 {
  return wg.x + wg.y * P.grid_x;
}

fn bin_of(row: u32, f: u32) -> u32 {
  return (bins[(row - P.row0) * P.words + (f >> 2u)] >> ((f & 3u) * 8u)) & 0xffu;
}

// ---- histogram build ------------------------------------------------------------------------

var<workgroup> wg_g: array<atomic<i32>, CAP>;
var<workgroup> wg_hc: array<atomic<u32>, CAP>;

fn add64(o: u32, lo: u32, hi: u32) {
  let old = atomicAdd(&hist_acc[o], lo);
  let up = hi + select(0u, 1u, old + lo < old);
  if (up != 0u) { atomicAdd(&hist_acc[o + 1u], up); }
}

@compute @workgroup_size(256)
fn hist_build(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let l = linear(wg);
  let item = l / P.groups;
  if (item >= P.count) { return; }
  let it = items[item];
  let gr = groups[l % P.groups];
  for (var s = lid; s < gr.z; s += 256u) {
    atomicStore(&wg_g[s], 0);
    atomicStore(&wg_hc[s], 0u);
  }
  workgroupBarrier();
  for (var j = it.y + lid; j < it.z; j += 256u) {
    let row = idx[j - P.pos0];
    if (row < P.row0 || row >= P.row1) { continue; }
    let v = gh[j - P.pos0];
    let g = bitcast<i32>(v) >> 16u;
    let hc = (1u << 19u) | (v & 0xffu);
    let base = (row - P.row0) * P.words;
    for (var e = gr.x; e < gr.y; e++) {
      let fe = feats[e];
      let b = min((bins[base + (fe.x >> 2u)] >> ((fe.x & 3u) * 8u)) & 0xffu, fe.w - 1u);
      atomicAdd(&wg_g[fe.z + b], g);
      atomicAdd(&wg_hc[fe.z + b], hc);
    }
  }
  workgroupBarrier();
  for (var e = gr.x; e < gr.y; e++) {
    let fe = feats[e];
    if (lid < fe.w) {
      let hc = atomicLoad(&wg_hc[fe.z + lid]);
      if (hc != 0u) {
        let g = atomicLoad(&wg_g[fe.z + lid]);
        let o = it.x + (fe.y + lid) * SLOT;
        add64(o, bitcast<u32>(g), select(0u, 0xffffffffu, g < 0));
        add64(o + 2u, hc & 0x7ffffu, 0u);
        atomicAdd(&hist_acc[o + 4u], hc >> 19u);
      }
    }
  }
}

// ---- histogram subtraction ------------------------------------------------------------------

fn sub_slot(d: u32, a0: u32, a1: u32, a2: u32, a3: u32, a4: u32) {
  let g_lo = hist_dst[d] - a0;
  let g_hi = hist_dst[d + 1u] - a1 - select(0u, 1u, hist_dst[d] < a0);
  let h_lo = hist_dst[d + 2u] - a2;
  let h_hi = hist_dst[d + 3u] - a3 - select(0u, 1u, hist_dst[d + 2u] < a2);
  hist_dst[d] = g_lo;
  hist_dst[d + 1u] = g_hi;
  hist_dst[d + 2u] = h_lo;
  hist_dst[d + 3u] = h_hi;
  hist_dst[d + 4u] = hist_dst[d + 4u] - a4;
}

@compute @workgroup_size(256)
fn hist_subtract(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let l = linear(wg);
  let item = l / P.groups;
  let s = (l % P.groups) * 256u + lid;
  if (item >= P.count || s >= P.words) { return; }
  let it = items[item];
  let o = it.y + s * SLOT;
  sub_slot(it.x + s * SLOT, hist_src[o], hist_src[o + 1u], hist_src[o + 2u], hist_src[o + 3u], hist_src[o + 4u]);
}

@compute @workgroup_size(256)
fn hist_subtract_same(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let l = linear(wg);
  let item = l / P.groups;
  let s = (l % P.groups) * 256u + lid;
  if (item >= P.count || s >= P.words) { return; }
  let it = items[item];
  let o = it.y + s * SLOT;
  sub_slot(it.x + s * SLOT, hist_dst[o], hist_dst[o + 1u], hist_dst[o + 2u], hist_dst[o + 3u], hist_dst[o + 4u]);
}

// ---- split search ---------------------------------------------------------------------------

var<workgroup> sc_glo: array<u32, 256>;
var<workgroup> sc_ghi: array<u32, 256>;
var<workgroup> sc_hlo: array<u32, 256>;
var<workgroup> sc_hhi: array<u32, 256>;
var<workgroup> sc_n: array<u32, 256>;
var<workgroup> red: array<f32, 256>;
var<workgroup> kept: atomic<u32>;
var<workgroup> special: atomic<u32>;

struct S64 { lo: u32, hi: u32 }

fn add_s64(a: S64, b: S64) -> S64 {
  let lo = a.lo + b.lo;
  return S64(lo, a.hi + b.hi + select(0u, 1u, lo < a.lo));
}
fn sub_s64(a: S64, b: S64) -> S64 {
  return S64(a.lo - b.lo, a.hi - b.hi - select(0u, 1u, a.lo < b.lo));
}
// unsigned a >= b
fn ge_u64(a: S64, b: S64) -> bool {
  return a.hi > b.hi || (a.hi == b.hi && a.lo >= b.lo);
}
fn f32_u64(a: S64) -> f32 {
  return f32(a.hi) * 4294967296.0 + f32(a.lo);  // both parts >= 0: no cancellation, <= 3 roundings
}
fn f32_i64(a: S64) -> f32 {
  if (bitcast<i32>(a.hi) < 0) { return -f32_u64(sub_s64(S64(0u, 0u), a)); }
  return f32_u64(a);
}
fn not_finite(x: f32) -> bool {
  return (bitcast<u32>(x) & 0x7f800000u) == 0x7f800000u;
}
fn shrink(g: f32, l1: f32) -> f32 {
  if (g > l1) { return g - l1; }
  if (g < -l1) { return g + l1; }
  return 0.0;
}

struct Cand { valid: bool, key: f32, err: f32, special: bool }

// Ranking key of left (gl, hl) / right (gr, hr) with its error bound, in units scaled by 2^-e
// (exact power-of-two scaling keeps every value in the normal f32 range).
//   lambda_l1 = 0: key = (gl dr - gr dl)^2 / (dl dr) with d = h + lambda_l2; the native gain is
//                  key / (h_total + 2 lambda_l2) plus a constant of the leaf, so the key ranks
//                  candidates exactly as the gain does, and stays accurate when the gain is tiny
//                  next to the parent's score.
//   lambda_l1 > 0: key = T(gl)^2 / dl + T(gr)^2 / dr (T the L1 shrinkage).
// err bounds |key(f32) - key(exact)| with a 4x margin (u = 2^-24), plus the f64 rounding of the
// native gain (2^-44 relative to the scores involved).
fn evaluate(glq: S64, hlq: S64, grq: S64, hrq: S64, e: i32) -> Cand {
  var c: Cand;
  c.valid = true;
  c.special = false;
  let gl = ldexp(f32_i64(glq), -e);
  let gr = ldexp(f32_i64(grq), -e);
  let hl = ldexp(f32_u64(hlq), -e);
  let hr = ldexp(f32_u64(hrq), -e);
  let lam2 = ldexp(P.lam2, -e);
  let dl = hl + lam2;
  let dr = hr + lam2;
  if (P.flags == 0u) {
    if (dl <= 0.0 || dr <= 0.0) {
      c.special = true;
      return c;
    }
    let a = gl * dr;
    let b = gr * dl;
    let d = a - b;
    let s = abs(a) + abs(b);
    let den = dl * dr;
    c.key = d * d / den;
    let g = gl + gr;
    let native = (dl + dr) * (gl * gl / dl + gr * gr / dr + g * g / max(dl + dr - lam2, 1e-30));
    c.err = (ldexp(abs(d) * s, -18) + ldexp(s * s, -40)) / den + ldexp(c.key, -18) + ldexp(native, -44);
  } else {
    let l1 = ldexp(P.lam1, -e);
    var key = 0.0;
    var mag = 0.0;
    if (dl > 0.0) {
      let t = shrink(gl, l1);
      key += t * t / dl;
      mag += (abs(gl) + l1) * (abs(gl) + l1) / dl;
    }
    if (dr > 0.0) {
      let t = shrink(gr, l1);
      key += t * t / dr;
      mag += (abs(gr) + l1) * (abs(gr) + l1) / dr;
    }
    c.key = key;
    c.err = ldexp(mag, -18) + ldexp(mag, -40);
  }
  if (not_finite(c.key) || not_finite(c.err)) { c.special = true; }
  return c;
}

@compute @workgroup_size(256)
fn split_find(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let l = linear(wg);
  let item = l / P.nfeat;
  if (item >= P.count) { return; }
  let it = items[item];
  let fe = feats[l % P.nfeat];
  let nb = fe.w;
  let rec = it.y + fe.z * REC_WORDS;
  let base = it.x + fe.y * SLOT;
  // bin 0 (missing) and this thread's bin
  let b0 = base;
  let miss_g = S64(hist_src[b0], hist_src[b0 + 1u]);
  let miss_h = S64(hist_src[b0 + 2u], hist_src[b0 + 3u]);
  let miss_n = hist_src[b0 + 4u];
  var own_n = 0u;
  if (lid >= 1u && lid < nb) {
    let o = base + lid * SLOT;
    sc_glo[lid] = hist_src[o];
    sc_ghi[lid] = hist_src[o + 1u];
    sc_hlo[lid] = hist_src[o + 2u];
    sc_hhi[lid] = hist_src[o + 3u];
    own_n = hist_src[o + 4u];
    sc_n[lid] = own_n;
  } else {
    sc_glo[lid] = 0u;
    sc_ghi[lid] = 0u;
    sc_hlo[lid] = 0u;
    sc_hhi[lid] = 0u;
    sc_n[lid] = 0u;
  }
  if (lid == 0u) {
    atomicStore(&kept, 0u);
    atomicStore(&special, 0u);
  }
  workgroupBarrier();
  // inclusive prefix sums over bins 1..t (Hillis-Steele, 64-bit with carry)
  for (var off = 1u; off < 256u; off <<= 1u) {
    var g = S64(0u, 0u);
    var h = S64(0u, 0u);
    var n = 0u;
    if (lid >= off) {
      g = S64(sc_glo[lid - off], sc_ghi[lid - off]);
      h = S64(sc_hlo[lid - off], sc_hhi[lid - off]);
      n = sc_n[lid - off];
    }
    workgroupBarrier();
    let gs = add_s64(S64(sc_glo[lid], sc_ghi[lid]), g);
    let hs = add_s64(S64(sc_hlo[lid], sc_hhi[lid]), h);
    sc_glo[lid] = gs.lo;
    sc_ghi[lid] = gs.hi;
    sc_hlo[lid] = hs.lo;
    sc_hhi[lid] = hs.hi;
    sc_n[lid] = sc_n[lid] + n;
    workgroupBarrier();
  }
  let last = nb - 1u;
  let tot_g = add_s64(S64(sc_glo[last], sc_ghi[last]), miss_g);
  let tot_h = add_s64(S64(sc_hlo[last], sc_hhi[last]), miss_h);
  let tot_n = sc_n[last] + miss_n;
  let has_missing = miss_n > 0u;
  // e: 2^e > rows in the leaf, so the scaled sums are at most 128 in magnitude
  let e = i32(32u - countLeadingZeros(max(tot_n, 1u)));
  let l0 = S64(P.l0_lo, P.l0_hi);

  let t = lid;
  var cands: array<Cand, 2>;
  var lefts: array<S64, 4>;  // g, h of the two candidates
  var lns: array<u32, 2>;
  cands[0].valid = false;
  cands[1].valid = false;
  let dup = t > 1u && own_n == 0u;  // same sums as threshold t - 1, which comes first
  if (t >= 1u && t < nb && !dup) {
    let pg = S64(sc_glo[t], sc_ghi[t]);
    let ph = S64(sc_hlo[t], sc_hhi[t]);
    let pn = sc_n[t];
    for (var k = 0u; k < 2u; k++) {
      var exists = false;
      var lg = pg;
      var lh = ph;
      var ln = pn;
      if (k == 0u) {
        exists = t < last || has_missing;
      } else {
        exists = has_missing && t < last;
        lg = add_s64(pg, miss_g);
        lh = add_s64(ph, miss_h);
        ln = pn + miss_n;
      }
      if (!exists) { continue; }
      let rn = tot_n - ln;
      let rh = sub_s64(tot_h, lh);
      if (ln < P.min_data || rn < P.min_data || !ge_u64(lh, l0) || !ge_u64(rh, l0)) { continue; }
      let c = evaluate(lg, lh, sub_s64(tot_g, lg), rh, e);
      if (c.special) {
        atomicOr(&special, 1u);
        continue;
      }
      cands[k] = c;
      lefts[2u * k] = lg;
      lefts[2u * k + 1u] = lh;
      lns[k] = ln;
    }
  }
  var lower = -3.0e38;
  for (var k = 0u; k < 2u; k++) {
    if (cands[k].valid) { lower = max(lower, cands[k].key - cands[k].err); }
  }
  red[lid] = lower;
  workgroupBarrier();
  for (var off = 128u; off > 0u; off >>= 1u) {
    if (lid < off) { red[lid] = max(red[lid], red[lid + off]); }
    workgroupBarrier();
  }
  let best_lower = red[0];
  for (var k = 0u; k < 2u; k++) {
    if (cands[k].valid && cands[k].key + cands[k].err >= best_lower) {
      let slot = atomicAdd(&kept, 1u);
      if (slot < KMAX) {
        let o = rec + 2u + slot * 6u;
        out[o] = t | (k << 16u);
        out[o + 1u] = lns[k];
        out[o + 2u] = lefts[2u * k].lo;
        out[o + 3u] = lefts[2u * k].hi;
        out[o + 4u] = lefts[2u * k + 1u].lo;
        out[o + 5u] = lefts[2u * k + 1u].hi;
      }
    }
  }
  workgroupBarrier();
  if (lid == 0u) {
    out[rec] = atomicLoad(&kept);
    out[rec + 1u] = select(0u, 1u, has_missing) | (select(0u, 2u, atomicLoad(&special) != 0u || atomicLoad(&kept) > KMAX));
  }
}

// ---- partition ------------------------------------------------------------------------------

fn goes_left(sp: u32, b: u32) -> bool {
  let flags = splits[sp + 2u];
  if ((flags & 2u) != 0u) {
    return ((splits[sp + 8u + (b >> 5u)] >> (b & 31u)) & 1u) != 0u;
  }
  if (b == 0u) { return (flags & 1u) != 0u; }
  return b <= splits[sp + 1u];
}

@compute @workgroup_size(256)
fn part_side(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let item = P.base + linear(wg);
  if (item >= P.count) { return; }
  let it = items[item];
  let sp = it.z * SPLIT_WORDS;
  let f = splits[sp];
  for (var j = it.x + lid; j < it.y; j += 256u) {
    let row = idx[j - P.pos0];
    if (row < P.row0 || row >= P.row1) { continue; }
    side[j - P.pos0] = select(0u, 1u, goes_left(sp, bin_of(row, f)));
  }
}

var<workgroup> cnt: atomic<u32>;

@compute @workgroup_size(256)
fn part_count(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let item = P.base + linear(wg);
  if (item >= P.count) { return; }
  let it = items[item];
  if (lid == 0u) { atomicStore(&cnt, 0u); }
  workgroupBarrier();
  var c = 0u;
  for (var j = it.x + lid; j < it.y; j += 256u) { c += side_in[j - P.pos0]; }
  atomicAdd(&cnt, c);
  workgroupBarrier();
  if (lid == 0u) { offs[item] = atomicLoad(&cnt); }
}

var<workgroup> scan: array<u32, 256>;
var<workgroup> carry: u32;

@compute @workgroup_size(256)
fn part_scan(@builtin(local_invocation_index) lid: u32) {
  if (lid == 0u) { carry = 0u; }
  workgroupBarrier();
  for (var base = 0u; base < P.count; base += 256u) {
    let i = base + lid;
    var v = 0u;
    if (i < P.count) { v = offs[i]; }
    scan[lid] = v;
    workgroupBarrier();
    for (var off = 1u; off < 256u; off <<= 1u) {
      var a = 0u;
      if (lid >= off) { a = scan[lid - off]; }
      workgroupBarrier();
      scan[lid] += a;
      workgroupBarrier();
    }
    if (i < P.count) { offs[i] = carry + scan[lid] - v; }
    workgroupBarrier();
    if (lid == 255u) { carry += scan[255]; }
    workgroupBarrier();
  }
}

@compute @workgroup_size(256)
fn part_scatter(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let item = P.base + linear(wg);
  if (item >= P.count) { return; }
  let it = items[item];
  let sp = it.z * SPLIT_WORDS;
  let leaf_begin = splits[sp + 3u];
  let nl = splits[sp + 4u];
  let left_off = offs_in[item] - offs_in[it.w];       // left rows of the leaf before this block
  let right_off = (it.x - leaf_begin) - left_off;     // right rows before this block
  // four consecutive positions per thread: local left ranks by a workgroup scan
  let j0 = it.x + 4u * lid;
  var mine = 0u;
  for (var q = 0u; q < 4u; q++) {
    let j = j0 + q;
    if (j < it.y) { mine += side_in[j - P.pos0]; }
  }
  scan[lid] = mine;
  workgroupBarrier();
  for (var off = 1u; off < 256u; off <<= 1u) {
    var a = 0u;
    if (lid >= off) { a = scan[lid - off]; }
    workgroupBarrier();
    scan[lid] += a;
    workgroupBarrier();
  }
  var lrank = scan[lid] - mine;
  var rrank = min(4u * lid, it.y - it.x) - lrank;
  for (var q = 0u; q < 4u; q++) {
    let j = j0 + q;
    if (j >= it.y) { break; }
    var dst = 0u;
    if (side_in[j - P.pos0] != 0u) {
      dst = leaf_begin + left_off + lrank;
      lrank += 1u;
    } else {
      dst = leaf_begin + nl + right_off + rrank;
      rrank += 1u;
    }
    if (dst >= P.row0 && dst < P.row1) {
      tmp_idx[dst - P.row0] = idx[j - P.pos0];
      tmp_gh[dst - P.row0] = gh[j - P.pos0];
    }
  }
}

// ---- row indices ----------------------------------------------------------------------------

// tmp_idx[j - pos0] = j for the positions of the window (the grown-from rows when they are all rows)
@compute @workgroup_size(256)
fn iota(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let j = linear(wg) * 256u + lid;
  if (j >= P.count) { return; }
  tmp_idx[j] = P.pos0 + j;
}

// ---- routing --------------------------------------------------------------------------------

@compute @workgroup_size(256)
fn route(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let w = linear(wg) * 256u + lid;
  if (w >= P.count) { return; }
  let bits = P.groups;
  let per = 32u / bits;
  var word = 0u;
  for (var q = 0u; q < per; q++) {
    let row = P.row0 + w * per + q;
    if (row >= P.row1) { break; }
    var node = 0u;
    for (var step = 0u; step < P.nfeat; step++) {
      let o = node * NODE_WORDS;
      let f = nodes[o];
      if (f == 0xffffffffu) { break; }
      let b = bin_of(row, f);
      var left = false;
      if ((nodes[o + 2u] & 2u) != 0u) {
        left = ((nodes[o + 8u + (b >> 5u)] >> (b & 31u)) & 1u) != 0u;
      } else if (b == 0u) {
        left = (nodes[o + 2u] & 1u) != 0u;
      } else {
        left = b <= nodes[o + 1u];
      }
      node = select(nodes[o + 4u], nodes[o + 3u], left);
    }
    let leaf = nodes[node * NODE_WORDS + 5u];
    if (bits == 32u) {
      word = leaf;
    } else {
      word |= leaf << (q * bits);
    }
  }
  leaf_out[w] = word;
}
