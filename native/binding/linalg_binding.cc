#include "linalg_binding.h"

#include <cmath>
#include <stdexcept>

#include "../kernels/linalg/dgemm.h"
#include "../kernels/linalg/qr.h"
#include "../kernels/linalg/sym_eig.h"
#include "args.h"
#include "promise_worker.h"

namespace kiln::binding {

namespace {

// The kernels refuse NaN/Inf by returning false; checked here first so the caller gets E_NONFINITE.
void require_finite(Napi::Env env, const double* p, std::size_t len, const char* name) {
  for (std::size_t i = 0; i < len; ++i)
    if (!std::isfinite(p[i])) throw_coded(env, "E_NONFINITE", std::string(name) + " holds NaN or Infinity");
}

Job parse_SymEig(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::size_t n = dim_arg(info, 1, "n");
  const std::size_t nn = checked_product(env, n, n, "a");
  Napi::TypedArray a = typed_array_arg(info, 0, "a", napi_float64_array, nn);
  Napi::TypedArray values = typed_array_arg(info, 2, "values", napi_float64_array, n);
  Napi::TypedArray vectors = typed_array_arg(info, 3, "vectors", napi_float64_array, nn);
  const double* pa = a.As<Napi::Float64Array>().Data();
  require_finite(env, pa, nn, "a");
  double* pv = values.As<Napi::Float64Array>().Data();
  double* pw = vectors.As<Napi::Float64Array>().Data();
  return Job{[=] {
               if (!linalg::sym_eig(pa, n, pv, pw))
                 throw std::runtime_error("symEig: the QR iteration did not converge");
             },
             {a, values, vectors}};
}

Job parse_ThinQr(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::size_t m = dim_arg(info, 1, "m");
  const std::size_t n = dim_arg(info, 2, "n");
  if (m < n) throw_coded(env, "E_SHAPE", "thinQr needs m >= n (a tall matrix)");
  const std::size_t mn = checked_product(env, m, n, "a");
  Napi::TypedArray a = typed_array_arg(info, 0, "a", napi_float64_array, mn);
  Napi::TypedArray q = typed_array_arg(info, 3, "q", napi_float64_array, mn);
  Napi::TypedArray r = typed_array_arg(info, 4, "r", napi_float64_array, checked_product(env, n, n, "r"));
  const double* pa = a.As<Napi::Float64Array>().Data();
  require_finite(env, pa, mn, "a");
  double* pq = q.As<Napi::Float64Array>().Data();
  double* pr = r.As<Napi::Float64Array>().Data();
  return Job{[=] {
               if (!linalg::thin_qr(pa, m, n, pq, pr)) throw std::runtime_error("thinQr: a holds NaN or Infinity");
             },
             {a, q, r}};
}

// dgemm(transA, transB, m, n, k, alpha, a, b, beta, c): a and b Float32Array or Float64Array
// (each read as it is, widened to f64 in the kernel), c a Float64Array.
Job parse_Dgemm(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  linalg::DgemmArgs g;
  g.trans_a = bool_arg(info, 0, "transA");
  g.trans_b = bool_arg(info, 1, "transB");
  g.m = dim_arg(info, 2, "m");
  g.n = dim_arg(info, 3, "n");
  g.k = dim_arg(info, 4, "k");
  g.alpha = number_arg(info, 5, "alpha");
  g.beta = number_arg(info, 8, "beta");
  const FloatArrayArg a = float_array_arg(info, 6, "a", checked_product(env, g.m, g.k, "a"));
  const FloatArrayArg b = float_array_arg(info, 7, "b", checked_product(env, g.k, g.n, "b"));
  Napi::TypedArray c = typed_array_arg(info, 9, "c", napi_float64_array, checked_product(env, g.m, g.n, "c"));
  g.a = a.f64;
  g.a32 = a.f32;
  g.b = b.f64;
  g.b32 = b.f32;
  g.c = c.As<Napi::Float64Array>().Data();
  g.lda = g.trans_a ? g.m : g.k;
  g.ldb = g.trans_b ? g.k : g.n;
  g.ldc = g.n;
  return Job{[g] { linalg::dgemm(g); }, {a.array, b.array, c}};
}

}  // namespace

KILN_ASYNC_AND_SYNC(Dgemm, "dgemm")
KILN_ASYNC_AND_SYNC(SymEig, "symEig")
KILN_ASYNC_AND_SYNC(ThinQr, "thinQr")

}  // namespace kiln::binding
