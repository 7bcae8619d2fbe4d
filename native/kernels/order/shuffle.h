// Shuffling rows in place with the JavaScript generator's numbers: an epoch's order of a training
// loop (the MLP's, SGD's), the same permutation as Rng.shuffle.
#pragma once
#include <cstddef>
#include <cstdint>

namespace kiln::order {

// Fisher-Yates as Rng.shuffle: from the last place down, place i swaps with below(i + 1), drawn from
// xoshiro128** at `state` (Rng.getState's four words, not all zero), which is left advanced.
void shuffle_i32(std::int32_t* values, std::size_t n, std::uint32_t state[4]);

}  // namespace kiln::order
