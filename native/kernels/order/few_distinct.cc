#include "few_distinct.h"

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "../../runtime/thread_pool.h"
#include "order_keys.h"

namespace kiln::order {
namespace {

// Twice the most distinct keys kept: the table stays at most half full (512 KB, in L2).
constexpr int kTableBits = 15;
constexpr std::size_t kTableSize = std::size_t{1} << kTableBits;
static_assert(kTableSize >= 2 * kFewDistinct, "the table must stay at most half full");

// Distinct keys and their counts, open addressing; a slot with count 0 is empty.
class DistinctKeys {
 public:
  DistinctKeys() : keys_(kTableSize), counts_(kTableSize, 0) {}

  // Counts the keys of the n values; false as soon as more than kFewDistinct are distinct.
  template <typename ToKey>
  bool count(const double* in, std::size_t n, ToKey to_key) {
    std::size_t distinct = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t k = to_key(in[i]);
      std::size_t s = slot_of(k);
      while (counts_[s] != 0 && keys_[s] != k) s = (s + 1) & (kTableSize - 1);
      if (counts_[s] == 0) {
        if (++distinct > kFewDistinct) return false;
        keys_[s] = k;
      }
      ++counts_[s];
    }
    return true;
  }

  // The slot holding key k (which was counted).
  std::size_t find(std::uint64_t k) const {
    std::size_t s = slot_of(k);
    while (keys_[s] != k || counts_[s] == 0) s = (s + 1) & (kTableSize - 1);
    return s;
  }

  // The occupied slots in ascending order of key.
  std::vector<std::uint32_t> slots_by_key() const {
    std::vector<std::uint32_t> slots;
    for (std::size_t s = 0; s < kTableSize; ++s)
      if (counts_[s] != 0) slots.push_back(static_cast<std::uint32_t>(s));
    std::sort(slots.begin(), slots.end(), [&](std::uint32_t a, std::uint32_t b) { return keys_[a] < keys_[b]; });
    return slots;
  }

  std::uint64_t key(std::size_t s) const { return keys_[s]; }
  std::size_t count(std::size_t s) const { return counts_[s]; }

 private:
  static std::size_t slot_of(std::uint64_t k) { return (k * 0x9e3779b97f4a7c15ull) >> (64 - kTableBits); }
  std::vector<std::uint64_t> keys_;
  std::vector<std::size_t> counts_;
};

constexpr std::uint64_t kNaNKey = ~std::uint64_t{0};

}  // namespace

bool sort_few_distinct(const double* in, std::size_t n, double* out) {
  DistinctKeys table;
  if (!table.count(in, n, key_of)) return false;  // every value is read before `out` (maybe `in`) is written
  const std::vector<std::uint32_t> slots = table.slots_by_key();
  std::vector<std::size_t> start(slots.size() + 1, 0);
  for (std::size_t j = 0; j < slots.size(); ++j) start[j + 1] = start[j] + table.count(slots[j]);
  // each distinct value repeated its count of times, the runs written in parallel
  runtime::parallel_for(slots.size(), 1, [&](std::size_t j0, std::size_t j1) {
    for (std::size_t j = j0; j < j1; ++j) std::fill(out + start[j], out + start[j + 1], value_of(table.key(slots[j])));
  });
  return true;
}

bool average_ranks_few_distinct(const double* in, std::size_t n, double* ranks) {
  const auto rank_key = [](double d) { return key_of(d == 0.0 ? 0.0 : d); };  // -0 ties with +0
  DistinctKeys table;
  if (!table.count(in, n, rank_key)) return false;
  // each distinct number's rank: the mean of the positions it fills, start + 1 .. start + count
  std::vector<double> rank_at_slot(kTableSize);
  std::size_t position = 0, nans = 0;
  for (const std::uint32_t s : table.slots_by_key()) {
    if (table.key(s) == kNaNKey) {
      nans = table.count(s);
      continue;
    }
    rank_at_slot[s] = static_cast<double>(2 * position + table.count(s) + 1) / 2;
    position += table.count(s);
  }
  if (nans == 0) {
    runtime::parallel_for(n, 65536, [&](std::size_t b, std::size_t e) {
      for (std::size_t i = b; i < e; ++i) ranks[i] = rank_at_slot[table.find(rank_key(in[i]))];
    });
    return true;
  }
  // each NaN on its own after every number, in index order
  double next_nan = static_cast<double>(position) + 1;
  for (std::size_t i = 0; i < n; ++i)
    ranks[i] = in[i] != in[i] ? next_nan++ : rank_at_slot[table.find(rank_key(in[i]))];
  return true;
}

}  // namespace kiln::order
