#include "mlp.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "../../runtime/aligned.h"
#include "../../runtime/simd_clones.h"
#include "../../runtime/thread_pool.h"
#include "../gemm/gemm.h"
#include "../gemm/microkernels.h"

namespace kiln::mlp {

namespace {

struct Layout {
  std::vector<std::size_t> w, b;  // offsets of W_l and b_l in params
  std::size_t total = 0;
};

Layout layout(const Network& net) {
  Layout l;
  for (std::size_t i = 0; i < net.layers; ++i) {
    l.w.push_back(l.total);
    l.total += net.sizes[i] * net.sizes[i + 1];
    l.b.push_back(l.total);
    l.total += net.sizes[i + 1];
  }
  return l;
}

// C (m x n) = A (m x k) * B (k x n) (+ transposes), single call into the packed SGEMM.
void gemm_f32(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, const float* a, const float* b, float* c,
              float beta = 0.0f) {
  gemm::SgemmArgs g;
  g.trans_a = ta;
  g.trans_b = tb;
  g.m = m;
  g.n = n;
  g.k = k;
  g.alpha = 1.0f;
  g.a = a;
  g.lda = ta ? m : k;
  g.b = b;
  g.ldb = tb ? k : n;
  g.beta = beta;
  g.c = c;
  g.ldc = n;
  gemm::sgemm_serial(g);  // batches are split across threads one level up
}

// A weight matrix packed once per batch as the micro-kernel's B panels (ceil(n / NR)
// panels of k x NR, zero-padded) and shared by every part of the batch: sgemm would
// re-pack it on each of its calls (up to 4 parts x 5 products per batch).
struct PackedB {
  const gemm::MicroKernelSpec* kern = nullptr;  // the register tile the panels are packed for
  std::size_t k = 0, n = 0;                     // op(B) is k x n
  runtime::AlignedBuffer<float> data;
  std::size_t capacity = 0;
  const float* in_place = nullptr;  // W read in place instead of the panels (forward only)
};

// Deeper products keep sgemm's k slicing (a k x NR panel beyond this leaves L1/L2).
constexpr std::size_t kMaxPackedK = 512;

bool packs(const gemm::MicroKernelSpec& kern, std::size_t k) { return kern.direct_a != nullptr && k <= kMaxPackedK; }

// The register tile for a product n columns wide. AVX-512's tiles spend 4 FMAs per row and k step
// whatever n is: an output layer of 10 classes would use 10 of their 64 columns. AVX2's 6x16 tile
// (same CPU) does such a layer with 1/4 of the FMA work, and sums over k in the same order, so the
// result is the same to the bit.
const gemm::MicroKernelSpec& kernel_for_width(std::size_t n) {
  const gemm::MicroKernelSpec& best = gemm::in_place_tile_for_cpu();
  const gemm::MicroKernelSpec* avx2 = gemm::avx2_tile();
  return avx2 != nullptr && n <= 2 * avx2->nr && best.nr > avx2->nr ? *avx2 : best;
}

// W (k x n, row-major) is read in place by the forward product: its rows are the
// register tile's B rows already, when n fills whole tiles (no panel reads past a row).
bool reads_in_place(const gemm::MicroKernelSpec& kern, std::size_t n) {
  return kern.strided != nullptr && n % kern.nr == 0;
}

// B = W (trans false: k = rows, n = cols) or B = W' (k = cols, n = rows), W row-major rows x cols:
// sets b's shape and register tile and makes room for its panels; returns how many panels to pack
// (pack_panel), 0 where the product reads W in place.
std::size_t prepare_panels(const float* w, std::size_t rows, std::size_t cols, bool trans, PackedB& b) {
  b.k = trans ? cols : rows;
  b.n = trans ? rows : cols;
  b.kern = &kernel_for_width(b.n);
  b.in_place = !trans && reads_in_place(*b.kern, b.n) ? w : nullptr;
  if (b.in_place != nullptr) return 0;
  const std::size_t nr = b.kern->nr, panels = (b.n + nr - 1) / nr;
  if (panels * nr * b.k > b.capacity) b.data = runtime::aligned_alloc_array<float>(b.capacity = panels * nr * b.k);
  return panels;
}

// Packs panel `panel` of B (its columns [panel * nr, ...), zero-padded to nr) from W (cols wide).
void pack_panel(const float* w, std::size_t cols, bool trans, PackedB& b, std::size_t panel) {
  const std::size_t nr = b.kern->nr, jr = panel * nr, cols_in = std::min(nr, b.n - jr);
  float* dst = b.data.get() + jr * b.k;
  if (!trans) {
    for (std::size_t p = 0; p < b.k; ++p) {
      std::copy(w + p * cols + jr, w + p * cols + jr + cols_in, dst + p * nr);
      std::fill(dst + p * nr + cols_in, dst + (p + 1) * nr, 0.0f);
    }
    return;
  }
  for (std::size_t j = 0; j < cols_in; ++j) {
    const float* src = w + (jr + j) * cols;
    for (std::size_t p = 0; p < b.k; ++p) dst[p * nr + j] = src[p];
  }
  for (std::size_t p = 0; p < b.k; ++p) std::fill(dst + p * nr + cols_in, dst + (p + 1) * nr, 0.0f);
}

// Whether gemm_packed can finish B's products inside the register tile (TileFinish).
bool fuses(const PackedB& b) {
  return b.in_place != nullptr ? b.kern->strided_fused != nullptr : b.kern->direct_a_fused != nullptr;
}

// C (rows x n, row stride n) = A (rows x k, row stride lda) * B, B pre-packed (or, with
// b.in_place, W itself), each register tile finished before it leaves L1: by the tile itself,
// in registers, where `fused` is not null and the tile has a fused form (fused's bias / act are
// those of C's first tile), else by finish(r0, nrows, c0, ncols) after the store.
template <typename Finish>
void gemm_packed(std::size_t rows, const float* a, std::size_t lda, const PackedB& b, float* c,
                 const gemm::TileFinish* fused, Finish&& finish) {
  const gemm::MicroKernelSpec& kern = *b.kern;
  if (!fuses(b)) fused = nullptr;
  for (std::size_t jr = 0; jr < b.n; jr += kern.nr) {
    const std::size_t cols = std::min(kern.nr, b.n - jr);
    const float* panel = b.data.get() + jr * b.k;
    for (std::size_t ir = 0; ir < rows; ir += kern.mr) {
      const std::size_t m = std::min(kern.mr, rows - ir);
      float* tile = c + ir * b.n + jr;
      if (fused != nullptr) {
        gemm::TileFinish f = *fused;
        if (f.bias != nullptr) f.bias += jr;
        if (f.act != nullptr) f.act += ir * f.ld_act + jr;
        if (f.col_sums != nullptr) f.col_sums += jr;
        if (b.in_place != nullptr)
          kern.strided_fused(b.k, a + ir * lda, lda, 1, b.in_place + jr, b.n, tile, b.n, m, cols, f);
        else kern.direct_a_fused(b.k, a + ir * lda, lda, panel, tile, b.n, m, cols, f);
        continue;
      }
      if (b.in_place != nullptr)
        kern.strided(b.k, a + ir * lda, lda, 1, b.in_place + jr, b.n, tile, b.n, 1.0f, 0.0f, m, cols);
      else kern.direct_a(b.k, a + ir * lda, lda, panel, tile, b.n, 1.0f, 0.0f, m, cols);
      finish(ir, m, jr, cols);
    }
  }
}

// sgemm's k slice (gemm.cc's KC): a longer sum there is split into slices added into C,
// which rounds differently from one pass.
constexpr std::size_t kSgemmKc = 256;

// C (m x n, row stride n) = A' * B with A (k x m, row stride m) and B (k x n, row stride
// n) both read in place: the weight gradient act' * delta (or its transpose delta' * act)
// of one part. The same sums in the same order as sgemm_serial (one k slice; each element one
// FMA chain over k, whatever the tile's height), so the same bits, without packing either operand.
// Returns false where that does not hold (the caller uses sgemm).
bool gemm_at_b_in_place(std::size_t m, std::size_t n, std::size_t k, const float* a, const float* b, float* c) {
  const gemm::MicroKernelSpec& kern = gemm::in_place_tile_for_cpu();
  if (kern.strided == nullptr || n % kern.nr != 0 || k > kSgemmKc || k == 0) return false;
  for (std::size_t ir = 0; ir < m; ir += kern.mr) {
    const std::size_t rows = std::min(kern.mr, m - ir);
    for (std::size_t jr = 0; jr < n; jr += kern.nr)
      kern.strided(k, a + ir, 1, m, b + jr, n, c + ir * n + jr, n, 1.0f, 0.0f, rows, kern.nr);
  }
  return true;
}

// Every layer's weights as its packed products read them: fw[l] = W_l for the forward product,
// bw[l] = W_l' for the backward one (layers >= 1); empty where sgemm does the product.
struct PackedNet {
  std::vector<PackedB> fw, bw;
  std::vector<bool> has_fw, has_bw;
};

// Multiply-adds the register tile spends on an m x n product (per unit of k).
std::size_t padded_cost(std::size_t m, std::size_t n) {
  const gemm::MicroKernelSpec& k = gemm::in_place_tile_for_cpu();
  return (m + k.mr - 1) / k.mr * k.mr * ((n + k.nr - 1) / k.nr * k.nr);
}

// A layer from din to dl units whose weight gradient goes transposed (gW' = delta' * act, then
// into place): a narrow layer (10 classes) would fill few of the tile's columns the other way.
bool narrow_gradient(std::size_t din, std::size_t dl) { return padded_cost(dl, din) * 4 < padded_cost(din, dl) * 3; }

KILN_CLONES void activate(Activation f, float* z, std::size_t len) {
  switch (f) {
    case Activation::Relu:
      for (std::size_t i = 0; i < len; ++i) z[i] = z[i] > 0 ? z[i] : 0.0f;
      break;
    case Activation::Tanh:
      for (std::size_t i = 0; i < len; ++i) z[i] = std::tanh(z[i]);
      break;
    case Activation::Logistic:
      for (std::size_t i = 0; i < len; ++i) z[i] = 1.0f / (1.0f + std::exp(-z[i]));
      break;
    default: break;
  }
}

// dZ = dA * f'(A), using the activation values A.
KILN_CLONES void activation_grad(Activation f, const float* __restrict a, float* __restrict d, std::size_t len) {
  switch (f) {
    case Activation::Relu:
      for (std::size_t i = 0; i < len; ++i) d[i] = a[i] > 0 ? d[i] : 0.0f;
      break;
    case Activation::Tanh:
      for (std::size_t i = 0; i < len; ++i) d[i] *= 1.0f - a[i] * a[i];
      break;
    case Activation::Logistic:
      for (std::size_t i = 0; i < len; ++i) d[i] *= a[i] * (1.0f - a[i]);
      break;
    default: break;
  }
}

uint32_t xorshift32(uint32_t& s) {
  s ^= s << 13;
  s ^= s >> 17;
  s ^= s << 5;
  return s;
}

// Arrays of `sizes` floats in one zeroed allocation, each starting at its own offset within a 4 KB
// page (112 floats further than the one before, `salt` x 48 more for another caller's set): arrays
// streamed together — a tile's A, B and C rows, the optimiser step's weights, moments and gradients
// — then fall on different cache sets. Where they happened to sit moved an epoch by ~8%
// (bench/mlp-layout.ts: params, m and v at 0 / 1 KB / 2 KB into their pages against other places).
runtime::AlignedBuffer<float> staggered(const std::vector<std::size_t>& sizes, std::size_t salt,
                                        std::vector<float*>& out) {
  constexpr std::size_t page = 1024;  // floats
  std::vector<std::size_t> at(sizes.size());
  std::size_t end = 0;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    at[i] = (end + page - 1) / page * page + (i * 112 + salt * 48) % page;
    end = at[i] + sizes[i];
  }
  runtime::AlignedBuffer<float> mem = runtime::aligned_alloc_array<float>(end);
  std::fill(mem.get(), mem.get() + end, 0.0f);
  out.resize(sizes.size());
  for (std::size_t i = 0; i < sizes.size(); ++i) out[i] = mem.get() + at[i];
  return mem;
}

// Working buffers for one batch of up to `rows` rows, staggered in one allocation.
struct Work {
  runtime::AlignedBuffer<float> arena;
  std::vector<float*> act;               // act[l]: rows x sizes[l] (act[0] = the input batch)
  float* delta = nullptr;                // rows x widest
  float* prev = nullptr;                 // rows x widest
  float* grad_t = nullptr;               // a narrow layer's gW', transposed into place
  std::vector<std::vector<float>> mask;  // dropout masks of hidden layers
  std::vector<int32_t> labels;           // the batch rows' labels and sample weights, gathered with
  std::vector<float> weights;            // their rows of x (where the data has them)
  Work(const Network& net, std::size_t rows, std::size_t salt = 0)
      : act(net.layers + 1), mask(net.layers + 1), labels(rows), weights(rows) {
    std::size_t widest = 0, widest_narrow = 0;  // grad_t: the largest narrow layer's gW'
    for (std::size_t l = 0; l <= net.layers; ++l) widest = std::max(widest, net.sizes[l]);
    for (std::size_t l = 0; l < net.layers; ++l)
      if (narrow_gradient(net.sizes[l], net.sizes[l + 1]))
        widest_narrow = std::max(widest_narrow, net.sizes[l] * net.sizes[l + 1]);
    std::vector<std::size_t> sizes;
    for (std::size_t l = 0; l <= net.layers; ++l) sizes.push_back(rows * net.sizes[l]);
    sizes.push_back(rows * widest);
    sizes.push_back(rows * widest);
    sizes.push_back(widest_narrow);
    std::vector<float*> at;
    arena = staggered(sizes, salt, at);
    for (std::size_t l = 0; l <= net.layers; ++l) act[l] = at[l];
    delta = at[net.layers + 1];
    prev = at[net.layers + 2];
    grad_t = at[net.layers + 3];
  }
};

// Packs every layer's weights that a packed product will use — W' for the delta products only
// where `backward` — into a fresh PackedNet; the panels are tasks the threads share. train_epoch
// packs once an epoch (its steps re-pack what they update), forward and loss_and_grad once a call.
void pack_net(const Network& net, const Layout& lay, PackedNet& pk, bool backward) {
  pk.fw.resize(net.layers);
  pk.bw.resize(net.layers);
  pk.has_fw.assign(net.layers, false);
  pk.has_bw.assign(net.layers, false);
  struct Task {
    std::size_t layer;
    bool trans;
    std::size_t panel;
  };
  std::vector<Task> tasks;
  std::size_t packed = 0;  // elements the panels hold
  for (std::size_t l = 0; l < net.layers; ++l) {
    const std::size_t din = net.sizes[l], dout = net.sizes[l + 1];
    const float* W = net.params + lay.w[l];
    for (const bool trans : {false, true}) {
      const bool used =
          trans ? backward && l > 0 && packs(kernel_for_width(din), dout) : packs(kernel_for_width(dout), din);
      (trans ? pk.has_bw : pk.has_fw)[l] = used;
      if (!used) continue;
      PackedB& b = (trans ? pk.bw : pk.fw)[l];
      const std::size_t panels = prepare_panels(W, din, dout, trans, b);
      for (std::size_t i = 0; i < panels; ++i) tasks.push_back({l, trans, i});
      if (panels > 0) packed += din * dout;  // a product reading W in place packs nothing
    }
  }
  const auto run = [&](std::size_t t) {
    const Task& k = tasks[t];
    PackedB& b = (k.trans ? pk.bw : pk.fw)[k.layer];
    pack_panel(net.params + lay.w[k.layer], net.sizes[k.layer + 1], k.trans, b, k.panel);
  };
  // Below ~10^4 elements a hand-off costs more than it saves.
  if (packed < (1 << 13)) {
    for (std::size_t t = 0; t < tasks.size(); ++t) run(t);
    return;
  }
  runtime::parallel_for(tasks.size(), 1, [&](std::size_t t0, std::size_t t1) {
    for (std::size_t t = t0; t < t1; ++t) run(t);
  });
}

// Copies W_l's elements [e0, e1) (offsets in W_l, row-major) into the panels that hold a copy of
// them (pk.fw[l] where the forward product packs W, pk.bw[l] for W'), leaving the zero padding
// pack_net wrote. The optimiser step calls it on each block it has just updated, while the block is
// in cache: the next batch's panels are then current without a packing pass and its hand-off.
void repack_range(const Network& net, const float* W, std::size_t l, PackedNet& pk, std::size_t e0, std::size_t e1) {
  const std::size_t din = net.sizes[l], dout = net.sizes[l + 1];
  PackedB& fw = pk.fw[l];
  if (pk.has_fw[l] && fw.in_place == nullptr) {  // B = W: k = din, n = dout
    const std::size_t nr = fw.kern->nr;
    for (std::size_t e = e0; e < e1;) {
      const std::size_t row = e / dout, col = e % dout, jr = col / nr * nr;
      const std::size_t len = std::min(e1 - e, std::min(dout, jr + nr) - col);
      std::copy(W + e, W + e + len, fw.data.get() + jr * din + row * nr + (col - jr));
      e += len;
    }
  }
  if (pk.has_bw[l]) {  // B = W': k = dout, n = din; W[i][c] is B(c, i)
    PackedB& bw = pk.bw[l];
    const std::size_t nr = bw.kern->nr;
    for (std::size_t e = e0; e < e1;) {
      const std::size_t i = e / dout, c0 = e % dout, c1 = std::min(dout, c0 + (e1 - e));
      float* dst = bw.data.get() + i / nr * nr * dout + i % nr;
      for (std::size_t c = c0; c < c1; ++c) dst[c * nr] = W[i * dout + c];
      e += c1 - c0;
    }
  }
}

// repack_range for every weight in params [i0, i1).
void repack_params(const Network& net, const Layout& lay, PackedNet& pk, std::size_t i0, std::size_t i1) {
  for (std::size_t l = 0; l < net.layers; ++l) {
    const std::size_t a = std::max(i0, lay.w[l]), b = std::min(i1, lay.b[l]);
    if (a < b) repack_range(net, net.params + lay.w[l], l, pk, a - lay.w[l], b - lay.w[l]);
  }
}

// z[r0.., c0..] += bias, then the hidden activation (none on the output layer).
KILN_CLONES void bias_activate(Activation f, bool last, const float* __restrict bias, float* __restrict z,
                               std::size_t ld, std::size_t r0, std::size_t nrows, std::size_t c0, std::size_t ncols) {
  bias += c0;
  for (std::size_t r = r0; r < r0 + nrows; ++r) {
    float* zr = z + r * ld + c0;
    if (!last && f == Activation::Relu) {
      for (std::size_t j = 0; j < ncols; ++j) {
        const float v = zr[j] + bias[j];
        zr[j] = v > 0 ? v : 0.0f;
      }
      continue;
    }
    for (std::size_t j = 0; j < ncols; ++j) zr[j] += bias[j];
    if (!last) activate(f, zr, ncols);
  }
}

// gb = column sums of delta (rows x n).
KILN_CLONES void column_sums(const float* __restrict delta, std::size_t rows, std::size_t n, float* __restrict gb) {
  std::fill(gb, gb + n, 0.0f);
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < n; ++c) gb[c] += delta[r * n + c];
}

