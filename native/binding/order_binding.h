#pragma once
#include <napi.h>

namespace kiln::binding {
// sortF64Sync(values, out): values and out Float64Arrays of the same length (they may be the
// same array); out receives the values in ascending order, NaNs last, -0 before +0.
Napi::Value SortF64Sync(const Napi::CallbackInfo& info);
}  // namespace kiln::binding
