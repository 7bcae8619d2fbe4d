// kiln: the gemm family.  C = alpha * op(A) * op(B) + beta * C, row-major f32.
//
// Two variants, chosen by the host from the problem:
//   sgemm        64 x 64 tile per workgroup (16 x 16 invocations, 4 x 4 outputs each),
//                K in slices of 16, scalar loads: any shape, either transpose.
//   sgemm_large  128 x 128 tile per workgroup (16 x 16 invocations, 8 x 8 outputs each),
//                K in slices of 8, vec4 loads: no transposes, k and n multiples of 4;
//                for large products.
// Outputs are strided by 16 within a tile so neighbouring invocations touch
// neighbouring addresses. Dispatch: (ceil(n / T), ceil(m / T), 1) for tile size T.
// Large problems are split by the host into several dispatches over row blocks of C
// (dispatch-size and binding-size limits): each dispatch binds its rows of C (and of
// A when A is not transposed) at a byte offset.
//
// Bindings, group 0:
//   0  uniform             params  Params (below)
//   1  storage, read       a       op(A) rows of this dispatch (or all of A, stored k x m, when transposed)
//   2  storage, read       b       op(B) is k x n; stored n x k when flags bit 1 (transB) is set
//   3  storage, read_write c       the dispatch's m x n rows of C; read only when beta != 0
// sgemm_large reads bindings 1 and 2 as arrays of vec4 (a4, b4).

struct Params {
  m: u32,         // rows of C in this dispatch
  n: u32,
  k: u32,
  flags: u32,     // bit 0: transA, bit 1: transB
  alpha: f32,
  beta: f32,
  a_row0: u32,    // row of A (as op(A)) that row 0 of this dispatch reads: 0 unless A is bound whole
  a_rows: u32,    // rows of op(A) in the bound A (its row stride when transposed)
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;
@group(0) @binding(1) var<storage, read> a4: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> b4: array<vec4<f32>>;

var<workgroup> a_tile: array<f32, 1024>; // sgemm: [16][64]; sgemm_large: [8][128]
var<workgroup> b_tile: array<f32, 1024>;

fn store_c(r: u32, col: u32, v: f32) {
  if (r >= params.m || col >= params.n) { return; }
  let idx = r * params.n + col;
  var out = params.alpha * v;
  if (params.beta != 0.0) { out = out + params.beta * c[idx]; }
  c[idx] = out;
}

@compute @workgroup_size(16, 16)
fn sgemm(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let t = lid.y * 16u + lid.x;
  let row0 = wg.y * 64u;
  let col0 = wg.x * 64u;
  let trans_a = (params.flags & 1u) != 0u;
  let trans_b = (params.flags & 2u) != 0u;
  var acc: array<f32, 16>;
  for (var k0 = 0u; k0 < params.k; k0 += 16u) {
    // Each invocation loads 4 of the 1024 elements of each tile, walking the
    // stored matrix along its contiguous dimension.
    for (var i = 0u; i < 4u; i++) {
      let e = t + i * 256u;
      var r: u32;
      var kk: u32;
      if (trans_a) { kk = e / 64u; r = e % 64u; } else { r = e / 16u; kk = e % 16u; }
      let gr = row0 + r;
      let gk = k0 + kk;
      var v = 0.0;
      if (gr < params.m && gk < params.k) {
        let ar = params.a_row0 + gr;
        if (trans_a) { v = a[gk * params.a_rows + ar]; } else { v = a[ar * params.k + gk]; }
      }
      a_tile[kk * 64u + r] = v;
    }
    for (var i = 0u; i < 4u; i++) {
      let e = t + i * 256u;
      var col: u32;
      var kk: u32;
      if (trans_b) { col = e / 16u; kk = e % 16u; } else { kk = e / 64u; col = e % 64u; }
      let gc = col0 + col;
      let gk = k0 + kk;
      var v = 0.0;
      if (gc < params.n && gk < params.k) {
        if (trans_b) { v = b[gc * params.k + gk]; } else { v = b[gk * params.n + gc]; }
      }
      b_tile[kk * 64u + col] = v;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < 16u; kk++) {
      var av: array<f32, 4>;
      var bv: array<f32, 4>;
      for (var i = 0u; i < 4u; i++) { av[i] = a_tile[kk * 64u + lid.y + 16u * i]; }
      for (var j = 0u; j < 4u; j++) { bv[j] = b_tile[kk * 64u + lid.x + 16u * j]; }
      for (var i = 0u; i < 4u; i++) {
        for (var j = 0u; j < 4u; j++) { acc[i * 4u + j] = fma(av[i], bv[j], acc[i * 4u + j]); }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) {
    for (var j = 0u; j < 4u; j++) { store_c(row0 + lid.y + 16u * i, col0 + lid.x + 16u * j, acc[i * 4u + j]); }
  }
}

@compute @workgroup_size(16, 16)
fn sgemm_large(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let t = lid.y * 16u + lid.x;
  let row0 = wg.y * 128u;
  let col0 = wg.x * 128u;
  let k4 = params.k / 4u;
  let n4 = params.n / 4u;
  var acc: array<f32, 64>;
  for (var k0 = 0u; k0 < params.k; k0 += 8u) {
    // A tile 128 x 8: one vec4 (4 consecutive k) per invocation, stored k-major.
    {
      let r = t / 2u;
      let kq = (t % 2u) * 4u;
      let gr = row0 + r;
      var v = vec4<f32>(0.0);
      if (gr < params.m && k0 + kq < params.k) { v = a4[(params.a_row0 + gr) * k4 + (k0 + kq) / 4u]; }
      a_tile[(kq + 0u) * 128u + r] = v.x;
      a_tile[(kq + 1u) * 128u + r] = v.y;
      a_tile[(kq + 2u) * 128u + r] = v.z;
      a_tile[(kq + 3u) * 128u + r] = v.w;
    }
    // B tile 8 x 128: one vec4 (4 consecutive columns) per invocation.
    {
      let kk = t / 32u;
      let cq = (t % 32u) * 4u;
      let gk = k0 + kk;
      var v = vec4<f32>(0.0);
      if (gk < params.k && col0 + cq < params.n) { v = b4[gk * n4 + (col0 + cq) / 4u]; }
      b_tile[kk * 128u + cq + 0u] = v.x;
      b_tile[kk * 128u + cq + 1u] = v.y;
      b_tile[kk * 128u + cq + 2u] = v.z;
      b_tile[kk * 128u + cq + 3u] = v.w;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < 8u; kk++) {
      var av: array<f32, 8>;
      var bv: array<f32, 8>;
      for (var i = 0u; i < 8u; i++) { av[i] = a_tile[kk * 128u + lid.y + 16u * i]; }
      for (var j = 0u; j < 8u; j++) { bv[j] = b_tile[kk * 128u + lid.x + 16u * j]; }
      for (var i = 0u; i < 8u; i++) {
        for (var j = 0u; j < 8u; j++) { acc[i * 8u + j] = fma(av[i], bv[j], acc[i * 8u + j]); }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 8u; i++) {
    for (var j = 0u; j < 8u; j++) { store_c(row0 + lid.y + 16u * i, col0 + lid.x + 16u * j, acc[i * 8u + j]); }
  }
}
