// kiln: the mlp family — the pieces of a training step that are not GEMMs (those
// run through gemm.wgsl). All entry points: workgroup 64 (reduce_loss: 256), flat
// index x + y * (num_workgroups.x * 64) over `count` items, so the host splits
// large grids in 2-D.
//
// Bindings, group 0 (each entry point uses a subset):
//   0  uniform             p        Params (below)
//   1  storage, read       src      x (gather), the bias (bias_act), the outputs (loss_delta),
//                                   delta (col_sum), the activations (act_grad), the gradient (update)
//   2  storage, read       idx      the epoch's row order (gather, gather_meta)
//   3  storage, read_write dst      the batch rows (gather), z (bias_act, bias_softmax), delta
//                                   (loss_delta), the bias gradient (col_sum), prev (act_grad),
//                                   the parameters (update)
//   4  storage, read       labels   class codes (gather_meta)
//   5  storage, read       aux      targets (gather_meta), per-row weights of the batch (loss_delta)
//   6  storage, read_write out_a    batch labels (as f32) then targets (gather_meta), per-row
//                                   losses of the epoch (loss_delta, reduce_loss), m (update)
//   7  storage, read_write out_b    batch weights (gather_meta), v (update), the loss sum (reduce_loss)

struct Params {
  count: u32,     // items this dispatch covers
  rows: u32,
  cols: u32,
  start: u32,     // first position of the batch in the epoch order
  code: u32,      // activation (0 identity, 1 relu, 2 tanh, 3 logistic) | solver (0 sgd, 1 adam) | output (0 softmax, 1 identity)
  flag: u32,      // gather_meta: 1 = targets, 2 = weights; update: 1 = weight (L2, decay), 2 = nesterov
  batch: u32,     // rows of the whole batch (loss scaling)
  _pad: u32,
  f0: f32,        // update: lr
  f1: f32,        // update: lr_t (adam) / momentum (sgd)
  f2: f32,        // update: beta1
  f3: f32,        // update: beta2
  f4: f32,        // update: eps
  f5: f32,        // update: L2 factor alpha / batch
  f6: f32,        // update: decoupled decay factor (1 - lr * weight_decay)
  _pad2: f32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read> idx: array<i32>;
@group(0) @binding(3) var<storage, read_write> dst: array<f32>;
@group(0) @binding(4) var<storage, read> labels: array<i32>;
@group(0) @binding(5) var<storage, read> aux: array<f32>;
@group(0) @binding(6) var<storage, read_write> out_a: array<f32>;
@group(0) @binding(7) var<storage, read_write> out_b: array<f32>;

fn item(gid: vec3u, groups: vec3u) -> u32 { return gid.x + gid.y * groups.x * 64u; }

fn activate(z: f32, code: u32) -> f32 {
  switch (code) {
    case 1u: { return max(z, 0.0); }
    case 2u: {
      let a = min(abs(z), 9.0);
      let e = exp(-2.0 * a);
      return sign(z) * (1.0 - e) / (1.0 + e);
    }
    case 3u: { return 1.0 / (1.0 + exp(-z)); }
    default: { return z; }
  }
}

// xb[r][c] = x[order[start + r]][c]; count = rows * cols
@compute @workgroup_size(64)
fn gather(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = item(gid, groups);
  if (i >= p.count) { return; }
  let r = i / p.cols;
  let c = i % p.cols;
  dst[i] = src[u32(idx[p.start + r]) * p.cols + c];
}

// Batch labels (as f32) or targets into out_a, weights into out_b; count = rows; cols = outputs
@compute @workgroup_size(64)
fn gather_meta(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let r = item(gid, groups);
  if (r >= p.count) { return; }
  let row = u32(idx[p.start + r]);
  if ((p.flag & 1u) != 0u) {
    for (var c = 0u; c < p.cols; c++) { out_a[r * p.cols + c] = aux[row * p.cols + c]; }
  } else {
    out_a[r] = f32(labels[row]);
  }
  out_b[r] = 1.0;
}

// Sample weights are gathered by a second gather_meta-like pass through `gather`
// (x = weights, cols = 1), so this file needs no extra binding for them.

// z = act(z + b) elementwise; count = rows * cols
@compute @workgroup_size(64)
fn bias_act(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = item(gid, groups);
  if (i >= p.count) { return; }
  dst[i] = activate(dst[i] + src[i % p.cols], p.code);
}

// z = softmax(z + b) per row; count = rows
@compute @workgroup_size(64)
fn bias_softmax(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let r = item(gid, groups);
  if (r >= p.count) { return; }
  let base = r * p.cols;
  var mx = -3.4e38;
  for (var c = 0u; c < p.cols; c++) {
    let v = dst[base + c] + src[c];
    dst[base + c] = v;
    mx = max(mx, v);
  }
  var s = 0.0;
  for (var c = 0u; c < p.cols; c++) {
    let e = exp(dst[base + c] - mx);
    dst[base + c] = e;
    s += e;
  }
  for (var c = 0u; c < p.cols; c++) { dst[base + c] = dst[base + c] / s; }
}

// Per row: the loss into out_a[start + r], dLoss/dZ into dst; src = outputs,
// labels or targets in aux (code 0: softmax, labels as f32 in aux), weights in out_b.
// count = rows
@compute @workgroup_size(64)
fn loss_delta(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let r = item(gid, groups);
  if (r >= p.count) { return; }
  let k = p.cols;
  let w = out_b[r];
  let scale = 1.0 / f32(p.batch);
  var loss = 0.0;
  if (p.code == 0u) {
    let y = u32(aux[r]);
    loss = -log(max(src[r * k + y], 1e-30));
    for (var c = 0u; c < k; c++) {
      var t = 0.0;
      if (c == y) { t = 1.0; }
      dst[r * k + c] = w * (src[r * k + c] - t) * scale;
    }
  } else {
    for (var c = 0u; c < k; c++) {
      let diff = src[r * k + c] - aux[r * k + c];
      loss += 0.5 * diff * diff / f32(k);
      dst[r * k + c] = w * diff * scale / f32(k);
    }
  }
  out_a[p.start + r] = w * loss;
}

// dst[c] = sum over rows of src[r][c]; count = cols
@compute @workgroup_size(64)
fn col_sum(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let c = item(gid, groups);
  if (c >= p.count) { return; }
  var s = 0.0;
  for (var r = 0u; r < p.rows; r++) { s += src[r * p.cols + c]; }
  dst[c] = s;
}

// dst *= f'(activation) using the activation values in src; count = rows * cols
@compute @workgroup_size(64)
fn act_grad(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = item(gid, groups);
  if (i >= p.count) { return; }
  let a = src[i];
  var d = 1.0;
  switch (p.code) {
    case 1u: { d = select(0.0, 1.0, a > 0.0); }
    case 2u: { d = 1.0 - a * a; }
    case 3u: { d = a * (1.0 - a); }
    default: {}
  }
  dst[i] = dst[i] * d;
}

// One optimiser step on a parameter buffer: dst = params, src = gradient,
// out_a = m (velocity), out_b = v; count = parameters
@compute @workgroup_size(64)
fn update(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = item(gid, groups);
  if (i >= p.count) { return; }
  let is_weight = (p.flag & 1u) != 0u;
  var g = src[i];
  if (is_weight) { g += p.f5 * dst[i]; }
  var w = dst[i];
  if (p.code == 1u) {
    let m = p.f2 * out_a[i] + (1.0 - p.f2) * g;
    let v = p.f3 * out_b[i] + (1.0 - p.f3) * g * g;
    out_a[i] = m;
    out_b[i] = v;
    w -= p.f1 * m / (sqrt(v) + p.f4);
  } else {
    let vel = p.f1 * out_a[i] - p.f0 * g;
    out_a[i] = vel;
    if ((p.flag & 2u) != 0u) { w += p.f1 * vel - p.f0 * g; } else { w += vel; }
  }
  if (is_weight) { w *= p.f6; }
  dst[i] = w;
}

var<workgroup> partial: array<f32, 256>;

// out_b[0] = sum of out_a[0..count) (the epoch's per-row losses); one workgroup of 256
@compute @workgroup_size(256)
fn reduce_loss(@builtin(local_invocation_id) lid: vec3u) {
  var s = 0.0;
  for (var i = lid.x; i < p.count; i += 256u) { s += out_a[i]; }
  partial[lid.x] = s;
  workgroupBarrier();
  for (var stride = 128u; stride > 0u; stride /= 2u) {
    if (lid.x < stride) { partial[lid.x] += partial[lid.x + stride]; }
    workgroupBarrier();
  }
  if (lid.x == 0u) { out_b[0] = partial[0]; }
}
