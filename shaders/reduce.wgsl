// kiln: the reduce family.
//
// Entry point `column_partials`, workgroup 64: invocation x handles one column over
// one block of rows (adjacent invocations read adjacent columns of a row-major
// matrix) and writes that block's partial statistics. The host merges the
// partials of every block in f64 (Chan's pairwise formula).
// Dispatch: (ceil(cols / 64), blocks, 1) with blocks * block_rows >= rows.
//
// Entry point `row_norms`, workgroup 64: one invocation per row, Kahan-compensated
// f32 sum of squares (sqrt unless `squared`). Dispatch (min(groups, 65535),
// ceil(groups / 65535)) with groups = ceil(rows / 64).
//
// Bindings, group 0:
//   0  uniform             params    Params (below)
//   1  storage, read       x         rows x cols, row-major f32
//   2  storage, read_write partials  column_partials: [block][field][col], 7 fields:
//                                    count, nonFinite, sum, mean, m2, min, max
//                                    row_norms: one value per row
// Non-finite values (NaN, +-Inf, tested by exponent bits so no compiler can fold
// the test away) are skipped and counted.

struct Params {
  rows: u32,
  cols: u32,
  block_rows: u32,  // column_partials
  squared: u32,     // row_norms: 1 = squared norms
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> partials: array<f32>;

@compute @workgroup_size(64)
fn column_partials(@builtin(global_invocation_id) gid: vec3u, @builtin(workgroup_id) wg: vec3u) {
  let col = gid.x;
  if (col >= params.cols) { return; }
  let r0 = wg.y * params.block_rows;
  let r1 = min(params.rows, r0 + params.block_rows);
  // min/max start at the largest finite f32 (WGSL has no infinity constant);
  // blocks with count 0 are skipped by the host.
  let big = 0x1.fffffep+127f;
  var count = 0.0;
  var non_finite = 0.0;
  var sum = 0.0;
  var mean = 0.0;
  var m2 = 0.0;
  var lo = big;
  var hi = -big;
  for (var r = r0; r < r1; r++) {
    let v = x[r * params.cols + col];
    if ((bitcast<u32>(v) & 0x7f800000u) == 0x7f800000u) {
      non_finite += 1.0;
      continue;
    }
    count += 1.0;
    sum += v;
    let delta = v - mean;
    mean += delta / count;
    m2 += delta * (v - mean);
    lo = min(lo, v);
    hi = max(hi, v);
  }
  let base = wg.y * 7u * params.cols + col;
  partials[base] = count;
  partials[base + params.cols] = non_finite;
  partials[base + 2u * params.cols] = sum;
  partials[base + 3u * params.cols] = mean;
  partials[base + 4u * params.cols] = m2;
  partials[base + 5u * params.cols] = lo;
  partials[base + 6u * params.cols] = hi;
}

@compute @workgroup_size(64)
fn row_norms(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let r = gid.x + gid.y * groups.x * 64u;
  if (r >= params.rows) { return; }
  let base = r * params.cols;
  var sum = 0.0;
  var comp = 0.0;
  for (var c = 0u; c < params.cols; c++) {
    let v = x[base + c];
    let y = v * v - comp;
    let t = sum + y;
    comp = (t - sum) - y;
    sum = t;
  }
  partials[r] = select(sqrt(sum), sum, params.squared == 1u);
}
