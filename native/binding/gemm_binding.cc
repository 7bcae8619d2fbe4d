#include "gemm_binding.h"

#include "../kernels/gemm/gemm.h"
#include "args.h"
#include "promise_worker.h"

namespace kiln::binding {

namespace {

struct ParsedSgemm {
  gemm::SgemmArgs args;
  Napi::TypedArray a, b, c;
};

ParsedSgemm parse(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ParsedSgemm p;
  gemm::SgemmArgs& g = p.args;
  g.trans_a = bool_arg(info, 0, "transA");
  g.trans_b = bool_arg(info, 1, "transB");
  g.m = dim_arg(info, 2, "m");
  g.n = dim_arg(info, 3, "n");
  g.k = dim_arg(info, 4, "k");
  g.alpha = float_arg(info, 5, "alpha");
  g.beta = float_arg(info, 8, "beta");
  p.a = typed_array_arg(info, 6, "a", napi_float32_array, checked_product(env, g.m, g.k, "a"));
  p.b = typed_array_arg(info, 7, "b", napi_float32_array, checked_product(env, g.k, g.n, "b"));
  p.c = typed_array_arg(info, 9, "c", napi_float32_array, checked_product(env, g.m, g.n, "c"));
  g.a = p.a.As<Napi::Float32Array>().Data();
  g.b = p.b.As<Napi::Float32Array>().Data();
  g.c = p.c.As<Napi::Float32Array>().Data();
  g.lda = g.trans_a ? g.m : g.k;
  g.ldb = g.trans_b ? g.k : g.n;
  g.ldc = g.n;
  return p;
}

}  // namespace

Napi::Value Sgemm(const Napi::CallbackInfo& info) {
  ParsedSgemm p = parse(info);
  gemm::SgemmArgs args = p.args;
  auto* worker = new PromiseWorker(info.Env(), "kiln.sgemm", [args] { gemm::sgemm(args); });
  worker->hold(p.a);
  worker->hold(p.b);
  worker->hold(p.c);
  return worker->start();
}

Napi::Value SgemmSync(const Napi::CallbackInfo& info) {
  ParsedSgemm p = parse(info);
  gemm::sgemm(p.args);
  return info.Env().Undefined();
}

}  // namespace kiln::binding
