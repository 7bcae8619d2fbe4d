#pragma once
#include <napi.h>

namespace kiln::binding {
// histBin(x Float32Array|Float64Array, n, p, edges Float64Array, edgeOffset Int32Array(p+1),
//         categorical Uint8Array(p), catTable Uint8Array, catOffset Int32Array(p+1), out Uint8Array(n*p),
//         outColumns Uint8Array(n*p) | null: the same bins feature-major).
Napi::Value HistBin(const Napi::CallbackInfo& info);
Napi::Value HistBinSync(const Napi::CallbackInfo& info);
// histGrow({ bins, columns|null (feature-major copy), n, p, binCount, categorical, gradHess, channels, rows|null,
//            featureAllowed|null, params: {...}, out: {feature, threshold, defaultLeft, isCategorical, catBits, left, right,
//            value, gain, cover, count, depth, numNodes}, scores|null, scoreStride, scoreColumn, scale,
//            leafOfRow|null }): grows one tree (see native/kernels/hist/hist.h).
Napi::Value HistGrow(const Napi::CallbackInfo& info);
Napi::Value HistGrowSync(const Napi::CallbackInfo& info);
// histGradients(loss, n, k, y Float64Array(n), scores Float64Array(n*k), w|null, lossParam,
//               gradHess Float64Array(k*n*2), lossSum Float64Array(1)).
Napi::Value HistGradients(const Napi::CallbackInfo& info);
Napi::Value HistGradientsSync(const Napi::CallbackInfo& info);
// histRankGradients(n, y Float64Array(n), scores Float64Array(n), queryOffset Int32Array(queries+1), sigma,
//                   truncation, norm, evalAt, gradHess Float64Array(2n), lossSum Float64Array(1)): LambdaRank.
Napi::Value HistRankGradients(const Napi::CallbackInfo& info);
Napi::Value HistRankGradientsSync(const Napi::CallbackInfo& info);
// histPredict(x, n, p, forest {nodes (packed: see hist.h Node), catOffset, catWords, catBits,
//             value, channels, roots, treeColumn, treeWeight}, treeBegin, treeEnd, out|null, outCols,
//             leafIndex|null). The forest's structure is checked before any row is read.
Napi::Value HistPredict(const Napi::CallbackInfo& info);
Napi::Value HistPredictSync(const Napi::CallbackInfo& info);
// histForestPrepare(forest, p, outCols) -> handle: the forest checked and copied once.
// histForestPredictSync(handle, x, n, out Float64Array(n*outCols)): out += all trees, inline.
Napi::Value HistForestPrepare(const Napi::CallbackInfo& info);
// histQuantizeSync(gradHess, n, rows|null, seed, out Int32Array(m), info Float64Array(4)): the
// grower's quantised gradients as (g << 16) | h per row, with Σg, Σh and the two scales.
Napi::Value HistQuantizeSync(const Napi::CallbackInfo& info);
// histBinSampleSync(x, n, p, features Int32Array(f), state Uint32Array(4), k, values Float64Array(f*k),
// counts Int32Array(f)): binning's sample (hist.h BinSampleArgs).
Napi::Value HistBinSampleSync(const Napi::CallbackInfo& info);
Napi::Value HistSampleRows(const Napi::CallbackInfo& info);
Napi::Value HistSampleRowsSync(const Napi::CallbackInfo& info);
Napi::Value HistForestPredictSync(const Napi::CallbackInfo& info);
// histForestBindRow(handle, buffer Float64Array(p + outCols)); histForestPredictRow(handle, walk?):
// buffer[p..] += all trees on the row buffer[0..p) (bitvector scorer, or the tree walk);
// histForestRowScorer(handle): which one.
Napi::Value HistForestBindRow(const Napi::CallbackInfo& info);
Napi::Value HistForestPredictRow(const Napi::CallbackInfo& info);
Napi::Value HistForestRowScorer(const Napi::CallbackInfo& info);
}  // namespace kiln::binding
