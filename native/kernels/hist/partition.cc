#include "partition.h"

#include <cstring>
#include <stdexcept>

#include "../../runtime/cpu_features.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define KILN_PARTITION_AVX512 1
#endif

namespace kiln::hist {

namespace {

inline bool goes_left(uint8_t b, int32_t threshold, bool default_left) {
  return b == 0 ? default_left : b <= threshold;
}

// Takes the places of a group's nl lefts and nr rights from the lane; returns where each run starts.
inline void reserve(LaneCursor& lane, std::size_t nl, std::size_t nr, std::size_t& at_left, std::size_t& at_right) {
  const bool fits = lane.backward ? nl <= lane.left - lane.left_limit && nr <= lane.right - lane.right_limit
                                  : nl <= lane.left_limit - lane.left && nr <= lane.right_limit - lane.right;
  if (!fits) throw std::logic_error("partition: the rows disagree with the split's left count");
  if (lane.backward) {
    lane.left -= nl;
    lane.right -= nr;
  }
  at_left = lane.left;
  at_right = lane.right;
  if (!lane.backward) {
    lane.left += nl;
    lane.right += nr;
  }
}

// Rows [j0, j1) of group g (16 rows; the last group processed may be shorter): forward from the
// first row, backward from the last, so that each group lands just past (or before) the previous.
inline void group_rows(const LaneCursor& lane, std::size_t m, std::size_t g, std::size_t& j0, std::size_t& j1) {
  if (!lane.backward) {
    j0 = 16 * g;
    j1 = j0 + 16 < m ? j0 + 16 : m;
  } else {
    j1 = m - 16 * g;
    j0 = j1 >= 16 ? j1 - 16 : 0;
  }
}

// The first row of group g when the group is whole (g < m / 16).
inline std::size_t full_group_start(const LaneCursor& lane, std::size_t m, std::size_t g) {
  return lane.backward ? m - 16 * (g + 1) : 16 * g;
}

// Every group row by row: goes(j) says whether idx[j] goes left. Each group is split in two small
// buffers (both stores every row, one cursor advances: no branch on the side, a coin flip to the
// predictor) and copied to its places.
template <typename GoesLeft>
void place_scalar(const int32_t* idx, std::size_t m, LaneCursor& lane, GoesLeft goes) {
  const std::size_t groups = (m + 15) / 16;
  for (std::size_t g = 0; g < groups; ++g) {
    std::size_t j0, j1;
    group_rows(lane, m, g, j0, j1);
    int32_t lo[16], hi[16];
    std::size_t l = 0, r = 0;
    for (std::size_t j = j0; j < j1; ++j) {
      const int32_t row = idx[j];
      const std::size_t go = goes(j) ? 1 : 0;
      lo[l] = row;
      hi[r] = row;
      l += go;
      r += 1 - go;
    }
    std::size_t at_left, at_right;
    reserve(lane, l, r, at_left, at_right);
    std::memcpy(lane.out + at_left, lo, l * sizeof(int32_t));
    std::memcpy(lane.out + at_right, hi, r * sizeof(int32_t));
  }
}

#ifdef KILN_PARTITION_AVX512

// The bins of rows idx[j..j+16), 4 bytes a lane (the bin in the low byte), or false where some row
// is too near the column's end for a vector read. Where the 16 rows lie within 64 bytes of the
// column (a leaf near the root holds most rows), one load of those bytes and a dword permute pick
// them out (a third of a gather's time on Zen 4); else a gather, which also prefetches the bins of
// `ahead` (16 rows further on; null: none).
__attribute__((target("avx512f,avx512bw,avx512vl,popcnt"), always_inline)) inline bool bins_of_16(
    const int32_t* idx, std::size_t j, const uint8_t* column, std::size_t readable, const int32_t* ahead,
    __m512i& words) {
  const __m512i rows = _mm512_loadu_si512(idx + j);
  const std::size_t first = static_cast<std::size_t>(idx[j]);
  // Each row's place from the group's first row (unsigned: a row before it is far out of the window).
  const __m512i offset = _mm512_sub_epi32(rows, _mm512_set1_epi32(idx[j]));
  if (readable >= 64 && first <= readable - 64 && _mm512_cmplt_epu32_mask(offset, _mm512_set1_epi32(64)) == 0xFFFF) {
    // Byte k of the window [first, first + 64) is in dword k / 4, at bit 8 (k % 4). (maskz forms
    // with every lane on: GCC 12 warns that the plain ones' undefined pass-through is uninitialised.)
    constexpr __mmask16 all = 0xFFFF;
    const __m512i window = _mm512_loadu_si512(column + first);
    const __m512i dwords = _mm512_maskz_permutexvar_epi32(all, _mm512_maskz_srli_epi32(all, offset, 2), window);
    const __m512i shift = _mm512_maskz_slli_epi32(all, _mm512_and_si512(offset, _mm512_set1_epi32(3)), 3);
    words = _mm512_maskz_srlv_epi32(all, dwords, shift);
    return true;
  }
  // A gather reads 4 bytes a row: rows below readable - 3 only.
  const std::size_t safe_rows = readable >= 3 ? readable - 3 : 0;
  const __m512i safe = _mm512_set1_epi32(static_cast<int32_t>(safe_rows > 0x7FFFFFFF ? 0x7FFFFFFF : safe_rows));
  if (_mm512_cmplt_epu32_mask(rows, safe) != 0xFFFF) return false;
  if (ahead != nullptr)  // scattered rows of a deep leaf miss the cache: fetch a later group's bins
    for (int k = 0; k < 16; k += 2) _mm_prefetch(reinterpret_cast<const char*>(column + ahead[k]), _MM_HINT_T0);
  words = _mm512_mask_i32gather_epi32(_mm512_setzero_si512(), 0xFFFF, rows, column, 1);
  return true;
}

__attribute__((target("avx512f,avx512bw,avx512vl,popcnt"))) void place_numerical_avx512(
    const int32_t* idx, std::size_t m, const uint8_t* column, std::size_t readable, int32_t threshold,
    bool default_left, LaneCursor& lane) {
  const __m512i byte = _mm512_set1_epi32(0xFF), thr = _mm512_set1_epi32(threshold), zero = _mm512_setzero_si512();
  const auto scalar_goes = [&](std::size_t j) {
    return goes_left(column[static_cast<std::size_t>(idx[j])], threshold, default_left);
  };
  const std::size_t full = m / 16;
  for (std::size_t g = 0; g < full; ++g) {
    const std::size_t j0 = full_group_start(lane, m, g);
    // The rows two groups ahead, prefetched on the gather path.
    const int32_t* ahead = g + 2 < full ? idx + full_group_start(lane, m, g + 2) : nullptr;
    __m512i words;
    __mmask16 left = 0;
    if (bins_of_16(idx, j0, column, readable, ahead, words)) {
      const __m512i bins = _mm512_and_si512(words, byte);
      const __mmask16 missing = _mm512_cmpeq_epi32_mask(bins, zero);
      const __mmask16 below = _mm512_cmple_epi32_mask(bins, thr);
      left = default_left ? static_cast<__mmask16>(missing | below) : static_cast<__mmask16>(below & ~missing);
    } else {
      for (std::size_t k = 0; k < 16; ++k)
        if (scalar_goes(j0 + k)) left = static_cast<__mmask16>(left | (1u << k));
    }
    // Each side's rows packed by a register compress (a compress straight to memory is slow on
    // some cores), then stored by a masked store of exactly their count.
    const __m512i rows = _mm512_loadu_si512(idx + j0);
    const std::size_t nl = static_cast<std::size_t>(_mm_popcnt_u32(left)), nr = 16 - nl;
    std::size_t at_left, at_right;
    reserve(lane, nl, nr, at_left, at_right);
    _mm512_mask_storeu_epi32(lane.out + at_left, static_cast<__mmask16>((1u << nl) - 1),
                             _mm512_maskz_compress_epi32(left, rows));
    _mm512_mask_storeu_epi32(lane.out + at_right, static_cast<__mmask16>((1u << nr) - 1),
                             _mm512_maskz_compress_epi32(static_cast<__mmask16>(~left), rows));
  }
  // The rows past the full groups: at the end going forward, at the start going backward.
  const std::size_t rest = m - 16 * full;
  if (rest > 0) {
    const std::size_t at = lane.backward ? 0 : 16 * full;
    place_scalar(idx + at, rest, lane, [&](std::size_t j) { return scalar_goes(at + j); });
  }
}
#endif

}  // namespace

void place_numerical(const int32_t* idx, std::size_t m, const uint8_t* column, std::size_t readable, int32_t threshold,
                     bool default_left, LaneCursor& lane) {
#ifdef KILN_PARTITION_AVX512
  static const bool wide = runtime::cpu_features().level == runtime::SimdLevel::Avx512;
  if (wide) return place_numerical_avx512(idx, m, column, readable, threshold, default_left, lane);
#endif
  (void)readable;
  place_scalar(idx, m, lane, [&](std::size_t j) {
    return goes_left(column[static_cast<std::size_t>(idx[j])], threshold, default_left);
  });
}

void place_by_table(const int32_t* idx, std::size_t m, const uint8_t* column, std::size_t step,
                    const uint8_t* left_of_bin, LaneCursor& lane) {
  place_scalar(idx, m, lane, [&](std::size_t j) {
    // The bin 16 rows ahead (behind, going backward): scattered rows of a deep leaf miss the cache.
    const std::size_t ahead = lane.backward ? j - 16 : j + 16;
    if (lane.backward ? j >= 16 : j + 16 < m) __builtin_prefetch(column + static_cast<std::size_t>(idx[ahead]) * step);
    return left_of_bin[column[static_cast<std::size_t>(idx[j]) * step]] != 0;
  });
}

}  // namespace kiln::hist
