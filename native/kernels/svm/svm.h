// The svm family: LIBSVM's SMO solver (Fan, Chen & Lin 2005) as scikit-learn 1.2 ships it —
// per-sample bounds, WSS3 working sets, shrinking with one unshrink, an LRU cache of f32 kernel
// rows within a byte budget — for the classification (SVC_Q, ONE_CLASS_Q) and regression (SVR_Q)
// Q matrices, and its nu variant (Solver_NU). The same algorithm as the js oracle
// (src/backend/svm/solver.ts), step for step; kernel rows are computed in blocks (dot products,
// then a vectorised exp/tanh over the block) and split over the thread pool when long.
// Pure C++, no N-API.
#pragma once
#include <cstddef>
#include <cstdint>

namespace kiln::svm {

enum class KernelKind : int { Linear = 0, Poly = 1, Rbf = 2, Sigmoid = 3 };
enum class QKind : int { Class = 0, OneClass = 1, Regression = 2 };

struct SolveArgs {
  const double* x = nullptr;  // n x d training rows, row-major
  std::size_t n = 0, d = 0;
  const int32_t* rows = nullptr;  // l problem points: their rows of x (each < n)
  std::size_t l = 0;
  QKind q = QKind::Class;
  KernelKind kernel = KernelKind::Rbf;
  double gamma = 1, coef0 = 0;
  int degree = 3;
  // per variable (l, or 2l for regression)
  const int8_t* y = nullptr;       // +1 / -1
  const double* p = nullptr;       // linear term
  const double* alpha0 = nullptr;  // feasible start
  const double* C = nullptr;       // upper bounds
  double eps = 1e-3;
  bool shrinking = true;
  int64_t max_iter = -1;  // -1: no limit
  bool nu = false;
  double cache_bytes = 200.0 * (1 << 20);
  // Polled every 1,000 iterations: a non-zero value stops the solve early (an abort).
  const int32_t* stop = nullptr;
  // outputs
  double* alpha = nullptr;  // per variable, in the problem's order
  double* info = nullptr;   // [rho, r, obj, iterations, stopped (0/1)]
};

void solve(const SolveArgs& args);

// The kernel over the training rows; sq: the squared norm of every row.
struct KernelData {
  const double* x;
  std::size_t d;
  KernelKind kind;
  double gamma, coef0;
  int degree;
  const double* sq;
};

// out[r * m + s] = K(q_r, v_s): kernel values between query rows q (rows x d) and m vectors v
// (m x d; k.x = v, k.sq = their squared norms), threads over query rows.
void cross(const KernelData& k, std::size_t m, const double* q, std::size_t rows, double* out);

// The elementwise maps, vectorised (kernel_map.cc, compiled with the vector math library).
void rbf_map(double* out, const double* sq, const int32_t* cols, std::size_t from, std::size_t to, double sa,
             double gamma);
void tanh_map(double* out, std::size_t from, std::size_t to, double gamma, double coef0);
// Dot products of row a with rows cols[from..to) (kernel_dots.cc, multi-versioned).
void dots(const double* x, std::size_t d, const double* xa, const int32_t* cols, std::size_t from, std::size_t to,
          double* out);

}  // namespace kiln::svm
