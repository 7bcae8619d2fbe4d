// Barnes-Hut t-SNE's gradient for a 2-D embedding (van der Maaten 2014, scikit-learn 1.2's
// method='barnes_hut'): attractive forces over the sparse symmetric P (CSR), repulsive forces
// from a quadtree rebuilt from the embedding. Pure C++, no N-API.
//
// It is the TypeScript oracle's arithmetic in the same order (src/decomposition/tsne-bh.ts),
// so the gradient equals the js backend's bit for bit. Threads split the points; each point's
// forces are computed by one thread, and the normalisation sum Σq is added over points in
// index order afterwards, so the result does not depend on the thread count.
#pragma once
#include <cstddef>
#include <cstdint>

namespace kiln::tsne {

struct GradientArgs {
  std::size_t n = 0;                // points
  const int32_t* indptr = nullptr;  // n + 1: CSR row starts of P (checked by the caller)
  const int32_t* indices = nullptr;
  const double* values = nullptr;
  const double* y = nullptr;   // n x 2 embedding, row-major
  double angle = 0.5;          // Barnes-Hut's theta
  double exaggeration = 1;     // factor on P
  double* grad = nullptr;      // n x 2 out
  bool compute_error = false;  // also KL(P||Q) over P's edges (one log per edge)
};

// Writes the gradient; returns KL(P||Q) when compute_error, else 0.
double gradient(const GradientArgs& a);

// The same gradient by brute force, O(n^2) (Σq over all pairs): the test reference; angle 0
// in `gradient` agrees with it up to summation order.
double exact_gradient(const GradientArgs& a);

}  // namespace kiln::tsne
