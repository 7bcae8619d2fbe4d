#include "split.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace kiln::hist {

namespace {

double shrink(double g, double l1) {
  if (l1 <= 0) return g;
  return g > l1 ? g - l1 : (g < -l1 ? g + l1 : 0.0);
}

// Sums are kept in histogram units (quantised integers stay exact); scales turn them into
// gradient units only where a score is computed.
struct Scorer {
  double g_scale, h_scale, l1, l2;
  int32_t channels;
  double score(const double* g, double h) const {
    const double denom = h * h_scale + l2;
    if (denom <= 0) return 0;
    double s = 0;
    for (int32_t c = 0; c < channels; ++c) {
      const double t = shrink(g[c] * g_scale, l1);
      s += t * t;
    }
    return s / denom;
  }
};

// One feature's bins as separate arrays of units: g[c * nb + b], h[b], n[b].
struct FeatureBins {
  std::vector<double> g, h, n;
  void load(const SplitContext& ctx, const void* hist, int32_t f, int32_t nb) {
    const HistLayout& L = *ctx.layout;
    const int32_t C = L.channels;
    g.assign(static_cast<std::size_t>(C) * nb, 0.0);
    h.assign(nb, 0.0);
    n.assign(nb, 0.0);
    for (int32_t b = 0; b < nb; ++b) {
      const std::size_t slot = (static_cast<std::size_t>(f) * kMaxBins + b) * L.stride;
      if (L.quantized) {
        const int64_t* e = static_cast<const int64_t*>(hist) + slot;
        const uint32_t hq = static_cast<uint32_t>(static_cast<uint64_t>(e[0]) & 0xffffffffu);
        g[b] = static_cast<double>((e[0] - static_cast<int64_t>(hq)) >> 32);
        h[b] = hq;
        n[b] = static_cast<double>(e[1]);
      } else {
        const double* e = static_cast<const double*>(hist) + slot;
        for (int32_t c = 0; c < C; ++c) g[static_cast<std::size_t>(c) * nb + b] = e[c];
        h[b] = e[C];
        n[b] = e[C + 1];
      }
    }
  }
};

class Searcher {
 public:
  Searcher(const SplitContext& ctx, const Sums& total, double lower, double upper)
      : ctx_(ctx), p_(*ctx.params), total_(total), lower_(lower), upper_(upper),
        C_(ctx.layout->channels), plain_{ctx.g_scale, ctx.h_scale, p_.lambda_l1, p_.lambda_l2, C_},
        cat_{ctx.g_scale, ctx.h_scale, p_.lambda_l1, p_.lambda_l2 + p_.cat_l2, C_}, left_g_(C_), right_g_(C_) {
    best_.gain = std::max(0.0, p_.min_gain_to_split);
  }

  void feature(const void* hist, int32_t f, int32_t node) {
    const int32_t nb = ctx_.data->bin_count[f];
    if (nb < 2) return;
    bins_.load(ctx_, hist, f, nb);
    const bool is_cat = ctx_.data->categorical != nullptr && ctx_.data->categorical[f];
    cst_ = ctx_.monotone != nullptr && !is_cat ? ctx_.monotone[f] : 0;
    if (is_cat) categorical(f, nb);
    else if (p_.random_thresholds) random_numerical(f, nb, node);
    else numerical(f, nb);
  }

  Split result() {
    if (best_.valid) {
      best_.right.g.resize(C_);
      for (int32_t c = 0; c < C_; ++c) best_.right.g[c] = total_.g[c] - best_.left.g[c];
      best_.right.h = total_.h - best_.left.h;
      best_.right.n = total_.n - best_.left.n;
    }
    return best_;
  }

 private:
  // Monotone mode (scikit-learn's rule): the value -T(g)/(h + l2) clipped to the leaf's bounds,
  // and (in `score`) the score -T(g) * value it earns.
  double bounded(const Scorer& sc, double g, double h, double& score) const {
    const double t = shrink(g * sc.g_scale, sc.l1), denom = h * sc.h_scale + sc.l2;
    const double value = std::min(upper_, std::max(lower_, denom > 0 ? -t / denom : 0.0));
    score = -t * value;
    return value;
  }
  double parent_of(const Scorer& sc) const {
    if (ctx_.monotone == nullptr) return sc.score(total_.g.data(), total_.h);
    double score;
    bounded(sc, total_.g[0], total_.h, score);
    return score;
  }

