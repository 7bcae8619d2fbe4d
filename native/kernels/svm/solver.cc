// LIBSVM's solver in C++: the same steps as src/backend/svm/solver.ts (the js oracle).
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

#include "../../runtime/thread_pool.h"
#include "svm.h"

namespace kiln::svm {

namespace {

constexpr double TAU = 1e-12;
constexpr double INF = std::numeric_limits<double>::infinity();
enum : uint8_t { LOWER = 0, UPPER = 1, FREE = 2 };

double powi(double base, int times) {
  double tmp = base, ret = 1.0;
  for (int t = times; t > 0; t /= 2) {
    if (t % 2 == 1) ret *= tmp;
    tmp = tmp * tmp;
  }
  return ret;
}

// One block of a kernel row: dot products, then the kernel's map.
void kernel_block(const KernelData& k, std::size_t a, const int32_t* cols, std::size_t from, std::size_t to,
                  double* out) {
  const double* xa = k.x + a * k.d;
  dots(k.x, k.d, xa, cols, from, to, out);
  switch (k.kind) {
    case KernelKind::Linear: return;
    case KernelKind::Rbf: rbf_map(out, k.sq, cols, from, to, k.sq[a], k.gamma); return;
    case KernelKind::Poly:
      for (std::size_t j = from; j < to; ++j) out[j] = powi(k.gamma * out[j] + k.coef0, k.degree);
      return;
    case KernelKind::Sigmoid: tanh_map(out, from, to, k.gamma, k.coef0); return;
  }
}

double kernel_diag(const KernelData& k, std::size_t a) {
  const double s = k.sq[a];
  switch (k.kind) {
    case KernelKind::Linear: return s;
    case KernelKind::Rbf: return 1.0;  // exp(-gamma (s + s - 2 s)), exactly
    case KernelKind::Poly: return powi(k.gamma * s + k.coef0, k.degree);
    default: return std::tanh(k.gamma * s + k.coef0);
  }
}

// LIBSVM's Cache: rows of varying valid length, LRU, a budget counted in floats.
class Cache {
 public:
  Cache(std::size_t l, double bytes) : l_(l), head_(l + 1) {
    const double floats = std::floor(bytes / sizeof(float)) - static_cast<double>(l) * 8;
    size_ = static_cast<int64_t>(std::max(floats, 2.0 * static_cast<double>(l)));
    head_[l].prev = head_[l].next = static_cast<int64_t>(l);
  }
  ~Cache() {
    for (auto& h : head_) std::free(h.data);
  }
  Cache(const Cache&) = delete;
  Cache& operator=(const Cache&) = delete;

  // Ensures row `index` holds `len` floats; returns how many were already valid.
  std::size_t get_data(std::size_t index, float** data, std::size_t len) {
    Head& h = head_[index];
    if (h.len) unlink(index);
    const int64_t more = static_cast<int64_t>(len) - static_cast<int64_t>(h.len);
    std::size_t had = h.len;
    if (more > 0) {
      while (size_ < more) {
        const std::size_t old = static_cast<std::size_t>(head_[l_].next);
        unlink(old);
        std::free(head_[old].data);
        size_ += static_cast<int64_t>(head_[old].len);
        head_[old].data = nullptr;
        head_[old].len = 0;
      }
      void* grown = std::realloc(h.data, sizeof(float) * len);
      if (grown == nullptr) throw std::bad_alloc();
      h.data = static_cast<float*>(grown);
      size_ -= more;
      h.len = len;
    } else {
      had = len;
    }
    link(index);
    *data = h.data;
    return had;
  }

  void swap_index(std::size_t i, std::size_t j) {
    if (i == j) return;
    if (head_[i].len) unlink(i);
    if (head_[j].len) unlink(j);
    std::swap(head_[i].data, head_[j].data);
    std::swap(head_[i].len, head_[j].len);
    if (head_[i].len) link(i);
    if (head_[j].len) link(j);
    if (i > j) std::swap(i, j);
    for (int64_t h = head_[l_].next; h != static_cast<int64_t>(l_);) {
      Head& e = head_[static_cast<std::size_t>(h)];
      const int64_t after = e.next;
      if (e.len > i) {
        if (e.len > j) {
          std::swap(e.data[i], e.data[j]);
        } else {
          unlink(static_cast<std::size_t>(h));
          std::free(e.data);
          size_ += static_cast<int64_t>(e.len);
          e.data = nullptr;
          e.len = 0;
        }
      }
      h = after;
    }
  }

