#include "row_groups.h"

#include <cstring>
#include <memory>

#include "../../runtime/thread_pool.h"

namespace kiln::group {

namespace {

// The bits a value is compared by: -0 as +0, every NaN as one NaN, every missing code as -1.
inline std::uint64_t canonical_bits(double v) {
  if (v != v) return 0x7ff8000000000001ull;
  if (v == 0) return 0;
  std::uint64_t b;
  std::memcpy(&b, &v, sizeof b);
  return b;
}
inline std::uint64_t canonical_code(std::int32_t c) {
  return c < 0 ? 0xfff0000000000001ull : static_cast<std::uint64_t>(c);
}

inline std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  h *= 0xbf58476d1ce4e5b9ull;
  return h ^ (h >> 31);
}

inline std::uint64_t value_bits(const KeyColumn& c, std::size_t r) {
  return c.f64 != nullptr ? canonical_bits(c.f64[r]) : canonical_code(c.codes[r]);
}

bool same_row(const std::vector<KeyColumn>& cols, std::size_t a, std::size_t b) {
  for (const KeyColumn& c : cols)
    if (value_bits(c, a) != value_bits(c, b)) return false;
  return true;
}

}  // namespace

std::size_t row_groups(const std::vector<KeyColumn>& columns, std::size_t rows, std::int32_t* codes) {
  if (rows == 0) return 0;
  // Hashes first, column by column over blocks of rows (threads), then one serial pass that
  // assigns codes in row order, so codes are the same whatever the thread count.
  std::unique_ptr<std::uint64_t[]> hash(new std::uint64_t[rows]);
  runtime::parallel_for(rows, 65536, [&](std::size_t r0, std::size_t r1) {
    for (std::size_t r = r0; r < r1; ++r) hash[r] = 0x2545f4914f6cdd1dull;
    for (const KeyColumn& c : columns) {
      if (c.f64 != nullptr)
        for (std::size_t r = r0; r < r1; ++r) hash[r] = mix(hash[r], canonical_bits(c.f64[r]));
      else
        for (std::size_t r = r0; r < r1; ++r) hash[r] = mix(hash[r], canonical_code(c.codes[r]));
    }
  });
  std::size_t cap = 16;
  while (cap < rows * 2) cap *= 2;
  const std::size_t mask = cap - 1;
  // A slot holds the first row of its group (or -1) and that row's hash tag.
  struct Slot {
    std::int32_t row;
    std::uint32_t tag;
  };
  std::unique_ptr<Slot[]> slots(new Slot[cap]);
  for (std::size_t s = 0; s < cap; ++s) slots[s] = Slot{-1, 0};
  constexpr std::size_t kAhead = 16;  // rows whose slot is prefetched ahead of use
  std::int32_t groups = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    if (r + kAhead < rows) __builtin_prefetch(&slots[(hash[r + kAhead] >> 20) & mask]);
    const std::uint64_t h = hash[r];
    const auto tag = static_cast<std::uint32_t>(h);
    std::size_t s = (h >> 20) & mask;
    for (;;) {
      const Slot q = slots[s];
      if (q.row < 0) {
        slots[s] = Slot{static_cast<std::int32_t>(r), tag};
        codes[r] = groups++;
        break;
      }
      if (q.tag == tag && same_row(columns, r, static_cast<std::size_t>(q.row))) {
        codes[r] = codes[q.row];
        break;
      }
      s = (s + 1) & mask;
    }
  }
  return static_cast<std::size_t>(groups);
}

}  // namespace kiln::group