// Forward through all layers for `rows` rows already in w.act[0]; leaves outputs
// (probabilities / values) in w.act[layers]. pk: weights pre-packed for this batch, or null.
void forward_batch(const Network& net, const Layout& lay, Work& w, std::size_t rows, float dropout, uint32_t* state,
                   const PackedNet* pk) {
  for (std::size_t l = 0; l < net.layers; ++l) {
    const std::size_t din = net.sizes[l], dout = net.sizes[l + 1];
    float* z = w.act[l + 1];
    const float* bias = net.params + lay.b[l];
    const bool last = l + 1 == net.layers;
    // z = act * W, then bias and activation on each tile as it leaves the registers.
    if (pk != nullptr && pk->has_fw[l]) {
      const gemm::TileFinish relu{gemm::TileFinish::BiasRelu, bias, nullptr, 0};
      const bool fuse = !last && net.hidden == Activation::Relu;
      gemm_packed(rows, w.act[l], din, pk->fw[l], z, fuse ? &relu : nullptr,
                  [&](std::size_t r0, std::size_t nr, std::size_t c0, std::size_t nc) {
                    bias_activate(net.hidden, last, bias, z, dout, r0, nr, c0, nc);
                  });
    } else {
      gemm_f32(false, false, rows, dout, din, w.act[l], net.params + lay.w[l], z);
      bias_activate(net.hidden, last, bias, z, dout, 0, rows, 0, dout);
    }
    if (!last) {
      if (dropout > 0 && state != nullptr) {
        std::vector<float>& m = w.mask[l + 1];
        m.resize(rows * dout);
        const float keep = 1.0f - dropout;
        for (std::size_t i = 0; i < rows * dout; ++i) {
          m[i] = (xorshift32(*state) >> 8) * (1.0f / 16777216.0f) < keep ? 1.0f / keep : 0.0f;
          z[i] *= m[i];
        }
      }
    } else if (net.output == Output::Softmax) {
      for (std::size_t r = 0; r < rows; ++r) {
        float* zr = z + r * dout;
        const float mx = *std::max_element(zr, zr + dout);
        float s = 0;
        for (std::size_t c = 0; c < dout; ++c) s += (zr[c] = std::exp(zr[c] - mx));
        for (std::size_t c = 0; c < dout; ++c) zr[c] /= s;
      }
    }
  }
}

