#pragma once
#include <napi.h>

namespace kiln::binding {
// groupSumsSync(values, codes, groups, sum, count): values a Float64Array and codes an Int32Array
// of the same length (each code in [-1, groups)); sum and count Float64Arrays of `groups`.
Napi::Value GroupSumsSync(const Napi::CallbackInfo& info);
// rowGroupsSync(columns, rows, codes) -> groups: columns an array of Float64Array (numbers) or
// Int32Array (category codes, negative = missing) of `rows` each; codes an Int32Array of `rows`.
Napi::Value RowGroupsSync(const Napi::CallbackInfo& info);
}  // namespace kiln::binding
