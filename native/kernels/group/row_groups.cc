#include "row_groups.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

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

// A slot holds the first row of its group (or -1) and that row's hash tag.
struct Slot {
  std::int32_t row;
  std::uint32_t tag;
};

// Groups up to this many are grouped in one pass in row order (their table, at most 2 slots a
// group, stays in L2); more, over many rows, go to cache-sized partitions of the rows.
constexpr std::size_t kInOrderGroups = std::size_t{1} << 16;
// Rows per partition aimed at: its table (2 slots a row, 8 bytes a slot) stays in L2.
constexpr std::size_t kPartitionRows = std::size_t{1} << 15;

// The slot from the hash's low bits, the tag from its middle ones (a partition takes the high ones).
inline std::uint32_t tag_of(std::uint64_t h) { return static_cast<std::uint32_t>(h >> 20); }

void hash_rows(const std::vector<KeyColumn>& columns, std::size_t rows, std::uint64_t* hash) {
  runtime::parallel_for(rows, 65536, [&](std::size_t r0, std::size_t r1) {
    for (std::size_t r = r0; r < r1; ++r) hash[r] = 0x2545f4914f6cdd1dull;
    for (const KeyColumn& c : columns) {
      if (c.f64 != nullptr)
        for (std::size_t r = r0; r < r1; ++r) hash[r] = mix(hash[r], canonical_bits(c.f64[r]));
      else
        for (std::size_t r = r0; r < r1; ++r) hash[r] = mix(hash[r], canonical_code(c.codes[r]));
    }
  });
}

// One pass in row order with a table grown as groups appear: codes directly. Gives up (returns
// -1) when a group past max_groups appears.
std::int64_t group_in_order(const std::vector<KeyColumn>& columns, const std::uint64_t* hash, std::size_t rows,
                            std::int32_t* codes, std::size_t max_groups) {
  std::vector<Slot> slots(1024, Slot{-1, 0});
  std::size_t mask = slots.size() - 1;
  std::size_t groups = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    const std::uint64_t h = hash[r];
    const std::uint32_t tag = tag_of(h);
    for (std::size_t s = h & mask;; s = (s + 1) & mask) {
      const Slot q = slots[s];
      if (q.row < 0) {
        if (groups == max_groups) return -1;
        slots[s] = Slot{static_cast<std::int32_t>(r), tag};
        codes[r] = static_cast<std::int32_t>(groups++);
        if (2 * groups > slots.size()) {  // half full: twice the slots, the groups placed again
          std::vector<Slot> grown(2 * slots.size(), Slot{-1, 0});
          mask = grown.size() - 1;
          for (const Slot& old : slots) {
            if (old.row < 0) continue;
            std::size_t t = hash[old.row] & mask;
            while (grown[t].row >= 0) t = (t + 1) & mask;
            grown[t] = old;
          }
          slots.swap(grown);
        }
        break;
      }
      if (q.tag == tag && same_row(columns, r, static_cast<std::size_t>(q.row))) {
        codes[r] = codes[q.row];
        break;
      }
    }
  }
  return static_cast<std::int64_t>(groups);
}

// Inserts one partition's rows (ascending row numbers with their hashes, which share the
// partition's bits) into a table of its own, writing first[r] = the first row of r's group.
void group_partition(const std::vector<KeyColumn>& columns, const std::uint64_t* hash, const std::uint32_t* rows,
                     std::size_t n, std::int32_t* first, std::vector<Slot>& slots) {
  std::size_t cap = 16;
  while (cap < n * 2) cap *= 2;
  const std::size_t mask = cap - 1;
  slots.assign(cap, Slot{-1, 0});
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t r = rows[i];
    const std::uint64_t h = hash[i];
    const std::uint32_t tag = tag_of(h);
    for (std::size_t s = h & mask;; s = (s + 1) & mask) {
      const Slot q = slots[s];
      if (q.row < 0) {
        slots[s] = Slot{static_cast<std::int32_t>(r), tag};
        first[r] = static_cast<std::int32_t>(r);
        break;
      }
      if (q.tag == tag && same_row(columns, r, static_cast<std::size_t>(q.row))) {
        first[r] = q.row;
        break;
      }
    }
  }
}