// Data loss of `rows` rows of a batch of `batch_rows` (summed, divided by batch_rows)
// and its gradient into grad; the L2 term is added by the caller once per batch.
double backward_batch(const Network& net, const Layout& lay, Work& w, const Data& d, const int32_t* rows_idx,
                      std::size_t rows, std::size_t batch_rows, bool dropout, float* grad, const PackedNet* pk) {
  const std::size_t L = net.layers, dout = net.sizes[L];
  const float* out = w.act[L];
  float* delta = w.delta;
  double loss = 0;
  // Output delta = dLoss/dZ_L (already divided by rows).
  for (std::size_t r = 0; r < rows; ++r) {
    const std::size_t row = static_cast<std::size_t>(rows_idx[r]);
    const float wr = d.weights != nullptr ? w.weights[r] : 1.0f;
    if (net.output == Output::Softmax) {
      const int32_t y = w.labels[r];
      loss -= wr * std::log(std::max(out[r * dout + static_cast<std::size_t>(y)], 1e-30f));
      for (std::size_t c = 0; c < dout; ++c)
        delta[r * dout + c] =
            wr * (out[r * dout + c] - (static_cast<int32_t>(c) == y ? 1.0f : 0.0f)) / static_cast<float>(batch_rows);
    } else {
      for (std::size_t c = 0; c < dout; ++c) {
        const float diff = out[r * dout + c] - d.targets[row * dout + c];
        loss += wr * 0.5 * diff * diff / static_cast<double>(dout);
        delta[r * dout + c] = wr * diff / static_cast<float>(batch_rows * dout);
      }
    }
  }
  loss /= static_cast<double>(batch_rows);
  bool sums_done = false;  // the bias gradient of layer l already summed by the product above it
  for (std::size_t l = L; l-- > 0;) {
    const std::size_t din = net.sizes[l], dl = net.sizes[l + 1];
    const float* W = net.params + lay.w[l];
    // gW = act[l]' * delta ; gb = column sums of delta. A narrow layer goes as gW' = delta' *
    // act[l] instead (the same sums in the same order), transposed into place.
    if (narrow_gradient(din, dl)) {
      if (!gemm_at_b_in_place(dl, din, rows, delta, w.act[l], w.grad_t))
        gemm_f32(true, false, dl, din, rows, delta, w.act[l], w.grad_t);
      float* gw = grad + lay.w[l];
      for (std::size_t c = 0; c < dl; ++c)
        for (std::size_t i = 0; i < din; ++i) gw[i * dl + c] = w.grad_t[c * din + i];
    } else if (!gemm_at_b_in_place(din, dl, rows, w.act[l], delta, grad + lay.w[l])) {
      gemm_f32(true, false, din, dl, rows, w.act[l], delta, grad + lay.w[l]);
    }
    if (!sums_done) column_sums(delta, rows, dl, grad + lay.b[l]);
    sums_done = false;
    if (l == 0) break;
    // delta_{l-1} = (delta * W') ⊙ f'(act[l]) (⊙ dropout mask)
    float* prev = w.prev;
    const float* act_l = w.act[l];
    if (pk != nullptr && pk->has_bw[l]) {
      // The fused finish also sums delta_{l-1}'s columns (layer l-1's bias gradient), when the
      // tile has it: gemm_packed runs a column's tiles top to bottom, the order column_sums adds.
      float* gb = grad + lay.b[l - 1];
      const gemm::TileFinish relu_grad{gemm::TileFinish::ReluGrad, nullptr, act_l, din, gb};
      const bool fuse = !dropout && net.hidden == Activation::Relu;
      if (fuse && fuses(pk->bw[l])) {
        std::fill(gb, gb + din, 0.0f);
        sums_done = true;
      }
      gemm_packed(rows, delta, dl, pk->bw[l], prev, fuse ? &relu_grad : nullptr,
                  [&](std::size_t r0, std::size_t nr, std::size_t c0, std::size_t nc) {
                    if (dropout) return;
                    for (std::size_t r = r0; r < r0 + nr; ++r)
                      activation_grad(net.hidden, act_l + r * din + c0, prev + r * din + c0, nc);
                  });
    } else {
      gemm_f32(false, true, rows, din, dl, delta, W, prev);
      if (!dropout) activation_grad(net.hidden, act_l, prev, rows * din);
    }
    if (dropout) {
      // act[l] holds f(z) * mask: undo the mask to get f(z) for the derivative.
      const std::vector<float>& m = w.mask[l];
      const float* act = w.act[l];
      for (std::size_t i = 0; i < rows * din; ++i) {
        if (m[i] == 0) {
          prev[i] = 0;
          continue;
        }
        float pre = act[i] / m[i];
        prev[i] *= m[i];
        activation_grad(net.hidden, &pre, &prev[i], 1);
      }
    }
    std::swap(w.delta, w.prev);
    delta = w.delta;
  }
  return loss;
}