  // Tries left = (lg, lh, ln); returns whether it became the best.
  bool consider(const Scorer& sc, double parent_score, const double* lg, double lh, double ln) {
    const double rn = total_.n - ln, rh = total_.h - lh;
    if (ln < p_.min_data_in_leaf || rn < p_.min_data_in_leaf) return false;
    if (lh * ctx_.h_scale < p_.min_sum_hessian || rh * ctx_.h_scale < p_.min_sum_hessian) return false;
    for (int32_t c = 0; c < C_; ++c) right_g_[c] = total_.g[c] - lg[c];
    double gain;
    if (ctx_.monotone != nullptr) {
      double sl, sr;
      const double vl = bounded(sc, lg[0], lh, sl), vr = bounded(sc, right_g_[0], rh, sr);
      if ((cst_ > 0 && vl > vr) || (cst_ < 0 && vl < vr)) return false;
      gain = sl + sr - parent_score;
    } else {
      gain = sc.score(lg, lh) + sc.score(right_g_.data(), rh) - parent_score;
    }
    if (!(gain > best_.gain) || !(gain > 1e-10 * std::abs(parent_score))) return false;
    best_.valid = true;
    best_.gain = gain;
    best_.left.g.assign(lg, lg + C_);
    best_.left.h = lh;
    best_.left.n = ln;
    return true;
  }

  // consider() for one channel without monotonic constraints: the same arithmetic, in the same
  // order (score: t * t / (h * h_scale + l2), t the shrunk scaled gradient), without its loops
  // over channels; the common case of every boosting round's searches.
  bool consider1(double parent_score, double lg, double lh, double ln) {
    const double rn = total_.n - ln, rh = total_.h - lh;
    if (ln < p_.min_data_in_leaf || rn < p_.min_data_in_leaf) return false;
    if (lh * ctx_.h_scale < p_.min_sum_hessian || rh * ctx_.h_scale < p_.min_sum_hessian) return false;
    const double rg = total_.g[0] - lg;
    const double gain = score1(lg, lh) + score1(rg, rh) - parent_score;
    if (!(gain > best_.gain) || !(gain > 1e-10 * std::abs(parent_score))) return false;
    best_.valid = true;
    best_.gain = gain;
    best_.left.g.assign(1, lg);
    best_.left.h = lh;
    best_.left.n = ln;
    return true;
  }
  double score1(double g, double h) const {
    const double denom = h * plain_.h_scale + plain_.l2;
    if (denom <= 0) return 0;
    const double t = shrink(g * plain_.g_scale, plain_.l1);
    return t * t / denom;
  }

  void numerical1(int32_t f, int32_t nb) {
    const double parent = parent_of(plain_);
    const bool has_missing = bins_.n[0] > 0;
    const double *g = bins_.g.data(), *h = bins_.h.data(), *n = bins_.n.data();
    double lg = 0, lh = 0, ln = 0;
    for (int32_t t = 1; t < nb; ++t) {
      lg += g[t];
      lh += h[t];
      ln += n[t];
      if ((t < nb - 1 || has_missing) && consider1(parent, lg, lh, ln))
        set_numerical(f, t, has_missing ? false : ln >= total_.n - ln);
      if (has_missing && t < nb - 1 && consider1(parent, lg + g[0], lh + h[0], ln + n[0])) set_numerical(f, t, true);
    }
  }

  void numerical(int32_t f, int32_t nb) {
    if (C_ == 1 && ctx_.monotone == nullptr) return numerical1(f, nb);
    const double parent = parent_of(plain_);
    const bool has_missing = bins_.n[0] > 0;
    std::fill(left_g_.begin(), left_g_.end(), 0.0);
    double lh = 0, ln = 0;
    std::vector<double> with_missing(C_);
    for (int32_t t = 1; t < nb; ++t) {
      for (int32_t c = 0; c < C_; ++c) left_g_[c] += bins_.g[static_cast<std::size_t>(c) * nb + t];
      lh += bins_.h[t];
      ln += bins_.n[t];
      if (t < nb - 1 || has_missing) {
        if (consider(plain_, parent, left_g_.data(), lh, ln)) {
          set_numerical(f, t, has_missing ? false : ln >= total_.n - ln);
        }
      }
      if (has_missing && t < nb - 1) {
        for (int32_t c = 0; c < C_; ++c) with_missing[c] = left_g_[c] + bins_.g[static_cast<std::size_t>(c) * nb];
        if (consider(plain_, parent, with_missing.data(), lh + bins_.h[0], ln + bins_.n[0])) set_numerical(f, t, true);
      }
    }
  }

