#pragma once
#include <napi.h>

namespace kiln::binding {
// columnStats(x, rows, cols, out): x is a Float32Array or Float64Array of rows*cols;
// out is a Float64Array of 7*cols laid out as [count | nonFinite | sum | mean | m2 | min | max].
Napi::Value ColumnStats(const Napi::CallbackInfo& info);
Napi::Value ColumnStatsSync(const Napi::CallbackInfo& info);
// rowNorms(x, rows, cols, squared, out): out is a Float64Array of rows.
Napi::Value RowNorms(const Napi::CallbackInfo& info);
Napi::Value RowNormsSync(const Napi::CallbackInfo& info);
// affineColumns(x, rows, cols, shift, scale, fill|null, out): out = (x (NaN -> fill) - shift) * scale, f64.
Napi::Value AffineColumns(const Napi::CallbackInfo& info);
Napi::Value AffineColumnsSync(const Napi::CallbackInfo& info);
// firstNonFiniteSync(x): index of the first NaN/Inf in a Float32Array or Float64Array, or -1.
Napi::Value FirstNonFiniteSync(const Napi::CallbackInfo& info);
}  // namespace kiln::binding