// ||W||^2 over every weight (not bias), in 8 fixed lanes so it vectorises the same
// way everywhere.
double weight_norm2(const Network& net, const Layout& lay) {
  double lanes[8] = {};
  for (std::size_t l = 0; l < net.layers; ++l) {
    const float* W = net.params + lay.w[l];
    const std::size_t len = net.sizes[l] * net.sizes[l + 1];
    std::size_t i = 0;
    for (; i + 8 <= len; i += 8)
      for (std::size_t j = 0; j < 8; ++j) lanes[j] += static_cast<double>(W[i + j]) * W[i + j];
    for (; i < len; ++i) lanes[i % 8] += static_cast<double>(W[i]) * W[i];
  }
  double s = 0;
  for (double v : lanes) s += v;
  return s;
}

// grad += alpha / rows * W for every weight (not bias); returns alpha/2 ||W||^2 / rows.
double add_l2(const Network& net, const Layout& lay, float alpha, std::size_t rows, float* grad) {
  const float reg = alpha / static_cast<float>(rows);
  for (std::size_t l = 0; l < net.layers; ++l) {
    const float* W = net.params + lay.w[l];
    for (std::size_t i = 0; i < net.sizes[l] * net.sizes[l + 1]; ++i) grad[lay.w[l] + i] += reg * W[i];
  }
  return 0.5 * alpha * weight_norm2(net, lay) / static_cast<double>(rows);
}