 private:
  struct Head {
    int64_t prev = -1, next = -1;
    float* data = nullptr;
    std::size_t len = 0;
  };
  void unlink(std::size_t h) {
    head_[static_cast<std::size_t>(head_[h].prev)].next = head_[h].next;
    head_[static_cast<std::size_t>(head_[h].next)].prev = head_[h].prev;
  }
  void link(std::size_t h) {
    head_[h].next = static_cast<int64_t>(l_);
    head_[h].prev = head_[l_].prev;
    head_[static_cast<std::size_t>(head_[h].prev)].next = static_cast<int64_t>(h);
    head_[l_].prev = static_cast<int64_t>(h);
  }
  std::size_t l_;
  std::vector<Head> head_;
  int64_t size_;
};

class QMatrix {
 public:
  virtual ~QMatrix() = default;
  virtual const float* get_Q(std::size_t i, std::size_t len) = 0;
  virtual void swap_index(std::size_t i, std::size_t j) = 0;
  std::vector<double> QD;
};

// SVC_Q (y given) and ONE_CLASS_Q (no y).
class ClassQ final : public QMatrix {
 public:
  ClassQ(const KernelData& k, const int32_t* rows, std::size_t l, const int8_t* y, double cache_bytes)
      : k_(k), idx_(rows, rows + l), cache_(l, cache_bytes), buf_(l) {
    if (y != nullptr) y_.assign(y, y + l);
    QD.resize(l);
    for (std::size_t i = 0; i < l; ++i) QD[i] = kernel_diag(k, static_cast<std::size_t>(rows[i]));
  }
  const float* get_Q(std::size_t i, std::size_t len) override {
    float* row;
    const std::size_t start = cache_.get_data(i, &row, len);
    if (start < len) {
      compute(static_cast<std::size_t>(idx_[i]), idx_.data(), start, len, buf_.data());
      if (!y_.empty()) {
        const int yi = y_[i];
        for (std::size_t j = start; j < len; ++j) row[j] = static_cast<float>(yi * y_[j] * buf_[j]);
      } else {
        for (std::size_t j = start; j < len; ++j) row[j] = static_cast<float>(buf_[j]);
      }
    }
    return row;
  }
  void swap_index(std::size_t i, std::size_t j) override {
    cache_.swap_index(i, j);
    std::swap(idx_[i], idx_[j]);
    if (!y_.empty()) std::swap(y_[i], y_[j]);
    std::swap(QD[i], QD[j]);
  }

  // A kernel row block, split over the thread pool when long: in fixed blocks of 2,048 from
  // `from` whatever the thread count, since the exp and tanh maps take glibc's vector functions in
  // a loop's body and the scalar ones in its remainder (the same rule as the activations).
  static void compute_with(const KernelData& k, std::size_t a, const int32_t* cols, std::size_t from, std::size_t to,
                           double* out) {
    const std::size_t n = to - from;
    if (n * k.d < (std::size_t{1} << 15)) {
      kernel_block(k, a, cols, from, to, out);
      return;
    }
    runtime::parallel_blocks(
        n, 2048, [&](std::size_t, std::size_t b, std::size_t e) { kernel_block(k, a, cols, from + b, from + e, out); });
  }

