#include "order_binding.h"

#include <vector>

#include "../kernels/order/shuffle.h"
#include "../kernels/order/sort_f64.h"
#include "args.h"

namespace kiln::binding {

// Synchronous only: callers (statistics, drift, the profile) are synchronous, and a sort of a
// few million values takes milliseconds.
Napi::Value SortF64Sync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<Napi::Value> held;
  Napi::TypedArray values = typed_array_arg(info, 0, "values", napi_float64_array);
  const std::size_t n = values.ElementLength();
  double* out = f64_out(info, 1, "out", n, held);
  order::sort_f64(values.As<Napi::Float64Array>().Data(), n, out);
  return env.Undefined();
}

Napi::Value ArgsortF64Sync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<Napi::Value> held;
  Napi::TypedArray values = typed_array_arg(info, 0, "values", napi_float64_array);
  const std::size_t n = values.ElementLength();
  if (n >= (std::size_t{1} << 32)) throw_coded(env, "E_PARAM", "values: at most 2^32 - 1 values can be argsorted");
  std::uint32_t* order = array_arg<std::uint32_t>(info, 1, "order", n, held);
  order::argsort_f64(values.As<Napi::Float64Array>().Data(), n, order);
  return env.Undefined();
}

Napi::Value AverageRanksF64Sync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<Napi::Value> held;
  Napi::TypedArray values = typed_array_arg(info, 0, "values", napi_float64_array);
  const std::size_t n = values.ElementLength();
  if (n >= (std::size_t{1} << 32)) throw_coded(env, "E_PARAM", "values: at most 2^32 - 1 values can be ranked");
  double* ranks = f64_out(info, 1, "ranks", n, held);
  order::average_ranks(values.As<Napi::Float64Array>().Data(), n, ranks);
  return env.Undefined();
}

Napi::Value ShuffleI32Sync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<Napi::Value> held;
  Napi::TypedArray values = typed_array_arg(info, 0, "values", napi_int32_array);
  std::uint32_t* state = array_arg<std::uint32_t>(info, 1, "state", 4, held);
  if ((state[0] | state[1] | state[2] | state[3]) == 0)
    throw_coded(env, "E_PARAM", "state: all four words are 0, which no Rng has; pass Rng.getState()'s first four");
  order::shuffle_i32(values.As<Napi::Int32Array>().Data(), values.ElementLength(), state);
  return env.Undefined();
}

}  // namespace kiln::binding