// The optimiser step of one batch on params [i0, i1), all weights (`weight`: L2 and
// decay apply) or all biases. The gradient is the parts' gradients summed in part order
// (NP parts, fixed so the loop vectorises). Elementwise, but an element's last bits may
// depend on whether the loop's vector body or its remainder takes it: callers split the
// parameters into the same ranges on any thread count. norm: where not null, ||W||^2 of
// the weights before the step is added into its 8 lanes (lane j takes the elements j,
// j + 8, ... of the block, as weight_norm2), while the block is in cache.
template <int NP>
KILN_CLONES void step_range(std::size_t i0, std::size_t i1, bool weight, const float* const* parts, float reg,
                            const Optimiser& o, float lr_t, float decay, float* __restrict p, float* __restrict m,
                            float* __restrict v, double* __restrict norm) {
  const float b1 = o.beta1, b2 = o.beta2, eps = o.eps, mom = o.momentum, lr = o.lr;
  const float* __restrict g0 = parts[0];
  const float* __restrict g1 = NP > 1 ? parts[1] : parts[0];
  const float* __restrict g2 = NP > 2 ? parts[2] : parts[0];
  const float* __restrict g3 = NP > 3 ? parts[3] : parts[0];
  if (norm != nullptr) {
    double lanes[8];
    for (int j = 0; j < 8; ++j) lanes[j] = norm[j];
    std::size_t i = i0;
    for (; i + 8 <= i1; i += 8)
      for (std::size_t j = 0; j < 8; ++j) lanes[j] += static_cast<double>(p[i + j]) * p[i + j];
    for (; i < i1; ++i) lanes[(i - i0) % 8] += static_cast<double>(p[i]) * p[i];
    for (int j = 0; j < 8; ++j) norm[j] = lanes[j];
  }
  if (o.solver == Solver::Adam) {
    for (std::size_t i = i0; i < i1; ++i) {
      float gi = g0[i];  // no lambda: it would not be compiled for the clone's ISA
      if (NP > 1) gi += g1[i];
      if (NP > 2) gi += g2[i];
      if (NP > 3) gi += g3[i];
      if (weight) gi += reg * p[i];
      m[i] = b1 * m[i] + (1 - b1) * gi;
      v[i] = b2 * v[i] + (1 - b2) * gi * gi;
      const float pi = p[i] - lr_t * m[i] / (std::sqrt(v[i]) + eps);
      p[i] = weight ? pi * decay : pi;
    }
  } else {
    for (std::size_t i = i0; i < i1; ++i) {
      float gi = g0[i];
      if (NP > 1) gi += g1[i];
      if (NP > 2) gi += g2[i];
      if (NP > 3) gi += g3[i];
      if (weight) gi += reg * p[i];
      m[i] = mom * m[i] - lr * gi;
      const float pi = p[i] + (o.nesterov ? mom * m[i] - lr * gi : m[i]);
      p[i] = weight ? pi * decay : pi;
    }
  }
}