 private:
  void compute(std::size_t a, const int32_t* cols, std::size_t from, std::size_t to, double* out) {
    compute_with(k_, a, cols, from, to, out);
  }
  KernelData k_;
  std::vector<int32_t> idx_;
  std::vector<int8_t> y_;
  Cache cache_;
  std::vector<double> buf_;
};

// SVR_Q: variables k < l are alpha_k (sign +1), k + l are alpha*_k (sign -1); both read kernel row k.
class RegressionQ final : public QMatrix {
 public:
  RegressionQ(const KernelData& k, const int32_t* rows, std::size_t l, double cache_bytes)
      : k_(k), rows_(rows), l_(l), cache_(l, cache_bytes), sign_(2 * l), index_(2 * l), tmp_(l) {
    QD.resize(2 * l);
    for (std::size_t i = 0; i < l; ++i) {
      sign_[i] = 1;
      sign_[i + l] = -1;
      index_[i] = index_[i + l] = static_cast<int32_t>(i);
      QD[i] = QD[i + l] = kernel_diag(k, static_cast<std::size_t>(rows[i]));
    }
    buffer_[0].resize(2 * l);
    buffer_[1].resize(2 * l);
  }
  const float* get_Q(std::size_t i, std::size_t len) override {
    float* data;
    const std::size_t real = static_cast<std::size_t>(index_[i]);
    if (cache_.get_data(real, &data, l_) < l_) {
      ClassQ::compute_with(k_, static_cast<std::size_t>(rows_[real]), rows_, 0, l_, tmp_.data());
      for (std::size_t j = 0; j < l_; ++j) data[j] = static_cast<float>(tmp_[j]);
    }
    float* buf = buffer_[next_].data();
    next_ = 1 - next_;
    const float si = sign_[i];
    for (std::size_t j = 0; j < len; ++j) buf[j] = si * static_cast<float>(sign_[j]) * data[index_[j]];
    return buf;
  }
  void swap_index(std::size_t i, std::size_t j) override {
    std::swap(sign_[i], sign_[j]);
    std::swap(index_[i], index_[j]);
    std::swap(QD[i], QD[j]);
  }

 private:
  KernelData k_;
  const int32_t* rows_;
  std::size_t l_;
  Cache cache_;
  std::vector<int8_t> sign_;
  std::vector<int32_t> index_;
  std::vector<double> tmp_;
  std::vector<float> buffer_[2];
  int next_ = 0;
};

class Solver {
 public:
  Solver(QMatrix& Q, const SolveArgs& a, std::size_t l)
      : Q_(Q), l_(l), y_(a.y, a.y + l), p_(a.p, a.p + l), alpha_(a.alpha0, a.alpha0 + l), C_(a.C, a.C + l), G_(l),
        Gbar_(l, 0.0), status_(l), active_set_(l), eps_(a.eps), shrinking_(a.shrinking), max_iter_(a.max_iter),
        nu_(a.nu), stop_(a.stop) {
    for (std::size_t i = 0; i < l; ++i) update_status(i);
    for (std::size_t i = 0; i < l; ++i) active_set_[i] = static_cast<int32_t>(i);
    active_size_ = l;
    for (std::size_t i = 0; i < l; ++i) G_[i] = p_[i];
    for (std::size_t i = 0; i < l; ++i) {
      if (status_[i] == LOWER) continue;
      const float* Qi = Q_.get_Q(i, l);
      const double ai = alpha_[i];
      for (std::size_t j = 0; j < l; ++j) G_[j] += ai * Qi[j];
      if (status_[i] == UPPER)
        for (std::size_t j = 0; j < l; ++j) Gbar_[j] += C_[i] * Qi[j];
    }
  }

