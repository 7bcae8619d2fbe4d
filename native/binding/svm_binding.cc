#include "svm_binding.h"

#include <cmath>
#include <string>
#include <vector>

#include "../kernels/svm/svm.h"
#include "args.h"
#include "promise_worker.h"

namespace kiln::binding {

namespace {

Job parse_SvmSolve(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  svm::SolveArgs a;
  a.n = dim_arg(info, 1, "n");
  a.d = dim_arg(info, 2, "d");
  if (a.n == 0 || a.d == 0) throw_coded(env, "E_EMPTY", "svm: x needs at least one row and one feature");
  std::vector<Napi::Value> held;
  a.x = array_arg<double>(info, 0, "x", checked_product(env, a.n, a.d, "x"), held);
  Napi::TypedArray rows = typed_array_arg(info, 3, "rows", napi_int32_array);
  a.l = rows.ElementLength();
  if (a.l == 0) throw_coded(env, "E_EMPTY", "svm: rows is empty");
  a.rows = array_arg<int32_t>(info, 3, "rows", a.l, held);
  for (std::size_t i = 0; i < a.l; ++i) {
    if (a.rows[i] < 0 || static_cast<std::size_t>(a.rows[i]) >= a.n)
      throw_coded(env, "E_SHAPE", "svm: rows[" + std::to_string(i) + "] is not a row of x");
  }
  const std::size_t q = dim_arg(info, 4, "q"), kernel = dim_arg(info, 5, "kernel");
  if (q > 2) throw_coded(env, "E_PARAM", "svm: q must be 0, 1 or 2");
  if (kernel > 3) throw_coded(env, "E_PARAM", "svm: kernel must be 0, 1, 2 or 3");
  a.q = static_cast<svm::QKind>(q);
  a.kernel = static_cast<svm::KernelKind>(kernel);
  a.gamma = number_arg(info, 6, "gamma");
  const std::size_t degree = dim_arg(info, 7, "degree");
  if (degree > 1000) throw_coded(env, "E_PARAM", "svm: degree must be at most 1000");
  a.degree = static_cast<int>(degree);
  a.coef0 = number_arg(info, 8, "coef0");
  const std::size_t v = a.q == svm::QKind::Regression ? 2 * a.l : a.l;
  a.y = array_arg<int8_t>(info, 9, "y", v, held);
  for (std::size_t i = 0; i < v; ++i)
    if (a.y[i] != 1 && a.y[i] != -1) throw_coded(env, "E_PARAM", "svm: labels y must be +1 or -1");
  a.p = array_arg<double>(info, 10, "p", v, held);
  a.alpha0 = array_arg<double>(info, 11, "alpha0", v, held);
  a.C = array_arg<double>(info, 12, "C", v, held);
  a.eps = number_arg(info, 13, "eps");
  if (!(a.eps > 0)) throw_coded(env, "E_PARAM", "svm: eps must be > 0");
  a.shrinking = bool_arg(info, 14, "shrinking");
  const double max_iter = number_arg(info, 15, "maxIter");
  if (max_iter != -1 && !(max_iter >= 1 && std::floor(max_iter) == max_iter && max_iter < 9.0e15))
    throw_coded(env, "E_PARAM", "svm: maxIter must be -1 or an integer >= 1");
  a.max_iter = static_cast<int64_t>(max_iter);
  a.nu = bool_arg(info, 16, "nu");
  a.cache_bytes = number_arg(info, 17, "cacheBytes");
  if (!(a.cache_bytes > 0)) throw_coded(env, "E_PARAM", "svm: cacheBytes must be > 0");
  if (!absent(info, 18)) a.stop = array_arg<int32_t>(info, 18, "stop", 1, held);
  a.alpha = array_arg<double>(info, 19, "alpha", v, held);
  a.info = array_arg<double>(info, 20, "info", 5, held);
  return Job{[a] { svm::solve(a); }, held};
}

Job parse_SvmCross(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::size_t rows = dim_arg(info, 1, "rows"), d = dim_arg(info, 2, "d"), m = dim_arg(info, 4, "m");
  if (d == 0) throw_coded(env, "E_EMPTY", "svm: rows need at least one feature");
  std::vector<Napi::Value> held;
  const double* q = array_arg<double>(info, 0, "q", checked_product(env, rows, d, "q"), held);
  const double* v = array_arg<double>(info, 3, "v", checked_product(env, m, d, "v"), held);
  const std::size_t kernel = dim_arg(info, 5, "kernel");
  if (kernel > 3) throw_coded(env, "E_PARAM", "svm: kernel must be 0, 1, 2 or 3");
  const double gamma = number_arg(info, 6, "gamma");
  const std::size_t degree = dim_arg(info, 7, "degree");
  if (degree > 1000) throw_coded(env, "E_PARAM", "svm: degree must be at most 1000");
  const double coef0 = number_arg(info, 8, "coef0");
  double* out = array_arg<double>(info, 9, "out", checked_product(env, rows, m, "out"), held);
  return Job{[=] {
               std::vector<double> sq(m);
               for (std::size_t s = 0; s < m; ++s) {
                 double t = 0;
                 for (std::size_t f = 0; f < d; ++f) t += v[s * d + f] * v[s * d + f];
                 sq[s] = t;
               }
               const svm::KernelData k{
                   v, d, static_cast<svm::KernelKind>(kernel), gamma, coef0, static_cast<int>(degree), sq.data()};
               svm::cross(k, m, q, rows, out);
             },
             held};
}

}  // namespace

KILN_ASYNC_AND_SYNC(SvmSolve, "svmSolve")
KILN_ASYNC_AND_SYNC(SvmCross, "svmCross")

}  // namespace kiln::binding
