#include "group_binding.h"

#include <string>
#include <vector>

#include "../kernels/group/group_sums.h"
#include "../kernels/group/row_groups.h"
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

Napi::Value RowGroupsSync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<Napi::Value> held;
  if (!info[0].IsArray()) throw_coded(env, "E_PARAM", "columns must be an array of Float64Array / Int32Array");
  Napi::Array list = info[0].As<Napi::Array>();
  const std::size_t rows = dim_arg(info, 1, "rows");
  std::int32_t* codes = array_arg<std::int32_t>(info, 2, "codes", rows, held);
  std::vector<group::KeyColumn> columns;
  for (std::uint32_t j = 0; j < list.Length(); ++j) {
    const Napi::Value v = list.Get(j);
    const std::string name = "columns[" + std::to_string(j) + "]";
    group::KeyColumn c;
    if (v.IsTypedArray() && v.As<Napi::TypedArray>().TypedArrayType() == napi_int32_array) {
      Napi::TypedArray a = typed_array_value(env, v, name.c_str(), napi_int32_array, rows);
      c.codes = a.As<Napi::Int32Array>().Data();
      held.push_back(a);
    } else {
      Napi::TypedArray a = typed_array_value(env, v, name.c_str(), napi_float64_array, rows);
      c.f64 = a.As<Napi::Float64Array>().Data();
      held.push_back(a);
    }
    columns.push_back(c);
  }
  return Napi::Number::New(env, static_cast<double>(group::row_groups(columns, rows, codes)));
}

}  // namespace kiln::binding