  // Returns false when stopped by the flag.
  bool run() {
    int64_t counter = static_cast<int64_t>(std::min<std::size_t>(l_, 1000)) + 1;
    const double* QD = Q_.QD.data();
    for (;;) {
      if (max_iter_ != -1 && iter_ >= max_iter_) break;
      if (stop_ != nullptr && iter_ % 1000 == 0 && __atomic_load_n(stop_, __ATOMIC_RELAXED) != 0) return false;
      if (--counter == 0) {
        counter = static_cast<int64_t>(std::min<std::size_t>(l_, 1000));
        if (shrinking_) do_shrinking();
      }
      std::size_t i, j;
      if (!select_working_set(i, j)) {
        reconstruct_gradient();
        active_size_ = l_;
        if (!select_working_set(i, j)) break;
        counter = 1;
      }
      ++iter_;
      const std::size_t active = active_size_;
      const float* Qi = Q_.get_Q(i, active);
      const float* Qj = Q_.get_Q(j, active);
      const double Ci = C_[i], Cj = C_[j];
      const double old_ai = alpha_[i], old_aj = alpha_[j];
      double& ai = alpha_[i];
      double& aj = alpha_[j];
      if (y_[i] != y_[j]) {
        double quad = QD[i] + QD[j] + 2 * Qi[j];
        if (quad <= 0) quad = TAU;
        const double delta = (-G_[i] - G_[j]) / quad;
        const double diff = ai - aj;
        ai += delta;
        aj += delta;
        if (diff > 0) {
          if (aj < 0) {
            aj = 0;
            ai = diff;
          }
        } else if (ai < 0) {
          ai = 0;
          aj = -diff;
        }
        if (diff > Ci - Cj) {
          if (ai > Ci) {
            ai = Ci;
            aj = Ci - diff;
          }
        } else if (aj > Cj) {
          aj = Cj;
          ai = Cj + diff;
        }
      } else {
        double quad = QD[i] + QD[j] - 2 * Qi[j];
        if (quad <= 0) quad = TAU;
        const double delta = (G_[i] - G_[j]) / quad;
        const double sum = ai + aj;
        ai -= delta;
        aj += delta;
        if (sum > Ci) {
          if (ai > Ci) {
            ai = Ci;
            aj = sum - Ci;
          }
        } else if (aj < 0) {
          aj = 0;
          ai = sum;
        }
        if (sum > Cj) {
          if (aj > Cj) {
            aj = Cj;
            ai = sum - Cj;
          }
        } else if (ai < 0) {
          ai = 0;
          aj = sum;
        }
      }
      const double dai = ai - old_ai, daj = aj - old_aj;
      double* G = G_.data();
      for (std::size_t k = 0; k < active; ++k) G[k] += Qi[k] * dai + Qj[k] * daj;
      const bool ui = status_[i] == UPPER, uj = status_[j] == UPPER;
      update_status(i);
      update_status(j);
      if (ui != (status_[i] == UPPER)) {
        const float* Qil = Q_.get_Q(i, l_);
        if (ui)
          for (std::size_t k = 0; k < l_; ++k) Gbar_[k] -= Ci * Qil[k];
        else
          for (std::size_t k = 0; k < l_; ++k) Gbar_[k] += Ci * Qil[k];
      }
      if (uj != (status_[j] == UPPER)) {
        const float* Qjl = Q_.get_Q(j, l_);
        if (uj)
          for (std::size_t k = 0; k < l_; ++k) Gbar_[k] -= Cj * Qjl[k];
        else
          for (std::size_t k = 0; k < l_; ++k) Gbar_[k] += Cj * Qjl[k];
      }
    }
    return true;
  }

  void result(double* alpha_out, double* info) {
    if (active_size_ < l_) {
      reconstruct_gradient();
      active_size_ = l_;
    }
    double rho, r = 0;
    if (nu_) rho_nu(rho, r);
    else rho = rho_c();
    double v = 0;
    for (std::size_t i = 0; i < l_; ++i) v += alpha_[i] * (G_[i] + p_[i]);
    for (std::size_t i = 0; i < l_; ++i) alpha_out[active_set_[i]] = alpha_[i];
    info[0] = rho;
    info[1] = r;
    info[2] = v / 2;
    info[3] = static_cast<double>(iter_);
  }

 private:
  void update_status(std::size_t i) {
    const double a = alpha_[i];
    status_[i] = a >= C_[i] ? UPPER : a <= 0 ? LOWER : FREE;
  }

  void swap_index(std::size_t i, std::size_t j) {
    Q_.swap_index(i, j);
    std::swap(y_[i], y_[j]);
    std::swap(G_[i], G_[j]);
    std::swap(status_[i], status_[j]);
    std::swap(alpha_[i], alpha_[j]);
    std::swap(p_[i], p_[j]);
    std::swap(active_set_[i], active_set_[j]);
    std::swap(Gbar_[i], Gbar_[j]);
    std::swap(C_[i], C_[j]);
  }

  void reconstruct_gradient() {
    const std::size_t active = active_size_;
    if (active == l_) return;
    for (std::size_t j = active; j < l_; ++j) G_[j] = Gbar_[j] + p_[j];
    std::size_t nr_free = 0;
    for (std::size_t j = 0; j < active; ++j)
      if (status_[j] == FREE) nr_free++;
    if (static_cast<double>(nr_free) * static_cast<double>(l_) >
        2.0 * static_cast<double>(active) * static_cast<double>(l_ - active)) {
      for (std::size_t i = active; i < l_; ++i) {
        const float* Qi = Q_.get_Q(i, active);
        double g = G_[i];
        for (std::size_t j = 0; j < active; ++j)
          if (status_[j] == FREE) g += alpha_[j] * Qi[j];
        G_[i] = g;
      }
    } else {
      for (std::size_t i = 0; i < active; ++i) {
        if (status_[i] != FREE) continue;
        const float* Qi = Q_.get_Q(i, l_);
        const double ai = alpha_[i];
        for (std::size_t j = active; j < l_; ++j) G_[j] += ai * Qi[j];
      }
    }
  }