  // Extra trees: the threshold drawn for this node and feature, missing values tried on both sides.
  void random_numerical(int32_t f, int32_t nb, int32_t node) {
    int32_t lo = 1, hi = nb - 1;
    while (lo < nb && bins_.n[lo] == 0) ++lo;
    while (hi > lo && bins_.n[hi] == 0) --hi;
    if (lo >= hi) return;  // one value in this node: nothing to split
    const int32_t t = random_threshold(p_.seed, node, f, lo, hi);
    std::fill(left_g_.begin(), left_g_.end(), 0.0);
    double lh = 0, ln = 0;
    for (int32_t b = 1; b <= t; ++b) {
      for (int32_t c = 0; c < C_; ++c) left_g_[c] += bins_.g[static_cast<std::size_t>(c) * nb + b];
      lh += bins_.h[b];
      ln += bins_.n[b];
    }
    const double parent = parent_of(plain_);
    const bool has_missing = bins_.n[0] > 0;
    if (consider(plain_, parent, left_g_.data(), lh, ln))
      set_numerical(f, t, has_missing ? false : ln >= total_.n - ln);
    if (has_missing) {
      for (int32_t c = 0; c < C_; ++c) left_g_[c] += bins_.g[static_cast<std::size_t>(c) * nb];
      if (consider(plain_, parent, left_g_.data(), lh + bins_.h[0], ln + bins_.n[0])) set_numerical(f, t, true);
    }
  }

  void set_numerical(int32_t f, int32_t t, bool default_left) {
    best_.feature = f;
    best_.threshold = t;
    best_.default_left = default_left;
    best_.categorical = false;
  }

  void categorical(int32_t f, int32_t nb) {
    const double parent = parent_of(cat_);
    std::vector<int32_t> present;
    for (int32_t b = 0; b < nb; ++b)
      if (bins_.n[b] > 0) present.push_back(b);
    if (present.size() < 2) return;
    std::vector<double> lg(C_);
    if (C_ > 1 || static_cast<int32_t>(present.size()) <= p_.max_cat_to_onehot) {
      for (int32_t b : present) {  // one category against the rest
        for (int32_t c = 0; c < C_; ++c) lg[c] = bins_.g[static_cast<std::size_t>(c) * nb + b];
        if (consider(cat_, parent, lg.data(), bins_.h[b], bins_.n[b])) set_categorical(f, &b, 1);
      }
      return;
    }
    // Categories ordered by their smoothed mean gradient: the best split is a prefix.
    auto ratio = [&](int32_t b) { return bins_.g[b] * ctx_.g_scale / (bins_.h[b] * ctx_.h_scale + p_.cat_smooth); };
    std::stable_sort(present.begin(), present.end(), [&](int32_t a, int32_t b) { return ratio(a) < ratio(b); });
    double lh = 0, ln = 0;
    lg[0] = 0;
    for (std::size_t k = 0; k + 1 < present.size(); ++k) {
      const int32_t b = present[k];
      lg[0] += bins_.g[b];
      lh += bins_.h[b];
      ln += bins_.n[b];
      if (consider(cat_, parent, lg.data(), lh, ln)) set_categorical(f, present.data(), static_cast<int32_t>(k + 1));
    }
  }

  void set_categorical(int32_t f, const int32_t* left_bins, int32_t count) {
    best_.feature = f;
    best_.threshold = 0;
    best_.categorical = true;
    std::fill(std::begin(best_.cat_bits), std::end(best_.cat_bits), 0u);
    for (int32_t i = 0; i < count; ++i) best_.cat_bits[left_bins[i] >> 5] |= 1u << (left_bins[i] & 31);
    best_.default_left = (best_.cat_bits[0] & 1u) != 0;
  }

  const SplitContext& ctx_;
  const TreeParams& p_;
  const Sums& total_;
  double lower_, upper_;
  int32_t cst_ = 0;
  int32_t C_;
  Scorer plain_, cat_;
  FeatureBins bins_;
  std::vector<double> left_g_, right_g_;
  Split best_;
};

}  // namespace

double node_score(const Sums& s, double l1, double l2) {
  Scorer sc{1, 1, l1, l2, static_cast<int32_t>(s.g.size())};
  return sc.score(s.g.data(), s.h);
}

double leaf_value(const Sums& s, int32_t c, double l1, double l2, double lower, double upper) {
  const double denom = s.h + l2;
  return std::min(upper, std::max(lower, denom > 0 ? -shrink(s.g[c], l1) / denom : 0.0));
}

Sums histogram_total(const SplitContext& ctx, const void* hist) {
  const HistLayout& L = *ctx.layout;
  Sums s;
  s.g.assign(L.channels, 0.0);
  FeatureBins fb;
  const int32_t nb = ctx.data->bin_count[0];
  fb.load(ctx, hist, 0, nb);
  for (int32_t b = 0; b < nb; ++b) {
    for (int32_t c = 0; c < L.channels; ++c) s.g[c] += fb.g[static_cast<std::size_t>(c) * nb + b];
    s.h += fb.h[b];
    s.n += fb.n[b];
  }
  return s;
}

Split find_best_split(const SplitContext& ctx, const void* hist, const Sums& total,
                      const std::vector<uint8_t>& features, int32_t node, double lower, double upper) {
  Searcher s(ctx, total, lower, upper);
  for (std::size_t f = 0; f < features.size(); ++f)
    if (features[f]) s.feature(hist, static_cast<int32_t>(f), node);
  return s.result();
}

}  // namespace kiln::hist
