#include "reduce_binding.h"

#include "../kernels/reduce/affine.h"
#include "../kernels/reduce/column_stats.h"
#include "../kernels/reduce/non_finite.h"
#include "../kernels/reduce/row_norms.h"
#include "args.h"
#include "promise_worker.h"

namespace kiln::binding {

namespace {

constexpr std::size_t kStatsFields = 7;

// x as a Float32Array or Float64Array of rows * cols elements.
Napi::TypedArray float_matrix_arg(const Napi::CallbackInfo& info, std::size_t index, std::size_t rows,
                                  std::size_t cols) {
  return float_array_arg(info, index, "x", checked_product(info.Env(), rows, cols, "x")).array;
}

Job parse_ColumnStats(const Napi::CallbackInfo& info) {
  const std::size_t rows = dim_arg(info, 1, "rows");
  const std::size_t cols = dim_arg(info, 2, "cols");
  Napi::TypedArray x = float_matrix_arg(info, 0, rows, cols);
  Napi::TypedArray out_arr =
      typed_array_arg(info, 3, "out", napi_float64_array, checked_product(info.Env(), kStatsFields, cols, "out"));
  double* o = out_arr.As<Napi::Float64Array>().Data();
  reduce::ColumnStatsOut out{o, o + cols, o + 2 * cols, o + 3 * cols, o + 4 * cols, o + 5 * cols, o + 6 * cols};
  if (x.TypedArrayType() == napi_float64_array) {
    const double* p = x.As<Napi::Float64Array>().Data();
    return Job{[=] { reduce::column_stats(p, rows, cols, out); }, {x, out_arr}};
  }
  const float* p = x.As<Napi::Float32Array>().Data();
  return Job{[=] { reduce::column_stats(p, rows, cols, out); }, {x, out_arr}};
}

Job parse_RowNorms(const Napi::CallbackInfo& info) {
  const std::size_t rows = dim_arg(info, 1, "rows");
  const std::size_t cols = dim_arg(info, 2, "cols");
  const bool squared = bool_arg(info, 3, "squared");
  Napi::TypedArray x = float_matrix_arg(info, 0, rows, cols);
  Napi::TypedArray out_arr = typed_array_arg(info, 4, "out", napi_float64_array, rows);
  double* o = out_arr.As<Napi::Float64Array>().Data();
  if (x.TypedArrayType() == napi_float64_array) {
    const double* p = x.As<Napi::Float64Array>().Data();
    return Job{[=] { reduce::row_norms(p, rows, cols, squared, o); }, {x, out_arr}};
  }
  const float* p = x.As<Napi::Float32Array>().Data();
  return Job{[=] { reduce::row_norms(p, rows, cols, squared, o); }, {x, out_arr}};
}

Job parse_AffineColumns(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::size_t rows = dim_arg(info, 1, "rows"), cols = dim_arg(info, 2, "cols");
  Napi::TypedArray x = float_matrix_arg(info, 0, rows, cols);
  Napi::TypedArray shift = typed_array_arg(info, 3, "shift", napi_float64_array, cols);
  Napi::TypedArray scale = typed_array_arg(info, 4, "scale", napi_float64_array, cols);
  std::vector<Napi::Value> held{x, shift, scale};
  const double* fill = nullptr;
  if (!absent(info, 5)) {
    Napi::TypedArray f = typed_array_arg(info, 5, "fill", napi_float64_array, cols);
    held.push_back(f);
    fill = f.As<Napi::Float64Array>().Data();
  }
  Napi::TypedArray out = typed_array_arg(info, 6, "out", napi_float64_array, checked_product(env, rows, cols, "out"));
  held.push_back(out);
  const double* sh = shift.As<Napi::Float64Array>().Data();
  const double* sc = scale.As<Napi::Float64Array>().Data();
  double* o = out.As<Napi::Float64Array>().Data();
  if (x.TypedArrayType() == napi_float64_array) {
    const double* p = x.As<Napi::Float64Array>().Data();
    return Job{[=] { reduce::affine_columns(p, rows, cols, sh, sc, fill, o); }, held};
  }
  const float* p = x.As<Napi::Float32Array>().Data();
  return Job{[=] { reduce::affine_columns(p, rows, cols, sh, sc, fill, o); }, held};
}

}  // namespace

KILN_ASYNC_AND_SYNC(AffineColumns, "affineColumns")

Napi::Value FirstNonFiniteSync(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsTypedArray())
    throw_coded(info.Env(), "E_DTYPE", "x must be a Float32Array or Float64Array");
  Napi::TypedArray x = info[0].As<Napi::TypedArray>();
  std::int64_t i;
  if (x.TypedArrayType() == napi_float64_array) {
    i = reduce::first_non_finite(x.As<Napi::Float64Array>().Data(), x.ElementLength());
  } else if (x.TypedArrayType() == napi_float32_array) {
    i = reduce::first_non_finite(x.As<Napi::Float32Array>().Data(), x.ElementLength());
  } else {
    throw_coded(info.Env(), "E_DTYPE", "x must be a Float32Array or Float64Array");
  }
  return Napi::Number::New(info.Env(), static_cast<double>(i));
}

KILN_ASYNC_AND_SYNC(ColumnStats, "columnStats")
KILN_ASYNC_AND_SYNC(RowNorms, "rowNorms")

}  // namespace kiln::binding