  bool select_working_set(std::size_t& out_i, std::size_t& out_j) {
    return nu_ ? select_nu(out_i, out_j) : select_c(out_i, out_j);
  }

  bool select_c(std::size_t& out_i, std::size_t& out_j) {
    const std::size_t active = active_size_;
    const double* QD = Q_.QD.data();
    double Gmax = -INF, Gmax2 = -INF, obj_diff_min = INF;
    int64_t Gmax_idx = -1, Gmin_idx = -1;
    for (std::size_t t = 0; t < active; ++t) {
      if (y_[t] == 1) {
        if (status_[t] != UPPER && -G_[t] >= Gmax) {
          Gmax = -G_[t];
          Gmax_idx = static_cast<int64_t>(t);
        }
      } else if (status_[t] != LOWER && G_[t] >= Gmax) {
        Gmax = G_[t];
        Gmax_idx = static_cast<int64_t>(t);
      }
    }
    const std::size_t i = static_cast<std::size_t>(Gmax_idx);
    const float* Qi = Gmax_idx != -1 ? Q_.get_Q(i, active) : nullptr;
    const double yi = Gmax_idx != -1 ? y_[i] : 0;
    const double QDi = Gmax_idx != -1 ? QD[i] : 0;
    for (std::size_t j = 0; j < active; ++j) {
      if (y_[j] == 1) {
        if (status_[j] != LOWER) {
          const double gd = Gmax + G_[j];
          if (G_[j] >= Gmax2) Gmax2 = G_[j];
          if (gd > 0) {
            const double quad = QDi + QD[j] - 2.0 * yi * Qi[j];
            const double od = quad > 0 ? -(gd * gd) / quad : -(gd * gd) / TAU;
            if (od <= obj_diff_min) {
              Gmin_idx = static_cast<int64_t>(j);
              obj_diff_min = od;
            }
          }
        }
      } else if (status_[j] != UPPER) {
        const double gd = Gmax - G_[j];
        if (-G_[j] >= Gmax2) Gmax2 = -G_[j];
        if (gd > 0) {
          const double quad = QDi + QD[j] + 2.0 * yi * Qi[j];
          const double od = quad > 0 ? -(gd * gd) / quad : -(gd * gd) / TAU;
          if (od <= obj_diff_min) {
            Gmin_idx = static_cast<int64_t>(j);
            obj_diff_min = od;
          }
        }
      }
    }
    if (Gmax + Gmax2 < eps_ || Gmin_idx == -1) return false;
    out_i = static_cast<std::size_t>(Gmax_idx);
    out_j = static_cast<std::size_t>(Gmin_idx);
    return true;
  }