// Many groups: the rows split by their hash's high bits into partitions whose tables fit in
// cache (stable: each partition in row order), grouped in parallel into first[r] = the first row
// of r's group; then codes in order of first appearance.
std::size_t group_partitioned(const std::vector<KeyColumn>& columns, std::unique_ptr<std::uint64_t[]> hash,
                              std::size_t rows, std::int32_t* codes) {
  int bits = 0;
  while (bits < 12 && (rows >> bits) > kPartitionRows) ++bits;
  const std::size_t parts = std::size_t{1} << bits;
  const auto part_of = [bits](std::uint64_t h) {
    return bits == 0 ? std::size_t{0} : static_cast<std::size_t>(h >> (64 - bits));
  };
  // counts per (block of rows, partition), then each block scatters its rows after the earlier blocks'
  const std::size_t blocks = std::min<std::size_t>(64, (rows + 65535) / 65536);
  const auto block_begin = [&](std::size_t b) { return rows * b / blocks; };
  std::vector<std::size_t> at(blocks * parts, 0);
  runtime::parallel_for(blocks, 1, [&](std::size_t b0, std::size_t b1) {
    for (std::size_t b = b0; b < b1; ++b)
      for (std::size_t r = block_begin(b), e = block_begin(b + 1); r < e; ++r) ++at[b * parts + part_of(hash[r])];
  });
  std::vector<std::size_t> start(parts + 1, 0);
  for (std::size_t p = 0, offset = 0; p < parts; ++p) {
    start[p] = offset;
    for (std::size_t b = 0; b < blocks; ++b) {
      const std::size_t here = at[b * parts + p];
      at[b * parts + p] = offset;
      offset += here;
    }
  }
  start[parts] = rows;
  // each row and its hash move together: the grouping then reads both in sequence
  std::unique_ptr<std::uint32_t[]> order(new std::uint32_t[rows]);
  std::unique_ptr<std::uint64_t[]> ordered_hash(new std::uint64_t[rows]);
  runtime::parallel_for(blocks, 1, [&](std::size_t b0, std::size_t b1) {
    for (std::size_t b = b0; b < b1; ++b)
      for (std::size_t r = block_begin(b), e = block_begin(b + 1); r < e; ++r) {
        const std::size_t to = at[b * parts + part_of(hash[r])]++;
        order[to] = static_cast<std::uint32_t>(r);
        ordered_hash[to] = hash[r];
      }
  });
  hash.reset();
  // first[r] lives in codes until the codes replace it
  std::int32_t* first = codes;
  runtime::parallel_for(parts, 1, [&](std::size_t p0, std::size_t p1) {
    std::vector<Slot> slots;
    for (std::size_t p = p0; p < p1; ++p)
      group_partition(columns, ordered_hash.get() + start[p], order.get() + start[p], start[p + 1] - start[p], first,
                      slots);
  });
  // in row order a group's first row comes before its other rows, whose code it then holds
  std::int32_t groups = 0;
  for (std::size_t r = 0; r < rows; ++r)
    codes[r] = first[r] == static_cast<std::int32_t>(r) ? groups++ : codes[first[r]];
  return static_cast<std::size_t>(groups);
}

}  // namespace

std::size_t row_groups(const std::vector<KeyColumn>& columns, std::size_t rows, std::int32_t* codes) {
  if (rows == 0) return 0;
  // Hashes first (threads), then codes in row order, the same whatever the thread count: in one
  // pass while the groups are few, else by partitions.
  std::unique_ptr<std::uint64_t[]> hash(new std::uint64_t[rows]);
  hash_rows(columns, rows, hash.get());
  const bool few_rows = rows <= 4 * kInOrderGroups;
  const std::int64_t groups = group_in_order(columns, hash.get(), rows, codes, few_rows ? rows : kInOrderGroups);
  if (groups >= 0) return static_cast<std::size_t>(groups);
  return group_partitioned(columns, std::move(hash), rows, codes);
}

}  // namespace kiln::group