// The per-parameter work of one batch on params [i0, i1): sum the parts' gradients,
// add the L2 term (weights only), take the optimiser step. norm: see step_range (each weight
// segment of the range adds into the same 8 lanes, its elements by their offset from its start).
void update_range(std::size_t i0, std::size_t i1, const Network& net, const Layout& lay, const float* const* g,
                  std::size_t parts, float reg, const Optimiser& o, float lr_t, float decay, double* norm) {
  for (std::size_t l = 0; l < net.layers; ++l) {
    const std::size_t seg[3] = {lay.w[l], lay.b[l], lay.b[l] + net.sizes[l + 1]};
    for (int s = 0; s < 2; ++s) {
      const std::size_t a = std::max(i0, seg[s]), b = std::min(i1, seg[s + 1]);
      if (a >= b) continue;
      double* n = s == 0 ? norm : nullptr;
      switch (parts) {
        case 1: step_range<1>(a, b, s == 0, g, reg, o, lr_t, decay, net.params, o.m, o.v, n); break;
        case 2: step_range<2>(a, b, s == 0, g, reg, o, lr_t, decay, net.params, o.m, o.v, n); break;
        case 3: step_range<3>(a, b, s == 0, g, reg, o, lr_t, decay, net.params, o.m, o.v, n); break;
        default: step_range<4>(a, b, s == 0, g, reg, o, lr_t, decay, net.params, o.m, o.v, n); break;
      }
    }
  }
}