  bool select_nu(std::size_t& out_i, std::size_t& out_j) {
    const std::size_t active = active_size_;
    const double* QD = Q_.QD.data();
    double Gmaxp = -INF, Gmaxp2 = -INF, Gmaxn = -INF, Gmaxn2 = -INF, obj_diff_min = INF;
    int64_t Gmaxp_idx = -1, Gmaxn_idx = -1, Gmin_idx = -1;
    for (std::size_t t = 0; t < active; ++t) {
      if (y_[t] == 1) {
        if (status_[t] != UPPER && -G_[t] >= Gmaxp) {
          Gmaxp = -G_[t];
          Gmaxp_idx = static_cast<int64_t>(t);
        }
      } else if (status_[t] != LOWER && G_[t] >= Gmaxn) {
        Gmaxn = G_[t];
        Gmaxn_idx = static_cast<int64_t>(t);
      }
    }
    const float* Qip = Gmaxp_idx != -1 ? Q_.get_Q(static_cast<std::size_t>(Gmaxp_idx), active) : nullptr;
    const float* Qin = Gmaxn_idx != -1 ? Q_.get_Q(static_cast<std::size_t>(Gmaxn_idx), active) : nullptr;
    const double QDp = Gmaxp_idx != -1 ? QD[Gmaxp_idx] : 0, QDn = Gmaxn_idx != -1 ? QD[Gmaxn_idx] : 0;
    for (std::size_t j = 0; j < active; ++j) {
      if (y_[j] == 1) {
        if (status_[j] != LOWER) {
          const double gd = Gmaxp + G_[j];
          if (G_[j] >= Gmaxp2) Gmaxp2 = G_[j];
          if (gd > 0) {
            const double quad = QDp + QD[j] - 2 * Qip[j];
            const double od = quad > 0 ? -(gd * gd) / quad : -(gd * gd) / TAU;
            if (od <= obj_diff_min) {
              Gmin_idx = static_cast<int64_t>(j);
              obj_diff_min = od;
            }
          }
        }
      } else if (status_[j] != UPPER) {
        const double gd = Gmaxn - G_[j];
        if (-G_[j] >= Gmaxn2) Gmaxn2 = -G_[j];
        if (gd > 0) {
          const double quad = QDn + QD[j] - 2 * Qin[j];
          const double od = quad > 0 ? -(gd * gd) / quad : -(gd * gd) / TAU;
          if (od <= obj_diff_min) {
            Gmin_idx = static_cast<int64_t>(j);
            obj_diff_min = od;
          }
        }
      }
    }
    if (std::max(Gmaxp + Gmaxp2, Gmaxn + Gmaxn2) < eps_ || Gmin_idx == -1) return false;
    out_i = static_cast<std::size_t>(y_[Gmin_idx] == 1 ? Gmaxp_idx : Gmaxn_idx);
    out_j = static_cast<std::size_t>(Gmin_idx);
    return true;
  }

  bool be_shrunk(std::size_t i, const double* g) const {
    const uint8_t s = status_[i];
    const double Gi = G_[i];
    const bool pos = y_[i] == 1;
    if (nu_) {
      if (s == UPPER) return pos ? -Gi > g[0] : -Gi > g[3];
      if (s == LOWER) return pos ? Gi > g[1] : Gi > g[2];
      return false;
    }
    if (s == UPPER) return pos ? -Gi > g[0] : -Gi > g[1];
    if (s == LOWER) return pos ? Gi > g[1] : Gi > g[0];
    return false;
  }

  void do_shrinking() {
    double g[4] = {-INF, -INF, -INF, -INF};
    const std::size_t active = active_size_;
    if (nu_) {
      for (std::size_t i = 0; i < active; ++i) {
        if (status_[i] != UPPER) {
          if (y_[i] == 1) {
            if (-G_[i] > g[0]) g[0] = -G_[i];
          } else if (-G_[i] > g[3]) {
            g[3] = -G_[i];
          }
        }
        if (status_[i] != LOWER) {
          if (y_[i] == 1) {
            if (G_[i] > g[1]) g[1] = G_[i];
          } else if (G_[i] > g[2]) {
            g[2] = G_[i];
          }
        }
      }
    } else {
      for (std::size_t i = 0; i < active; ++i) {
        if (y_[i] == 1) {
          if (status_[i] != UPPER && -G_[i] >= g[0]) g[0] = -G_[i];
          if (status_[i] != LOWER && G_[i] >= g[1]) g[1] = G_[i];
        } else {
          if (status_[i] != UPPER && -G_[i] >= g[1]) g[1] = -G_[i];
          if (status_[i] != LOWER && G_[i] >= g[0]) g[0] = G_[i];
        }
      }
    }
    const double gap = nu_ ? std::max(g[0] + g[1], g[2] + g[3]) : g[0] + g[1];
    if (!unshrink_ && gap <= eps_ * 10) {
      unshrink_ = true;
      reconstruct_gradient();
      active_size_ = l_;
    }
    for (std::size_t i = 0; i < active_size_; ++i) {
      if (!be_shrunk(i, g)) continue;
      active_size_--;
      while (active_size_ > i) {
        if (!be_shrunk(active_size_, g)) {
          swap_index(i, active_size_);
          break;
        }
        active_size_--;
      }
    }
  }

  double rho_c() const {
    std::size_t nr_free = 0;
    double ub = INF, lb = -INF, sum_free = 0;
    for (std::size_t i = 0; i < l_; ++i) {
      const double yG = y_[i] * G_[i];
      if (status_[i] == UPPER) {
        if (y_[i] == -1) ub = std::min(ub, yG);
        else lb = std::max(lb, yG);
      } else if (status_[i] == LOWER) {
        if (y_[i] == 1) ub = std::min(ub, yG);
        else lb = std::max(lb, yG);
      } else {
        ++nr_free;
        sum_free += yG;
      }
    }
    return nr_free > 0 ? sum_free / static_cast<double>(nr_free) : (ub + lb) / 2;
  }

