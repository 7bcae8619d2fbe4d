#include "histogram.h"

#include <algorithm>
#include <cstring>
#include <type_traits>

#include "../../runtime/aligned.h"
#include "../../runtime/simd_clones.h"
#include "../../runtime/thread_pool.h"

namespace kiln::hist {

namespace {

// Rows per private histogram when threads split the rows; fixed (not derived from the
// thread count) so float sums are merged in the same order on every machine.
constexpr std::size_t kRowChunk = 32768;
constexpr std::size_t kMaxRowChunks = 16;
// Above this many bytes per leaf histogram, threads split the features instead.
constexpr std::size_t kRowParallelMaxBytes = 256 * 1024;

// Below this many accumulators to add, the private histograms are merged on one thread.
constexpr std::size_t kParallelMergeSlots = 1 << 18;

// Rows ahead: leaf rows are scattered, so their bins and gradients are cache misses.
constexpr std::size_t kPrefetchRows = 16;

// A leaf's rows: a list of row numbers, or (the root of a tree grown on every row) the range
// [first, first + m), read in order with neither an index load nor a prefetch.
struct RowList {
  const int32_t* idx;
  static constexpr bool kScattered = true;
  std::size_t operator[](std::size_t j) const { return static_cast<std::size_t>(idx[j]); }
  RowList from(std::size_t j) const { return {idx + j}; }
};
struct RowRange {
  std::size_t first;
  static constexpr bool kScattered = false;
  std::size_t operator[](std::size_t j) const { return first + j; }
  RowRange from(std::size_t j) const { return {first + j}; }
};

// Fetches the bins and the per-row values (gradients or codes: T per_row[row * stride]) of row
// rows[j + kPrefetchRows]: scattered rows miss the cache, a range streams.
template <typename Rows, typename T>
inline void prefetch_ahead(const HistSource& src, const Rows& rows, std::size_t j, std::size_t m, std::size_t f0,
                           const T* per_row, std::size_t stride) {
  if constexpr (Rows::kScattered) {
    if (j + kPrefetchRows < m) {
      const std::size_t ahead = rows[j + kPrefetchRows];
      __builtin_prefetch(src.bins + ahead * src.p + f0);
      __builtin_prefetch(per_row + ahead * stride);
    }
  }
}

// A histogram slot as one vector: (gradient, hessian, count, pad) in float mode, one 256-bit add
// where the CPU has AVX (the baseline clone splits it into two SSE2 adds; the sums are the same
// lane by lane either way); (packed g and h, count) in the quantised mode, one 128-bit integer add.
typedef double Quad __attribute__((vector_size(32)));
typedef int64_t Pair64 __attribute__((vector_size(16)));
template <typename V>
struct SlotOf;
template <>
struct SlotOf<Quad> {
  using T = double;
  static constexpr std::size_t kWidth = 4;
};
template <>
struct SlotOf<Pair64> {
  using T = int64_t;
  static constexpr std::size_t kWidth = 2;
};

// Rows rows[0..m) over features [f0, f1) into two histograms of slots V, even rows into h0 and odd
// rows into h1 (a feature with few distinct bins then does not chain every update on the previous
// one to the same slot; h1 covers only [f0, f1)). row_slot(r, v) sets v to what row r adds; per_row
// (stride apart) is what it reads, fetched ahead for scattered rows. P > 0: the features are
// [0, P), known when compiled, so the feature loop unrolls into fixed offsets (P = 0: [f0, f1) at
// run time); the same adds in the same order whichever P.
template <std::size_t P, typename V, typename Rows, typename PerRow, typename RowSlot>
KILN_CLONES void accumulate_slots(const HistSource& src, Rows rows, std::size_t m, std::size_t f0, std::size_t f1,
                                  typename SlotOf<V>::T* h0, typename SlotOf<V>::T* h1, const PerRow* per_row,
                                  std::size_t stride, RowSlot row_slot) {
  using T = typename SlotOf<V>::T;
  constexpr std::size_t S = SlotOf<V>::kWidth;
  const std::size_t p = P > 0 ? P : src.p;
  if constexpr (P > 0) f0 = 0, f1 = P;
  T* const h1_base = h1 - f0 * kMaxBins * S;
  for (std::size_t j = 0; j < m; ++j) {
    prefetch_ahead(src, rows, j, m, f0, per_row, stride);
    const std::size_t r = rows[j];
    const uint8_t* b = src.bins + r * p;
    V add;
    row_slot(r, add);
    T* h = (j & 1) ? h1_base : h0;
#pragma GCC unroll 8
    for (std::size_t f = f0; f < f1; ++f) {
      T* e = h + (f * kMaxBins + b[f]) * S;
      V v;
      std::memcpy(&v, e, sizeof v);
      v += add;
      std::memcpy(e, &v, sizeof v);
    }
  }
}

// Calls fn(std::integral_constant<std::size_t, P>) with P the feature count where the task covers
// every feature and there are at most 8 (the loops over them unroll), else P = 0 (run time).
template <typename Fn>
void with_feature_count(std::size_t p, std::size_t f0, std::size_t f1, Fn&& fn) {
  using std::integral_constant;
  if (f0 == 0 && f1 == p) {
    switch (p) {
      case 1: return fn(integral_constant<std::size_t, 1>{});
      case 2: return fn(integral_constant<std::size_t, 2>{});
      case 3: return fn(integral_constant<std::size_t, 3>{});
      case 4: return fn(integral_constant<std::size_t, 4>{});
      case 5: return fn(integral_constant<std::size_t, 5>{});
      case 6: return fn(integral_constant<std::size_t, 6>{});
      case 7: return fn(integral_constant<std::size_t, 7>{});
      case 8: return fn(integral_constant<std::size_t, 8>{});
      default: break;
    }
  }
  fn(integral_constant<std::size_t, 0>{});
}

// accumulate_slots for C gradient channels (slots of C + 2 doubles: gradients, hessian, count),
// one scalar add per accumulator.
template <typename Rows>
void accumulate_channels(const HistSource& src, std::size_t stride, int32_t channels, Rows rows, std::size_t m,
                         std::size_t f0, std::size_t f1, double* h0, double* h1) {
  const std::size_t p = src.p, gh_stride = static_cast<std::size_t>(channels) + 1;
  double* const h1_base = h1 - f0 * kMaxBins * stride;
  for (std::size_t j = 0; j < m; ++j) {
    prefetch_ahead(src, rows, j, m, f0, src.grad_hess, gh_stride);
    const std::size_t r = rows[j];
    const uint8_t* b = src.bins + r * p;
    const double* gh = src.grad_hess + r * gh_stride;
    double* h = (j & 1) ? h1_base : h0;
    for (std::size_t f = f0; f < f1; ++f) {
      double* e = h + (f * kMaxBins + b[f]) * stride;
      for (std::size_t s = 0; s < gh_stride; ++s) e[s] += gh[s];
      e[gh_stride] += 1.0;
    }
  }
}

// A thread's scratch histogram, kept from call to call and 64-byte aligned: a 32-byte slot at
// a 16-byte offset (malloc's alignment) straddles two cache lines every other bin.
// Tag: which of a thread's buffers (each use keeps its own).
template <typename T, int Tag>
T* thread_scratch(std::size_t count) {
  thread_local runtime::AlignedBuffer<T> buf;
  thread_local std::size_t capacity = 0;
  if (capacity < count) {
    buf = runtime::aligned_alloc_array<T>(count);
    capacity = count;
  }
  return buf.get();
}

// Feature f's accumulators that rows can reach: its first bin_count[f] bin slots (a histogram's
// other slots are never written, so zeroing and merging them would only cost time).
inline std::size_t used_slots(const HistLayout& layout, std::size_t f) {
  const std::size_t bins = layout.bin_count != nullptr ? static_cast<std::size_t>(layout.bin_count[f]) : kMaxBins;
  return std::min<std::size_t>(bins, kMaxBins) * layout.stride;
}

// Zeroes the reachable slots of features [f0, f1) of h (h indexed from feature f0).
template <typename T>
void zero_used(const HistLayout& layout, std::size_t f0, std::size_t f1, T* h) {
  for (std::size_t f = f0; f < f1; ++f)
    std::memset(h + (f - f0) * kMaxBins * layout.stride, 0, used_slots(layout, f) * sizeof(T));
}

// dst += add over the reachable slots of features [f0, f1) (both indexed from feature f0).
template <typename T>
void add_used(const HistLayout& layout, std::size_t f0, std::size_t f1, T* dst, const T* add) {
  for (std::size_t f = f0; f < f1; ++f) {
    const std::size_t base = (f - f0) * kMaxBins * layout.stride, used = used_slots(layout, f);
    for (std::size_t i = base; i < base + used; ++i) dst[i] += add[i];
  }
}

template <typename T, typename Rows>
void accumulate(const HistLayout& layout, const HistSource& src, Rows rows, std::size_t m, std::size_t f0,
                std::size_t f1, T* h) {
  const std::size_t span = (f1 - f0) * kMaxBins * layout.stride;
  T* const odd = thread_scratch<T, 0>(span);
  zero_used(layout, f0, f1, odd);
  if constexpr (std::is_same_v<T, int64_t>) {
    const auto slot = [&](std::size_t r, Pair64& v) {  // (a vector out-parameter: no vector ABI)
      const int32_t q = src.codes[r];                  // 2 bytes a row: the scattered rows of a leaf stay in cache
      v = Pair64{static_cast<int64_t>(q >> 7) * (int64_t(1) << 32) + (q & 127), 1};
    };
    with_feature_count(src.p, f0, f1, [&](auto P) {
      accumulate_slots<decltype(P)::value, Pair64>(src, rows, m, f0, f1, h, odd, src.codes, 1, slot);
    });
  } else if (layout.stride == 4 && layout.channels == 1) {
    const auto slot = [&](std::size_t r, Quad& v) {
      const double* gh = src.grad_hess + r * 2;
      v = Quad{gh[0], gh[1], 1.0, 0.0};
    };
    with_feature_count(src.p, f0, f1, [&](auto P) {
      accumulate_slots<decltype(P)::value, Quad>(src, rows, m, f0, f1, h, odd, src.grad_hess, 2, slot);
    });
  } else {
    accumulate_channels(src, layout.stride, layout.channels, rows, m, f0, f1, h, odd);
  }
  add_used(layout, f0, f1, h + f0 * kMaxBins * layout.stride, odd);
}

template <typename T, typename Rows>
void build(const HistLayout& layout, const HistSource& src, Rows rows, std::size_t m, T* out) {
  const std::size_t slots = layout.slots();
  const std::size_t p = layout.p;
  zero_used(layout, 0, p, out);
  // Every choice below depends on the shape only, never on the thread count.
  if (m < 2 * kRowChunk / 4) {
    accumulate<T>(layout, src, rows, m, 0, p, out);
    return;
  }
  if (slots * sizeof(T) > kRowParallelMaxBytes) {
    // Wide data: each task owns a block of features and reads every row.
    const std::size_t per_feature = kMaxBins * layout.stride * sizeof(T);
    const std::size_t block = std::max<std::size_t>(1, (64 * 1024) / per_feature);
    runtime::parallel_blocks(p, block, [&](std::size_t, std::size_t f0, std::size_t f1) {
      accumulate<T>(layout, src, rows, m, f0, f1, out);
    });
    return;
  }
  // Narrow data: private histograms over fixed row chunks, merged in chunk order.
  const std::size_t chunks = std::min(kMaxRowChunks, (m + kRowChunk / 4 - 1) / (kRowChunk / 4));
  const std::size_t rows_per = (m + chunks - 1) / chunks;
  // The chunks' private histograms: kept from call to call (a grower builds dozens per tree),
  // zeroed and merged only where rows can land.
  T* const priv = thread_scratch<T, 1>((chunks - 1) * slots);
  runtime::parallel_for(chunks, 1, [&](std::size_t c0, std::size_t c1) {
    for (std::size_t c = c0; c < c1; ++c) {
      const std::size_t begin = c * rows_per, end = std::min(m, begin + rows_per);
      T* h = c == 0 ? out : priv + (c - 1) * slots;
      if (c > 0) zero_used(layout, 0, p, h);
      if (begin >= end) continue;
      accumulate<T>(layout, src, rows.from(begin), end - begin, 0, p, h);
    }
  });
  const auto merge = [&](std::size_t f0, std::size_t f1) {
    for (std::size_t c = 1; c < chunks; ++c) {
      const std::size_t base = f0 * kMaxBins * layout.stride;
      add_used(layout, f0, f1, out + base, priv + (c - 1) * slots + base);
    }
  };
  // A merge of few slots costs less than waking a thread for it (the same adds, in the same order).
  std::size_t used = 0;
  for (std::size_t f = 0; f < p; ++f) used += used_slots(layout, f);
  if ((chunks - 1) * used < kParallelMergeSlots) merge(0, p);
  else runtime::parallel_for(p, 1, merge);
}

template <typename T>
void build_rows(const HistLayout& layout, const HistSource& src, const int32_t* idx, std::size_t m, T* out) {
  if (idx == nullptr) build<T>(layout, src, RowRange{0}, m, out);
  else build<T>(layout, src, RowList{idx}, m, out);
}

}  // namespace

void build_histogram(const HistLayout& layout, const HistSource& src, const int32_t* idx, std::size_t m, void* out) {
  if (layout.quantized) build_rows(layout, src, idx, m, static_cast<int64_t*>(out));
  else build_rows(layout, src, idx, m, static_cast<double*>(out));
}

namespace {

template <typename T>
void subtract(const HistLayout& layout, const T* a, const T* b, T* o) {
  for (std::size_t f = 0; f < layout.p; ++f) {
    const std::size_t base = f * kMaxBins * layout.stride, end = base + used_slots(layout, f);
    for (std::size_t i = base; i < end; ++i) o[i] = a[i] - b[i];
  }
}

}  // namespace

void subtract_histogram(const HistLayout& layout, const void* parent, const void* child, void* out) {
  if (layout.quantized)
    subtract(layout, static_cast<const int64_t*>(parent), static_cast<const int64_t*>(child),
             static_cast<int64_t*>(out));
  else
    subtract(layout, static_cast<const double*>(parent), static_cast<const double*>(child), static_cast<double*>(out));
}

}  // namespace kiln::hist
