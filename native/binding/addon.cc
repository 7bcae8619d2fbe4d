// Entry point of the native addon. Context-aware (N-API), so it loads in
// worker_threads; every environment shares the one process-wide thread pool.
#include <napi.h>

#include <initializer_list>
#include <string>
#include <utility>

#include "../kernels/gemm/gemm.h"
#include "../runtime/cpu_features.h"
#include "../runtime/large_alloc.h"
#include "../runtime/malloc_tuning.h"
#include "../runtime/thread_pool.h"
#include "args.h"
#include "elementwise_binding.h"
#include "env_state.h"
#include "gemm_binding.h"
#include "group_binding.h"
#include "hist_binding.h"
#include "kmeans_binding.h"
#include "knn_binding.h"
#include "linalg_binding.h"
#include "linear_binding.h"
#include "mlp_binding.h"
#include "order_binding.h"
#include "reduce_binding.h"
#include "svm_binding.h"
#include "tsne_binding.h"

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
  o.Set("mallocTuned", runtime::tune_malloc_once());
  return o;
}

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  const std::size_t n = dim_arg(info, 0, "threads");
  if (n == 0) throw_coded(info.Env(), "E_PARAM", "threads must be at least 1");
  return Napi::Number::New(info.Env(), static_cast<double>(runtime::set_thread_count(n)));
}