// Gathers the batch's rows of x into w.act[0], and their labels and weights into w.
// Rows come in random order, so their cache misses are started ahead (the rows a few
// steps on, with their label / weight, and their targets, which the backward pass
// reads a pass later). Copying the labels here, while their lines arrive, spares the
// backward pass a miss per row (~1% of the epoch).
void load_rows(const Data& d, std::size_t din, std::size_t dout, const int32_t* idx, std::size_t rows, Work& w) {
  constexpr std::size_t ahead = 8, line = 64 / sizeof(float);
  float* dst = w.act[0];
  for (std::size_t r = 0; r < rows; ++r) {
    if (r + ahead < rows) {
      const std::size_t next = static_cast<std::size_t>(idx[r + ahead]);
      const float* row = d.x + next * din;
      for (std::size_t j = 0; j < din; j += line) __builtin_prefetch(row + j);
      if (d.labels != nullptr) __builtin_prefetch(d.labels + next);
      if (d.weights != nullptr) __builtin_prefetch(d.weights + next);
      if (d.targets != nullptr) __builtin_prefetch(d.targets + next * dout);
    }
    const std::size_t row = static_cast<std::size_t>(idx[r]);
    std::copy(d.x + row * din, d.x + (row + 1) * din, dst + r * din);
    if (d.labels != nullptr) w.labels[r] = d.labels[row];
    if (d.weights != nullptr) w.weights[r] = d.weights[row];
  }
}

// The arrays the optimiser step streams through together — the weights, the optimiser's moments and
// the parts' gradients — staggered in one allocation. The weights and moments are copied in for the
// epoch and back after it, three passes over the parameters (up to 2^20 of them).
struct StepArena {
  runtime::AlignedBuffer<float> mem;
  std::vector<float*> slot;  // params, m, v (where copied), then the parts' gradients
  StepArena(std::size_t total, std::size_t slots) { mem = staggered(std::vector<std::size_t>(slots, total), 0, slot); }
};

// Each batch is split into row blocks ("parts", at most 4) computed on different threads, each with
// its own buffers and gradient; gradients are summed in part order, so the result depends on the
// part count (fixed by the batch size), not on the threads.
std::size_t part_count(std::size_t batch) { return std::max<std::size_t>(1, std::min<std::size_t>(4, batch / 64)); }

