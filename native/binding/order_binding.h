#pragma once
#include <napi.h>

namespace kiln::binding {
// sortF64Sync(values, out): values and out Float64Arrays of the same length (they may be the
// same array); out receives the values in ascending order, NaNs last, -0 before +0.
Napi::Value SortF64Sync(const Napi::CallbackInfo& info);
// argsortF64Sync(values, order): values a Float64Array, order a Uint32Array of the same length
// (below 2^32); order receives the stable ascending argsort, ties by index, NaNs last.
Napi::Value ArgsortF64Sync(const Napi::CallbackInfo& info);
// averageRanksF64Sync(values, ranks): values and ranks Float64Arrays of the same length (below
// 2^32); ranks receives scipy's 'average' ranks (ties share the mean position, NaNs last, each alone).
Napi::Value AverageRanksF64Sync(const Napi::CallbackInfo& info);
// shuffleI32Sync(values, state): values an Int32Array shuffled in place as Rng.shuffle would, state a
// Uint32Array of Rng.getState()'s four generator words (not all 0), left advanced past the draws.
Napi::Value ShuffleI32Sync(const Napi::CallbackInfo& info);
}  // namespace kiln::binding