// allocFloat32(n, zeroed): a Float32Array for a large kernel output, in huge pages
// (see runtime/large_alloc.h). Throws where external buffers are not allowed
// (e.g. Electron); callers then allocate in JS.
Napi::Value AllocFloat32(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::size_t n = dim_arg(info, 0, "n");
  const std::size_t bytes = n * sizeof(float);
  const bool zeroed = info.Length() < 2 || info[1].ToBoolean().Value();
  void* p = runtime::alloc_zeroed(bytes, zeroed);
  if (p == nullptr) throw_coded(env, "E_ALLOC", "out of memory allocating " + std::to_string(bytes) + " bytes");
  Napi::ArrayBuffer buffer;
  try {
    buffer = Napi::ArrayBuffer::New(
        env, p, bytes,
        [](Napi::Env, void* data, std::size_t* size) {
          runtime::free_zeroed(data, *size);
          delete size;
        },
        new std::size_t(bytes));
  } catch (...) {
    runtime::free_zeroed(p, bytes);
    throw;
  }
  // No AdjustExternalMemory: V8 already counts external backing stores towards its
  // GC heuristics; reporting them again doubled the collections (20 vs 10 per 40
  // 2048^2 products) and cost ~4% at 2048^2 on two threads.
  return Napi::Float32Array::New(env, n, buffer, 0);
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  runtime::tune_malloc_once();
  init_env_state(env);
  exports.Set("setPin", Napi::Function::New(env, SetPin, "setPin"));
  exports.Set("allocFloat32", Napi::Function::New(env, AllocFloat32, "allocFloat32"));
  exports.Set("info", Napi::Function::New(env, Info, "info"));
  exports.Set("setThreads", Napi::Function::New(env, SetThreads, "setThreads"));
  exports.Set("sgemm", Napi::Function::New(env, Sgemm, "sgemm"));
  exports.Set("sgemmSync", Napi::Function::New(env, SgemmSync, "sgemmSync"));
  exports.Set("columnStats", Napi::Function::New(env, ColumnStats, "columnStats"));
  exports.Set("columnStatsSync", Napi::Function::New(env, ColumnStatsSync, "columnStatsSync"));
  exports.Set("firstNonFiniteSync", Napi::Function::New(env, FirstNonFiniteSync, "firstNonFiniteSync"));
  exports.Set("groupSumsSync", Napi::Function::New(env, GroupSumsSync, "groupSumsSync"));
  exports.Set("rowGroupsSync", Napi::Function::New(env, RowGroupsSync, "rowGroupsSync"));
  exports.Set("sortF64Sync", Napi::Function::New(env, SortF64Sync, "sortF64Sync"));
  exports.Set("argsortF64Sync", Napi::Function::New(env, ArgsortF64Sync, "argsortF64Sync"));
  exports.Set("shuffleI32Sync", Napi::Function::New(env, ShuffleI32Sync, "shuffleI32Sync"));
  exports.Set("averageRanksF64Sync", Napi::Function::New(env, AverageRanksF64Sync, "averageRanksF64Sync"));
  for (const auto& [name, fn] :
       std::initializer_list<std::pair<const char*, Napi::Value (*)(const Napi::CallbackInfo&)>>{
           {"histBin", HistBin},
           {"histBinSync", HistBinSync},
           {"histGrow", HistGrow},
           {"histGrowSync", HistGrowSync},
           {"histGradients", HistGradients},
           {"histGradientsSync", HistGradientsSync},
           {"histRankGradients", HistRankGradients},
           {"histRankGradientsSync", HistRankGradientsSync},
           {"histPredict", HistPredict},
           {"histPredictSync", HistPredictSync},
           {"histForestPrepare", HistForestPrepare},
           {"histForestPredictSync", HistForestPredictSync},
           {"histForestBindRow", HistForestBindRow},
           {"histForestPredictRow", HistForestPredictRow},
           {"histForestRowScorer", HistForestRowScorer},
           {"histQuantizeSync", HistQuantizeSync},
           {"histBinSampleSync", HistBinSampleSync},
           {"histSampleRows", HistSampleRows},
           {"histSampleRowsSync", HistSampleRowsSync}}) {
    exports.Set(name, Napi::Function::New(env, fn, name));
  }
  exports.Set("knnSearch", Napi::Function::New(env, KnnSearch, "knnSearch"));
  exports.Set("knnSearchSync", Napi::Function::New(env, KnnSearchSync, "knnSearchSync"));
  exports.Set("knnPrepare", Napi::Function::New(env, KnnPrepare, "knnPrepare"));
  exports.Set("knnPrepareSync", Napi::Function::New(env, KnnPrepareSync, "knnPrepareSync"));
  exports.Set("knnRadius", Napi::Function::New(env, KnnRadius, "knnRadius"));
  exports.Set("knnRadiusSync", Napi::Function::New(env, KnnRadiusSync, "knnRadiusSync"));
  exports.Set("kmeansAssign", Napi::Function::New(env, KmeansAssign, "kmeansAssign"));
  exports.Set("kmeansAssignSync", Napi::Function::New(env, KmeansAssignSync, "kmeansAssignSync"));
  exports.Set("kmeansAssignBounded", Napi::Function::New(env, KmeansAssignBounded, "kmeansAssignBounded"));
  exports.Set("kmeansAssignBoundedSync", Napi::Function::New(env, KmeansAssignBoundedSync, "kmeansAssignBoundedSync"));
  exports.Set("kmeansDistances", Napi::Function::New(env, KmeansDistances, "kmeansDistances"));
  exports.Set("kmeansDistancesSync", Napi::Function::New(env, KmeansDistancesSync, "kmeansDistancesSync"));
  exports.Set("tsneGradient", Napi::Function::New(env, TsneGradient, "tsneGradient"));
  exports.Set("tsneGradientSync", Napi::Function::New(env, TsneGradientSync, "tsneGradientSync"));
  exports.Set("svmSolve", Napi::Function::New(env, SvmSolve, "svmSolve"));
  exports.Set("svmSolveSync", Napi::Function::New(env, SvmSolveSync, "svmSolveSync"));
  exports.Set("svmCross", Napi::Function::New(env, SvmCross, "svmCross"));
  exports.Set("svmCrossSync", Napi::Function::New(env, SvmCrossSync, "svmCrossSync"));
  exports.Set("knnLayoutSync", Napi::Function::New(env, KnnLayoutSync, "knnLayoutSync"));
  exports.Set("weightedGram", Napi::Function::New(env, WeightedGram, "weightedGram"));
  exports.Set("weightedGramSync", Napi::Function::New(env, WeightedGramSync, "weightedGramSync"));
  exports.Set("logisticLossGrad", Napi::Function::New(env, LogisticLossGrad, "logisticLossGrad"));
  exports.Set("logisticLossGradSync", Napi::Function::New(env, LogisticLossGradSync, "logisticLossGradSync"));
  exports.Set("logisticLossGradHess", Napi::Function::New(env, LogisticLossGradHess, "logisticLossGradHess"));
  exports.Set("logisticLossGradHessSync",
              Napi::Function::New(env, LogisticLossGradHessSync, "logisticLossGradHessSync"));
  exports.Set("sgdEpoch", Napi::Function::New(env, SgdEpoch, "sgdEpoch"));
  exports.Set("sgdEpochSync", Napi::Function::New(env, SgdEpochSync, "sgdEpochSync"));
  exports.Set("svmDualCd", Napi::Function::New(env, SvmDualCd, "svmDualCd"));
  exports.Set("svmDualCdSync", Napi::Function::New(env, SvmDualCdSync, "svmDualCdSync"));
  exports.Set("mlpEpoch", Napi::Function::New(env, MlpEpoch, "mlpEpoch"));
  exports.Set("mlpEpochSync", Napi::Function::New(env, MlpEpochSync, "mlpEpochSync"));
  exports.Set("mlpLossGradSync", Napi::Function::New(env, MlpLossGradSync, "mlpLossGradSync"));
  exports.Set("mlpForward", Napi::Function::New(env, MlpForward, "mlpForward"));
  exports.Set("mlpForwardSync", Napi::Function::New(env, MlpForwardSync, "mlpForwardSync"));
  exports.Set("affineColumns", Napi::Function::New(env, AffineColumns, "affineColumns"));
  exports.Set("affineColumnsSync", Napi::Function::New(env, AffineColumnsSync, "affineColumnsSync"));
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
  exports.Set("symEig", Napi::Function::New(env, SymEig, "symEig"));
  exports.Set("symEigSync", Napi::Function::New(env, SymEigSync, "symEigSync"));
  exports.Set("thinQr", Napi::Function::New(env, ThinQr, "thinQr"));
  exports.Set("thinQrSync", Napi::Function::New(env, ThinQrSync, "thinQrSync"));
  exports.Set("dgemm", Napi::Function::New(env, Dgemm, "dgemm"));
  exports.Set("dgemmSync", Napi::Function::New(env, DgemmSync, "dgemmSync"));
  return exports;
}

}  // namespace

}  // namespace kiln::binding

static Napi::Object InitKiln(Napi::Env env, Napi::Object exports) { return kiln::binding::Init(env, exports); }

NODE_API_MODULE(kiln, InitKiln)
