// Entry point of the native addon. Context-aware (N-API), so it loads in
// worker_threads; every environment shares the one process-wide thread pool.
#include <napi.h>

#include "../kernels/gemm/gemm.h"
#include "../runtime/cpu_features.h"
#include "../runtime/thread_pool.h"
#include "args.h"
#include "elementwise_binding.h"
#include "gemm_binding.h"
#include "reduce_binding.h"

namespace kiln::binding {

namespace {

Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const auto& f = runtime::cpu_features();
  Napi::Object o = Napi::Object::New(env);
  o.Set("simd", runtime::simd_level_name(f.level));
  o.Set("gemmKernel", gemm::sgemm_kernel_name());
  o.Set("avx2Fma", f.avx2_fma);
  o.Set("avx512", f.avx512);
  o.Set("threads", static_cast<double>(runtime::thread_count()));
  return o;
}

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  const std::size_t n = dim_arg(info, 0, "threads");
  if (n == 0) throw_coded(info.Env(), "E_PARAM", "threads must be at least 1");
  return Napi::Number::New(info.Env(), static_cast<double>(runtime::set_thread_count(n)));
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("info", Napi::Function::New(env, Info, "info"));
  exports.Set("setThreads", Napi::Function::New(env, SetThreads, "setThreads"));
  exports.Set("sgemm", Napi::Function::New(env, Sgemm, "sgemm"));
  exports.Set("sgemmSync", Napi::Function::New(env, SgemmSync, "sgemmSync"));
  exports.Set("columnStats", Napi::Function::New(env, ColumnStats, "columnStats"));
  exports.Set("columnStatsSync", Napi::Function::New(env, ColumnStatsSync, "columnStatsSync"));
  exports.Set("rowNorms", Napi::Function::New(env, RowNorms, "rowNorms"));
  exports.Set("rowNormsSync", Napi::Function::New(env, RowNormsSync, "rowNormsSync"));
  exports.Set("binary", Napi::Function::New(env, Binary, "binary"));
  exports.Set("binarySync", Napi::Function::New(env, BinarySync, "binarySync"));
  exports.Set("unary", Napi::Function::New(env, Unary, "unary"));
  exports.Set("unarySync", Napi::Function::New(env, UnarySync, "unarySync"));
  exports.Set("softmaxRows", Napi::Function::New(env, SoftmaxRows, "softmaxRows"));
  exports.Set("softmaxRowsSync", Napi::Function::New(env, SoftmaxRowsSync, "softmaxRowsSync"));
  exports.Set("argmaxRows", Napi::Function::New(env, ArgmaxRows, "argmaxRows"));
  exports.Set("argmaxRowsSync", Napi::Function::New(env, ArgmaxRowsSync, "argmaxRowsSync"));
  return exports;
}

}  // namespace

}  // namespace kiln::binding

static Napi::Object InitKiln(Napi::Env env, Napi::Object exports) { return kiln::binding::Init(env, exports); }

NODE_API_MODULE(kiln, InitKiln)
