// kiln: the elementwise family. Every entry point shares one binding layout
// (an entry point's pipeline includes only the bindings it uses):
//
//   0  uniform             params   Params (below)
//   1  storage, read       a        first operand (a_rows x a_cols, row-major f32)
//   2  storage, read       b        second operand of `binary` (b_rows x b_cols)
//   3  storage, read_write out      f32 result (rows x cols)
//   4  storage, read_write out_idx  i32 result of `argmax_rows` (rows)
//
// Element-wise entry points (`binary`, `unary`), workgroup 256, dispatch
// (min(groups, 65535), ceil(groups / 65535)) with groups = ceil(n / 256): the flat
// index is x + y * (num_workgroups.x * 256). Row-wise entry points (`softmax_rows`,
// `argmax_rows`), workgroup 64, one invocation per row, same 2-D dispatch over rows.

struct Params {
  rows: u32,
  cols: u32,
  a_rows: u32,
  a_cols: u32,
  b_rows: u32,
  b_cols: u32,
  op: u32,   // binary: 0 add, 1 sub, 2 mul, 3 div; unary: 0 scale, 1 clamp, 2 relu, 3 sigmoid, 4 tanh
  n: u32,    // element count (element-wise) or row count (row-wise)
  p0: f32,
  p1: f32,
  _pad0: u32,
  _pad1: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;
@group(0) @binding(4) var<storage, read_write> out_idx: array<i32>;

fn flat_index(gid: vec3u, groups: vec3u, wg: u32) -> u32 {
  return gid.x + gid.y * groups.x * wg;
}

@compute @workgroup_size(256)
fn binary(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = flat_index(gid, groups, 256u);
  if (i >= params.n) { return; }
  let r = i / params.cols;
  let c = i % params.cols;
  let ai = select(r, 0u, params.a_rows == 1u) * params.a_cols + select(c, 0u, params.a_cols == 1u);
  let bi = select(r, 0u, params.b_rows == 1u) * params.b_cols + select(c, 0u, params.b_cols == 1u);
  let x = a[ai];
  let y = b[bi];
  var v: f32;
  switch (params.op) {
    case 0u: { v = x + y; }
    case 1u: { v = x - y; }
    case 2u: { v = x * y; }
    default: { v = x / y; }
  }
  out[i] = v;
}

// e^y - 1 without the cancellation of exp(y) - 1 near 0 (Taylor series below 0.5).
fn expm1_accurate(y: f32) -> f32 {
  if (abs(y) < 0.5) {
    return y * (1.0 + y * (0.5 + y * (1.0 / 6.0 + y * (1.0 / 24.0 + y * (1.0 / 120.0 +
           y * (1.0 / 720.0 + y * (1.0 / 5040.0 + y * (1.0 / 40320.0))))))));
  }
  return exp(y) - 1.0;
}

// tanh through expm1: keeps full relative precision near 0 (the builtin may not) and
// saturates to +-1 beyond |x| = 9 without inf / inf.
fn tanh_accurate(x: f32) -> f32 {
  let ax = abs(x);
  if (ax >= 9.0) { return sign(x); }  // |tanh| rounds to 1 in f32 from here on
  let t = expm1_accurate(2.0 * ax);
  return sign(x) * (t / (t + 2.0));
}

@compute @workgroup_size(256)
fn unary(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = flat_index(gid, groups, 256u);
  if (i >= params.n) { return; }
  let x = a[i];
  var v: f32;
  switch (params.op) {
    case 0u: { v = x * params.p0; }
    case 1u: { v = select(select(x, params.p1, x > params.p1), params.p0, x < params.p0); }
    case 2u: { v = select(x, 0.0, x < 0.0); }
    case 3u: { v = 1.0 / (1.0 + exp(-x)); }
    default: { v = tanh_accurate(x); }
  }
  out[i] = v;
}

@compute @workgroup_size(64)
fn softmax_rows(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let r = flat_index(gid, groups, 64u);
  if (r >= params.n) { return; }
  let base = r * params.cols;
  var mx = a[base];
  for (var c = 1u; c < params.cols; c++) { mx = max(mx, a[base + c]); }
  var sum = 0.0;
  for (var c = 0u; c < params.cols; c++) {
    let e = exp(a[base + c] - mx);
    out[base + c] = e;
    sum += e;
  }
  let inv = 1.0 / sum;
  for (var c = 0u; c < params.cols; c++) { out[base + c] = out[base + c] * inv; }
}

@compute @workgroup_size(64)
fn argmax_rows(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let r = flat_index(gid, groups, 64u);
  if (r >= params.n) { return; }
  let base = r * params.cols;
  var best = 0u;
  var best_v = a[base];
  for (var c = 1u; c < params.cols; c++) {
    let v = a[base + c];
    // NaN never wins unless the whole row is NaN (tested by bits: no folding)
    let best_nan = (bitcast<u32>(best_v) & 0x7fffffffu) > 0x7f800000u;
    let v_nan = (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u;
    if ((!v_nan && v > best_v) || (best_nan && !v_nan)) {
      best_v = v;
      best = c;
    }
  }
  out_idx[r] = i32(best);
}
