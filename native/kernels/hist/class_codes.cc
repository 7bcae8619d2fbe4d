// The first label that is not a class code: the error message of a gradients call whose kernel
// counted bad labels (the kernel checks them in its own loop). A file of its own because
// gradients.cc builds with -ffast-math, under which the NaN test below could be folded away.
#include <cmath>

#include "hist.h"

namespace kiln::hist {

std::size_t first_bad_class_code(const double* y, std::size_t n, double classes) {
  for (std::size_t i = 0; i < n; ++i)
    if (!(y[i] >= 0 && y[i] < classes && y[i] == std::floor(y[i]))) return i;
  return n;
}

}  // namespace kiln::hist
