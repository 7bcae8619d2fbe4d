// kiln: the gemm family.  C = alpha * op(A) * op(B) + beta * C, row-major f32.
//
// Entry point `sgemm`, workgroup 16x16; each workgroup computes a 64x64 tile of C
// (4x4 outputs per invocation, strided by 16 so neighbouring invocations touch
// neighbouring addresses), stepping through K in slices of 16 held in workgroup memory.
// Dispatch: (ceil(n / 64), ceil(rows of this dispatch / 64), 1); `row_base` offsets the
// rows when m needs more than maxComputeWorkgroupsPerDimension workgroups.
//
// Bindings, group 0:
//   0  uniform             params  Params (below)
//   1  storage, read       a       op(A) is m x k; stored k x m when flags bit 0 (transA) is set
//   2  storage, read       b       op(B) is k x n; stored n x k when flags bit 1 (transB) is set
//   3  storage, read_write c       m x n; read only when beta != 0

struct Params {
  m: u32,
  n: u32,
  k: u32,
  flags: u32,
  alpha: f32,
  beta: f32,
  row_base: u32,
  _pad: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;

const TM: u32 = 64u;
const TN: u32 = 64u;
const TK: u32 = 16u;

var<workgroup> a_tile: array<f32, 1024>; // [TK][TM]
var<workgroup> b_tile: array<f32, 1024>; // [TK][TN]

@compute @workgroup_size(16, 16)
fn sgemm(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let t = lid.y * 16u + lid.x;
  let row0 = params.row_base + wg.y * TM;
  let col0 = wg.x * TN;
  let trans_a = (params.flags & 1u) != 0u;
  let trans_b = (params.flags & 2u) != 0u;
  var acc: array<f32, 16>;

  for (var k0 = 0u; k0 < params.k; k0 += TK) {
    // Each invocation loads 4 of the 1024 elements of each tile, walking the
    // stored matrix along its contiguous dimension.
    for (var i = 0u; i < 4u; i++) {
      let e = t + i * 256u;
      var r: u32;
      var kk: u32;
      if (trans_a) { kk = e / TM; r = e % TM; } else { r = e / TK; kk = e % TK; }
      let gr = row0 + r;
      let gk = k0 + kk;
      var v = 0.0;
      if (gr < params.m && gk < params.k) {
        if (trans_a) { v = a[gk * params.m + gr]; } else { v = a[gr * params.k + gk]; }
      }
      a_tile[kk * TM + r] = v;
    }
    for (var i = 0u; i < 4u; i++) {
      let e = t + i * 256u;
      var col: u32;
      var kk: u32;
      if (trans_b) { col = e / TK; kk = e % TK; } else { kk = e / TN; col = e % TN; }
      let gc = col0 + col;
      let gk = k0 + kk;
      var v = 0.0;
      if (gc < params.n && gk < params.k) {
        if (trans_b) { v = b[gc * params.k + gk]; } else { v = b[gk * params.n + gc]; }
      }
      b_tile[kk * TN + col] = v;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TK; kk++) {
      var av: array<f32, 4>;
      var bv: array<f32, 4>;
      for (var i = 0u; i < 4u; i++) { av[i] = a_tile[kk * TM + lid.y + 16u * i]; }
      for (var j = 0u; j < 4u; j++) { bv[j] = b_tile[kk * TN + lid.x + 16u * j]; }
      for (var i = 0u; i < 4u; i++) {
        for (var j = 0u; j < 4u; j++) { acc[i * 4u + j] = fma(av[i], bv[j], acc[i * 4u + j]); }
      }
    }
    workgroupBarrier();
  }

  for (var i = 0u; i < 4u; i++) {
    let r = row0 + lid.y + 16u * i;
    if (r >= params.m) { continue; }
    for (var j = 0u; j < 4u; j++) {
      let col = col0 + lid.x + 16u * j;
      if (col >= params.n) { continue; }
      let idx = r * params.n + col;
      var out = params.alpha * acc[i * 4u + j];
      if (params.beta != 0.0) { out = out + params.beta * c[idx]; }
      c[idx] = out;
    }
  }
}
