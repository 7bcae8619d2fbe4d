#include "gemm_binding.h"

#include "../kernels/gemm/gemm.h"
#include "args.h"
#include "promise_worker.h"

namespace kiln::binding {

namespace {

Job parse_Sgemm(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  gemm::SgemmArgs g;
  g.trans_a = bool_arg(info, 0, "transA");
  g.trans_b = bool_arg(info, 1, "transB");
  g.m = dim_arg(info, 2, "m");
  g.n = dim_arg(info, 3, "n");
  g.k = dim_arg(info, 4, "k");
  g.alpha = float_arg(info, 5, "alpha");
  g.beta = float_arg(info, 8, "beta");
  Napi::TypedArray a = typed_array_arg(info, 6, "a", napi_float32_array, checked_product(env, g.m, g.k, "a"));
  Napi::TypedArray b = typed_array_arg(info, 7, "b", napi_float32_array, checked_product(env, g.k, g.n, "b"));
  Napi::TypedArray c = typed_array_arg(info, 9, "c", napi_float32_array, checked_product(env, g.m, g.n, "c"));
  g.a = a.As<Napi::Float32Array>().Data();
  g.b = b.As<Napi::Float32Array>().Data();
  g.c = c.As<Napi::Float32Array>().Data();
  g.lda = g.trans_a ? g.m : g.k;
  g.ldb = g.trans_b ? g.k : g.n;
  g.ldc = g.n;
  return Job{[g] { gemm::sgemm(g); }, {a, b, c}};
}

}  // namespace

KILN_ASYNC_AND_SYNC(Sgemm, "sgemm")

}  // namespace kiln::binding
