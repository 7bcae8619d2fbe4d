#include "partition.h"

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

// Both stores every row, one cursor advances: no branch on the side (a coin flip to the predictor).
std::size_t partition_rows(const int32_t* idx, std::size_t m, const uint8_t* column, int32_t threshold,
                           bool default_left, int32_t* lo, int32_t* hi, std::size_t l, std::size_t r) {
  for (std::size_t j = 0; j < m; ++j) {
    const int32_t row = idx[j];
    const std::size_t go = goes_left(column[static_cast<std::size_t>(row)], threshold, default_left) ? 1 : 0;
    lo[l] = row;
    hi[r] = row;
    l += go;
    r += 1 - go;
  }
  return l;
}

#ifdef KILN_PARTITION_AVX512

// 16 rows at a time: their bins as a mask of the side, each side's rows packed by a register
// compress (a compress straight to memory is slow on some cores) and stored whole. The bins: where
// the 16 rows lie within 64 bytes of the column (a leaf near the root holds most rows), one load
// of those bytes and a permute pick them out (a third of a gather's time on Zen 4); else a gather.
__attribute__((target("avx512f,avx512bw,avx512vl,popcnt"))) std::size_t partition_avx512(
    const int32_t* idx, std::size_t m, const uint8_t* column, std::size_t readable, int32_t threshold,
    bool default_left, int32_t* lo, int32_t* hi) {
  const __m512i byte = _mm512_set1_epi32(0xFF), thr = _mm512_set1_epi32(threshold), zero = _mm512_setzero_si512();
  const __m512i three = _mm512_set1_epi32(3);
  // Rows below safe_rows have their 4-byte word inside the column; windows must start below window_end.
  const std::size_t safe_rows = readable >= 3 ? readable - 3 : 0, window_end = readable >= 64 ? readable - 63 : 0;
  const __m512i safe = _mm512_set1_epi32(static_cast<int32_t>(safe_rows > 0x7FFFFFFF ? 0x7FFFFFFF : safe_rows));
  std::size_t l = 0, r = 0, j = 0;
  for (; j + 16 <= m; j += 16) {
    const __m512i rows = _mm512_loadu_si512(idx + j);
    const std::size_t first = static_cast<std::size_t>(idx[j]);
    // Each row's place from the block's first row (unsigned: a row before it is far out of the window).
    const __m512i offset = _mm512_sub_epi32(rows, _mm512_set1_epi32(idx[j]));
    // The bins, one a 4-byte lane (in its low byte), read by a window or a gather; else byte-wise.
    __m512i words = zero;
    bool bytewise = false;
    if (first < window_end && _mm512_cmplt_epu32_mask(offset, _mm512_set1_epi32(64)) == 0xFFFF) {
      // Byte k of the window [first, first + 64) is in dword k / 4, at bit 8 (k % 4). (maskz forms
      // with every lane on: GCC 12 warns that the plain ones' undefined pass-through is uninitialised.)
      constexpr __mmask16 all = 0xFFFF;
      const __m512i window = _mm512_loadu_si512(column + first);
      const __m512i dwords = _mm512_maskz_permutexvar_epi32(all, _mm512_maskz_srli_epi32(all, offset, 2), window);
      const __m512i shift = _mm512_maskz_slli_epi32(all, _mm512_and_si512(offset, three), 3);
      words = _mm512_maskz_srlv_epi32(all, dwords, shift);
    } else if (_mm512_cmplt_epu32_mask(rows, safe) == 0xFFFF) {
      if (j + 48 <= m)  // the bins two blocks ahead: scattered rows of a deep leaf miss the cache
        for (int k = 0; k < 16; k += 2)
          _mm_prefetch(reinterpret_cast<const char*>(column + idx[j + 32 + k]), _MM_HINT_T0);
      words = _mm512_mask_i32gather_epi32(zero, 0xFFFF, rows, column, 1);
    } else {
      bytewise = true;
    }
    __mmask16 left = 0;
    if (bytewise) {
      for (int k = 0; k < 16; ++k)
        if (goes_left(column[static_cast<std::size_t>(idx[j + k])], threshold, default_left)) left |= 1u << k;
    } else {
      const __m512i bins = _mm512_and_si512(words, byte);
      const __mmask16 missing = _mm512_cmpeq_epi32_mask(bins, zero);
      const __mmask16 below = _mm512_cmple_epi32_mask(bins, thr);
      left = default_left ? static_cast<__mmask16>(missing | below) : static_cast<__mmask16>(below & ~missing);
    }
    _mm512_storeu_si512(lo + l, _mm512_maskz_compress_epi32(left, rows));
    _mm512_storeu_si512(hi + r, _mm512_maskz_compress_epi32(static_cast<__mmask16>(~left), rows));
    const std::size_t nl = static_cast<std::size_t>(_mm_popcnt_u32(left));
    l += nl;
    r += 16 - nl;
  }
  return partition_rows(idx + j, m - j, column, threshold, default_left, lo, hi, l, r);
}
#endif

}  // namespace

std::size_t partition_numerical(const int32_t* idx, std::size_t m, const uint8_t* column, std::size_t readable,
                                int32_t threshold, bool default_left, int32_t* lo, int32_t* hi) {
#ifdef KILN_PARTITION_AVX512
  static const bool wide = runtime::cpu_features().level == runtime::SimdLevel::Avx512;
  if (wide) return partition_avx512(idx, m, column, readable, threshold, default_left, lo, hi);
#endif
  (void)readable;
  return partition_rows(idx, m, column, threshold, default_left, lo, hi, 0, 0);
}

}  // namespace kiln::hist
