#include "reduce_binding.h"

#include <functional>

#include "../kernels/reduce/column_stats.h"
#include "args.h"
#include "promise_worker.h"

namespace kiln::binding {

namespace {

constexpr std::size_t kStatsFields = 7;

struct ParsedStats {
  Napi::TypedArray x, out;
  std::function<void()> run;
};

ParsedStats parse(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ParsedStats p;
  const std::size_t rows = dim_arg(info, 1, "rows");
  const std::size_t cols = dim_arg(info, 2, "cols");
  const std::size_t len = checked_product(env, rows, cols, "x");
  const bool is_f64 = info.Length() > 0 && info[0].IsTypedArray() &&
                      info[0].As<Napi::TypedArray>().TypedArrayType() == napi_float64_array;
  p.x = typed_array_arg(info, 0, "x", is_f64 ? napi_float64_array : napi_float32_array, len);
  p.out = typed_array_arg(info, 3, "out", napi_float64_array, checked_product(env, kStatsFields, cols, "out"));
  double* o = p.out.As<Napi::Float64Array>().Data();
  reduce::ColumnStatsOut out{o, o + cols, o + 2 * cols, o + 3 * cols, o + 4 * cols, o + 5 * cols, o + 6 * cols};
  if (is_f64) {
    const double* x = p.x.As<Napi::Float64Array>().Data();
    p.run = [=] { reduce::column_stats(x, rows, cols, out); };
  } else {
    const float* x = p.x.As<Napi::Float32Array>().Data();
    p.run = [=] { reduce::column_stats(x, rows, cols, out); };
  }
  return p;
}

}  // namespace

Napi::Value ColumnStats(const Napi::CallbackInfo& info) {
  ParsedStats p = parse(info);
  auto* worker = new PromiseWorker(info.Env(), "kiln.columnStats", p.run);
  worker->hold(p.x);
  worker->hold(p.out);
  return worker->start();
}

Napi::Value ColumnStatsSync(const Napi::CallbackInfo& info) {
  ParsedStats p = parse(info);
  p.run();
  return info.Env().Undefined();
}

}  // namespace kiln::binding