  void rho_nu(double& rho, double& r) const {
    std::size_t nf1 = 0, nf2 = 0;
    double ub1 = INF, ub2 = INF, lb1 = -INF, lb2 = -INF, sf1 = 0, sf2 = 0;
    for (std::size_t i = 0; i < l_; ++i) {
      if (y_[i] == 1) {
        if (status_[i] == UPPER) lb1 = std::max(lb1, G_[i]);
        else if (status_[i] == LOWER) ub1 = std::min(ub1, G_[i]);
        else {
          ++nf1;
          sf1 += G_[i];
        }
      } else if (status_[i] == UPPER) {
        lb2 = std::max(lb2, G_[i]);
      } else if (status_[i] == LOWER) {
        ub2 = std::min(ub2, G_[i]);
      } else {
        ++nf2;
        sf2 += G_[i];
      }
    }
    const double r1 = nf1 > 0 ? sf1 / static_cast<double>(nf1) : (ub1 + lb1) / 2;
    const double r2 = nf2 > 0 ? sf2 / static_cast<double>(nf2) : (ub2 + lb2) / 2;
    r = (r1 + r2) / 2;
    rho = (r1 - r2) / 2;
  }

  QMatrix& Q_;
  std::size_t l_;
  std::vector<int8_t> y_;
  std::vector<double> p_, alpha_, C_, G_, Gbar_;
  std::vector<uint8_t> status_;
  std::vector<int32_t> active_set_;
  std::size_t active_size_ = 0;
  double eps_;
  bool shrinking_;
  int64_t max_iter_;
  bool nu_;
  const int32_t* stop_;
  bool unshrink_ = false;
  int64_t iter_ = 0;
};

}  // namespace

void cross(const KernelData& k, std::size_t m, const double* q, std::size_t rows, double* out) {
  std::vector<int32_t> ident(m);
  for (std::size_t s = 0; s < m; ++s) ident[s] = static_cast<int32_t>(s);
  const std::size_t grain = std::max<std::size_t>(1, (std::size_t{1} << 16) / std::max<std::size_t>(1, m * k.d));
  runtime::parallel_for(rows, grain, [&](std::size_t b, std::size_t e) {
    for (std::size_t r = b; r < e; ++r) {
      const double* xq = q + r * k.d;
      double* o = out + r * m;
      dots(k.x, k.d, xq, ident.data(), 0, m, o);
      double sa = 0;
      for (std::size_t f = 0; f < k.d; ++f) sa += xq[f] * xq[f];
      switch (k.kind) {
        case KernelKind::Linear: break;
        case KernelKind::Rbf: rbf_map(o, k.sq, ident.data(), 0, m, sa, k.gamma); break;
        case KernelKind::Poly:
          for (std::size_t s = 0; s < m; ++s) o[s] = powi(k.gamma * o[s] + k.coef0, k.degree);
          break;
        case KernelKind::Sigmoid: tanh_map(o, 0, m, k.gamma, k.coef0); break;
      }
    }
  });
}

void solve(const SolveArgs& a) {
  std::vector<double> sq(a.n);
  for (std::size_t r = 0; r < a.n; ++r) {
    const double* xr = a.x + r * a.d;
    double s = 0;
    for (std::size_t k = 0; k < a.d; ++k) s += xr[k] * xr[k];
    sq[r] = s;
  }
  const KernelData k{a.x, a.d, a.kernel, a.gamma, a.coef0, a.degree, sq.data()};
  const std::size_t vars = a.q == QKind::Regression ? 2 * a.l : a.l;
  std::unique_ptr<QMatrix> Q;
  if (a.q == QKind::Regression) Q = std::make_unique<RegressionQ>(k, a.rows, a.l, a.cache_bytes);
  else Q = std::make_unique<ClassQ>(k, a.rows, a.l, a.q == QKind::Class ? a.y : nullptr, a.cache_bytes);
  Solver s(*Q, a, vars);
  const bool finished = s.run();
  s.result(a.alpha, a.info);
  a.info[4] = finished ? 0 : 1;
}

}  // namespace kiln::svm
