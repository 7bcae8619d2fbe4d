#include "shuffle.h"

#include <utility>

#include "../../runtime/xoshiro.h"

namespace kiln::order {

void shuffle_i32(std::int32_t* values, std::size_t n, std::uint32_t state[4]) {
  runtime::Xoshiro128 rng{state[0], state[1], state[2], state[3]};
  for (std::size_t i = n; i-- > 1;) std::swap(values[i], values[rng.below(i + 1)]);
  state[0] = rng.a;
  state[1] = rng.b;
  state[2] = rng.c;
  state[3] = rng.d;
}

}  // namespace kiln::order
