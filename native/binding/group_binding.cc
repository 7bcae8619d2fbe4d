#include "group_binding.h"

#include <string>
#include <vector>

#include "../kernels/group/group_sums.h"
#include "args.h"

namespace kiln::binding {

// Synchronous only: one pass over the rows, called from the table operations (which are
// synchronous, as pandas'); the kernel still spreads long columns over the thread pool.
Napi::Value GroupSumsSync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<Napi::Value> held;
  Napi::TypedArray values = typed_array_arg(info, 0, "values", napi_float64_array);
  const std::size_t rows = values.ElementLength();
  const std::int32_t* codes = array_arg<std::int32_t>(info, 1, "codes", rows, held);
  const std::size_t groups = dim_arg(info, 2, "groups");
  double* sum = f64_out(info, 3, "sum", groups, held);
  double* count = f64_out(info, 4, "count", groups, held);
  const std::int64_t bad = group::group_sums(values.As<Napi::Float64Array>().Data(), codes, rows, groups, sum, count);
  if (bad >= 0)
    throw_coded(env, "E_PARAM",
                "codes[" + std::to_string(bad) + "] is " + std::to_string(codes[bad]) + ", outside [-1, " +
                    std::to_string(groups) + ")");
  return env.Undefined();
}

}  // namespace kiln::binding