void train_epoch_in(const EpochArgs& a, const Layout& lay, float* const* grads) {
  const Network& net = a.net;
  const std::size_t n = a.data.n, din = net.sizes[0];
  const std::size_t parts = part_count(a.batch);
  const std::size_t part_rows = (a.batch + parts - 1) / parts;
  std::vector<Work> work;
  std::vector<double> part_loss(parts);
  std::vector<uint32_t> states(parts);
  for (std::size_t i = 0; i < parts; ++i) {
    work.emplace_back(net, part_rows, i);
    states[i] = (a.seed != 0 ? a.seed : 1) + static_cast<uint32_t>(i) * 0x9E3779B9u;
    if (states[i] == 0) states[i] = 1;
  }
  // Every panel packed once (zero padding included); from then on each step re-packs the weights
  // it updates (repack_params).
  PackedNet packed;
  pack_net(net, lay, packed, true);
  double total = 0;
  const Optimiser& o = a.opt;
  // A few microseconds per 10^4 parameters: worth a hand-off from ~10^4 on, now that the pool's
  // worker is usually still polling from the batch's products (the bench network's 26,122
  // stayed on one thread at 65,536; `compare-checkouts ... mlp-bench`: 8,192 cut its epoch
  // from 120 to 106 ms).
  constexpr std::size_t kUpdateGrain = 1 << 13;
  const bool parallel_step = lay.total >= kUpdateGrain;
  std::vector<double> block_norms(8 * (parallel_step ? (lay.total + kUpdateGrain - 1) / kUpdateGrain : 1));
  for (std::size_t start = 0; start < n; start += a.batch) {
    const std::size_t rows = std::min(a.batch, n - start);
    auto run_parts = [&](std::size_t p0, std::size_t p1) {
      for (std::size_t part = p0; part < p1; ++part) {
        const std::size_t r0 = std::min(rows, part * part_rows), r1 = std::min(rows, r0 + part_rows);
        float* g = grads[part];
        if (r0 == r1) {
          std::fill(g, g + lay.total, 0.0f);
          part_loss[part] = 0;
          continue;
        }
        Work& w = work[part];
        load_rows(a.data, din, net.sizes[net.layers], a.order + start + r0, r1 - r0, w);
        forward_batch(net, lay, w, r1 - r0, a.dropout, a.dropout > 0 ? &states[part] : nullptr, &packed);
        part_loss[part] =
            backward_batch(net, lay, w, a.data, a.order + start + r0, r1 - r0, rows, a.dropout > 0, g, &packed);
      }
    };
    runtime::parallel_for(parts, 1, run_parts);
    double batch_loss = 0;
    for (std::size_t part = 0; part < parts; ++part) batch_loss += part_loss[part];
    float lr_t = o.lr;
    if (o.solver == Solver::Adam) {
      const double t = ++*o.step;
      lr_t = static_cast<float>(o.lr * std::sqrt(1 - std::pow(o.beta2, t)) / (1 - std::pow(o.beta1, t)));
    }
    const float reg = o.alpha / static_cast<float>(rows), decay = 1.0f - o.lr * o.weight_decay;
    // The step also sums ||W||^2 of the weights it replaces (the L2 term of the reported loss) while
    // they are in cache: in 8 lanes per block of the parallel step, the blocks' lanes added in block
    // order (fixed blocks: the same sum on any thread count); serially in weight_norm2's order.
    std::fill(block_norms.begin(), block_norms.end(), 0.0);
    if (!parallel_step) {
      update_range(0, lay.total, net, lay, grads, parts, reg, o, lr_t, decay, block_norms.data());
      repack_params(net, lay, packed, 0, lay.total);
    } else {
      // Fixed blocks (parallel_blocks): an element takes the same path through the vectorised
      // loop (its body or its remainder) on any thread count, so the weights are the same bits.
      runtime::parallel_blocks(lay.total, kUpdateGrain, [&](std::size_t b, std::size_t i0, std::size_t i1) {
        update_range(i0, i1, net, lay, grads, parts, reg, o, lr_t, decay, block_norms.data() + 8 * b);
        repack_params(net, lay, packed, i0, i1);
      });
    }
    double norm2 = 0;
    for (double n : block_norms) norm2 += n;
    batch_loss += 0.5 * o.alpha * norm2 / static_cast<double>(rows);
    total += batch_loss * static_cast<double>(rows);
  }
  *a.loss = total / static_cast<double>(n);
}

}  // namespace

std::size_t param_count(const Network& net) { return layout(net).total; }

void train_epoch(const EpochArgs& args) {
  const Layout lay = layout(args.net);
  const std::size_t parts = part_count(args.batch);
  // Past 2^20 parameters the weights and moments stay in the caller's arrays: their copies would
  // take as much memory again, and the placement effect is a small network's, whose arrays share
  // the caches.
  const bool copy_state = lay.total <= (std::size_t{1} << 20);
  StepArena arena(lay.total, (copy_state ? 3 : 0) + parts);
  if (!copy_state) {
    train_epoch_in(args, lay, arena.slot.data());
    return;
  }
  EpochArgs a = args;
  a.net.params = arena.slot[0];
  a.opt.m = arena.slot[1];
  a.opt.v = arena.slot[2];
  std::copy(args.net.params, args.net.params + lay.total, a.net.params);
  if (args.opt.m != nullptr) std::copy(args.opt.m, args.opt.m + lay.total, a.opt.m);
  if (args.opt.v != nullptr) std::copy(args.opt.v, args.opt.v + lay.total, a.opt.v);
  train_epoch_in(a, lay, arena.slot.data() + 3);
  std::copy(a.net.params, a.net.params + lay.total, args.net.params);
  if (args.opt.m != nullptr) std::copy(a.opt.m, a.opt.m + lay.total, args.opt.m);
  if (args.opt.v != nullptr) std::copy(a.opt.v, a.opt.v + lay.total, args.opt.v);
}

double loss_and_grad(const Network& net, const Data& d, float alpha, float* grad) {
  const Layout lay = layout(net);
  std::vector<int32_t> idx(d.n);
  for (std::size_t i = 0; i < d.n; ++i) idx[i] = static_cast<int32_t>(i);
  Work w(net, d.n);
  load_rows(d, net.sizes[0], net.sizes[net.layers], idx.data(), d.n, w);
  PackedNet packed;
  pack_net(net, lay, packed, true);
  forward_batch(net, lay, w, d.n, 0.0f, nullptr, &packed);
  const double loss = backward_batch(net, lay, w, d, idx.data(), d.n, d.n, false, grad, &packed);
  return loss + add_l2(net, lay, alpha, d.n, grad);
}

void forward(const Network& net, const float* x, std::size_t n, float* out) {
  const Layout lay = layout(net);
  const std::size_t chunk = 1024, din = net.sizes[0], dout = net.sizes[net.layers];
  Work w(net, std::min(chunk, std::max<std::size_t>(n, 1)));
  PackedNet packed;
  pack_net(net, lay, packed, false);  // forward products only: no W'
  for (std::size_t s = 0; s < n; s += chunk) {
    const std::size_t rows = std::min(chunk, n - s);
    std::copy(x + s * din, x + (s + rows) * din, w.act[0]);
    forward_batch(net, lay, w, rows, 0.0f, nullptr, &packed);
    std::copy(w.act[net.layers], w.act[net.layers] + rows * dout, out + s * dout);
  }
}

}  // namespace kiln::mlp
