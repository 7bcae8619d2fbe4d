#include "mlp.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "../../runtime/simd_clones.h"
#include "../../runtime/thread_pool.h"
#include "../gemm/gemm.h"

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

void activate(Activation f, float* z, std::size_t len) {
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
void activation_grad(Activation f, const float* a, float* d, std::size_t len) {
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

// Working buffers for one batch of up to `rows` rows.
struct Work {
  std::vector<std::vector<float>> act;   // act[l]: rows x sizes[l] (act[0] = the input batch)
  std::vector<std::vector<float>> mask;  // dropout masks of hidden layers
  std::vector<float> delta, prev;        // rows x widest
  Work(const Network& net, std::size_t rows) : act(net.layers + 1), mask(net.layers + 1) {
    std::size_t widest = 0;
    for (std::size_t l = 0; l <= net.layers; ++l) {
      act[l].resize(rows * net.sizes[l]);
      widest = std::max(widest, net.sizes[l]);
    }
    delta.resize(rows * widest);
    prev.resize(rows * widest);
  }
};

// Forward through all layers for `rows` rows already in w.act[0]; returns nothing,
// leaves outputs (probabilities / values) in w.act[layers].
void forward_batch(const Network& net, const Layout& lay, Work& w, std::size_t rows, float dropout, uint32_t* state) {
  for (std::size_t l = 0; l < net.layers; ++l) {
    const std::size_t din = net.sizes[l], dout = net.sizes[l + 1];
    float* z = w.act[l + 1].data();
    const float* bias = net.params + lay.b[l];
    for (std::size_t r = 0; r < rows; ++r) std::copy(bias, bias + dout, z + r * dout);
    gemm_f32(false, false, rows, dout, din, w.act[l].data(), net.params + lay.w[l], z, 1.0f);
    const bool last = l + 1 == net.layers;
    if (!last) {
      activate(net.hidden, z, rows * dout);
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
                      std::size_t rows, std::size_t batch_rows, bool dropout, float* grad) {
  const std::size_t L = net.layers, dout = net.sizes[L];
  const float* out = w.act[L].data();
  float* delta = w.delta.data();
  double loss = 0;
  // Output delta = dLoss/dZ_L (already divided by rows).
  for (std::size_t r = 0; r < rows; ++r) {
    const std::size_t row = static_cast<std::size_t>(rows_idx[r]);
    const float wr = d.weights != nullptr ? d.weights[row] : 1.0f;
    if (net.output == Output::Softmax) {
      const int32_t y = d.labels[row];
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
  for (std::size_t l = L; l-- > 0;) {
    const std::size_t din = net.sizes[l], dl = net.sizes[l + 1];
    const float* W = net.params + lay.w[l];
    // gW = act[l]' * delta + alpha / rows * W ; gb = column sums of delta
    gemm_f32(true, false, din, dl, rows, w.act[l].data(), delta, grad + lay.w[l]);
    float* gb = grad + lay.b[l];
    std::fill(gb, gb + dl, 0.0f);
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t c = 0; c < dl; ++c) gb[c] += delta[r * dl + c];
    if (l == 0) break;
    // delta_{l-1} = (delta * W') ⊙ f'(act[l]) (⊙ dropout mask)
    float* prev = w.prev.data();
    gemm_f32(false, true, rows, din, dl, delta, W, prev);
    if (dropout) {
      // act[l] holds f(z) * mask: undo the mask to get f(z) for the derivative.
      const std::vector<float>& m = w.mask[l];
      const float* act = w.act[l].data();
      for (std::size_t i = 0; i < rows * din; ++i) {
        if (m[i] == 0) {
          prev[i] = 0;
          continue;
        }
        float pre = act[i] / m[i];
        prev[i] *= m[i];
        activation_grad(net.hidden, &pre, &prev[i], 1);
      }
    } else {
      activation_grad(net.hidden, w.act[l].data(), prev, rows * din);
    }
    std::swap(w.delta, w.prev);
    delta = w.delta.data();
  }
  return loss;
}

double weight_norm2(const Network& net, const Layout& lay) {
  double s = 0;
  for (std::size_t l = 0; l < net.layers; ++l) {
    const float* W = net.params + lay.w[l];
    for (std::size_t i = 0; i < net.sizes[l] * net.sizes[l + 1]; ++i) s += static_cast<double>(W[i]) * W[i];
  }
  return s;
}

// grad += alpha / rows * W for every weight (not bias); returns alpha/2 ||W||^2 / rows.
double add_l2(const Network& net, const Layout& lay, float alpha, std::size_t rows, float* grad) {
  double penalty = 0;
  const float reg = alpha / static_cast<float>(rows);
  for (std::size_t l = 0; l < net.layers; ++l) {
    const float* W = net.params + lay.w[l];
    for (std::size_t i = 0; i < net.sizes[l] * net.sizes[l + 1]; ++i) {
      grad[lay.w[l] + i] += reg * W[i];
      penalty += static_cast<double>(W[i]) * W[i];
    }
  }
  return 0.5 * alpha * penalty / static_cast<double>(rows);
}

// The per-parameter work of one batch on params [i0, i1): sum the parts' gradients,
// add the L2 term (weights only: `is_weight`), take the optimiser step. Elementwise,
// so any split over threads gives the same weights.
KILN_CLONES void update_range(std::size_t i0, std::size_t i1, const std::vector<std::vector<float>>& parts,
                              const unsigned char* is_weight, float reg, const Optimiser& o, float lr_t, float decay,
                              float* p) {
  for (std::size_t i = i0; i < i1; ++i) {
    float g = parts[0][i];
    for (std::size_t k = 1; k < parts.size(); ++k) g += parts[k][i];
    if (is_weight[i]) g += reg * p[i];
    if (o.solver == Solver::Adam) {
      o.m[i] = o.beta1 * o.m[i] + (1 - o.beta1) * g;
      o.v[i] = o.beta2 * o.v[i] + (1 - o.beta2) * g * g;
      p[i] -= lr_t * o.m[i] / (std::sqrt(o.v[i]) + o.eps);
    } else {
      o.m[i] = o.momentum * o.m[i] - o.lr * g;
      p[i] += o.nesterov ? o.momentum * o.m[i] - o.lr * g : o.m[i];
    }
    if (is_weight[i]) p[i] *= decay;
  }
}

void load_rows(const Data& d, std::size_t din, const int32_t* idx, std::size_t rows, float* dst) {
  for (std::size_t r = 0; r < rows; ++r) {
    const float* src = d.x + static_cast<std::size_t>(idx[r]) * din;
    std::copy(src, src + din, dst + r * din);
  }
}

}  // namespace

std::size_t param_count(const Network& net) { return layout(net).total; }

void train_epoch(const EpochArgs& a) {
  const Network& net = a.net;
  const Layout lay = layout(net);
  const std::size_t n = a.data.n, din = net.sizes[0];
  // Each batch is split into `parts` row blocks computed on different threads, each
  // with its own buffers and gradient; gradients are summed in part order, so the
  // result depends on the part count (fixed by the batch size), not on the threads.
  const std::size_t parts = std::max<std::size_t>(1, std::min<std::size_t>(4, a.batch / 64));
  const std::size_t part_rows = (a.batch + parts - 1) / parts;
  std::vector<Work> work;
  std::vector<std::vector<float>> grads(parts, std::vector<float>(lay.total));
  std::vector<double> part_loss(parts);
  std::vector<uint32_t> states(parts);
  for (std::size_t i = 0; i < parts; ++i) {
    work.emplace_back(net, part_rows);
    states[i] = (a.seed != 0 ? a.seed : 1) + static_cast<uint32_t>(i) * 0x9E3779B9u;
    if (states[i] == 0) states[i] = 1;
  }
  std::vector<unsigned char> is_weight(lay.total, 0);
  for (std::size_t l = 0; l < net.layers; ++l) std::fill(is_weight.begin() + lay.w[l], is_weight.begin() + lay.b[l], 1);
  double total = 0;
  const Optimiser& o = a.opt;
  for (std::size_t start = 0; start < n; start += a.batch) {
    const std::size_t rows = std::min(a.batch, n - start);
    runtime::parallel_for(parts, 1, [&](std::size_t p0, std::size_t p1) {
      for (std::size_t part = p0; part < p1; ++part) {
        const std::size_t r0 = std::min(rows, part * part_rows), r1 = std::min(rows, r0 + part_rows);
        float* g = grads[part].data();
        if (r0 == r1) {
          std::fill(g, g + lay.total, 0.0f);
          part_loss[part] = 0;
          continue;
        }
        Work& w = work[part];
        load_rows(a.data, din, a.order + start + r0, r1 - r0, w.act[0].data());
        forward_batch(net, lay, w, r1 - r0, a.dropout, a.dropout > 0 ? &states[part] : nullptr);
        part_loss[part] = backward_batch(net, lay, w, a.data, a.order + start + r0, r1 - r0, rows, a.dropout > 0, g);
      }
    });
    double batch_loss = 0;
    for (std::size_t part = 0; part < parts; ++part) batch_loss += part_loss[part];
    // L2 penalty of the current weights (for the reported loss), in fixed blocks.
    batch_loss += 0.5 * o.alpha * weight_norm2(net, lay) / static_cast<double>(rows);
    total += batch_loss * static_cast<double>(rows);
    float lr_t = o.lr;
    if (o.solver == Solver::Adam) {
      const double t = ++*o.step;
      lr_t = static_cast<float>(o.lr * std::sqrt(1 - std::pow(o.beta2, t)) / (1 - std::pow(o.beta1, t)));
    }
    const float reg = o.alpha / static_cast<float>(rows), decay = 1.0f - o.lr * o.weight_decay;
    runtime::parallel_for(lay.total, 8192, [&](std::size_t i0, std::size_t i1) {
      update_range(i0, i1, grads, is_weight.data(), reg, o, lr_t, decay, net.params);
    });
  }
  *a.loss = total / static_cast<double>(n);
}

double loss_and_grad(const Network& net, const Data& d, float alpha, float* grad) {
  const Layout lay = layout(net);
  std::vector<int32_t> idx(d.n);
  for (std::size_t i = 0; i < d.n; ++i) idx[i] = static_cast<int32_t>(i);
  Work w(net, d.n);
  load_rows(d, net.sizes[0], idx.data(), d.n, w.act[0].data());
  forward_batch(net, lay, w, d.n, 0.0f, nullptr);
  const double loss = backward_batch(net, lay, w, d, idx.data(), d.n, d.n, false, grad);
  return loss + add_l2(net, lay, alpha, d.n, grad);
}

void forward(const Network& net, const float* x, std::size_t n, float* out) {
  const Layout lay = layout(net);
  const std::size_t chunk = 1024, din = net.sizes[0], dout = net.sizes[net.layers];
  Work w(net, std::min(chunk, std::max<std::size_t>(n, 1)));
  for (std::size_t s = 0; s < n; s += chunk) {
    const std::size_t rows = std::min(chunk, n - s);
    std::copy(x + s * din, x + (s + rows) * din, w.act[0].data());
    forward_batch(net, lay, w, rows, 0.0f, nullptr);
    std::copy(w.act[net.layers].data(), w.act[net.layers].data() + rows * dout, out + s * dout);
  }
}

}  // namespace kiln::mlp
