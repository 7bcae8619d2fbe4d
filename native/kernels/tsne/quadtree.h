// The Barnes-Hut quadtree of a 2-D t-SNE embedding, rebuilt every iteration. It mirrors the
// TypeScript oracle (src/backend/js/tsne.ts) operation for operation: same insertion order,
// same running centre-of-mass arithmetic, same traversal order, so forces agree with it bit for
// bit (this file is compiled without fused multiply-adds). Memory order is free, though: once
// built, cells are renumbered in the order a walk visits them (a walk then moves forward
// through memory) and the points are listed in tree order (neighbouring walks share cells).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace kiln::tsne {

// What a walk reads: one cache line per cell.
struct alignas(64) Node {
  double cx = 0, cy = 0;  // centre of mass
  double mass = 0;        // points below
  double width2 = 0;      // width squared
  int32_t child[4] = {-1, -1, -1, -1};
  int32_t point = -1;  // the point of a leaf holding one, else -1
  int32_t leaf = 0;    // holds a point or has no children (set once built): a walk never opens it
};

class QuadTree {
 public:
  // y: n x 2, row-major. Points deeper than 50 levels (duplicates) stay one heavier body.
  QuadTree(const double* y, std::size_t n);

  // Adds the repulsive force numerators on point i to (fx, fy); returns its share of sum q.
  // angle2: angle squared (a cell of width w at squared distance d2 is one body when w^2 < angle2 d2).
  double repulse(std::size_t i, double angle2, double& fx, double& fy) const;

  const std::vector<Node>& nodes() const { return nodes_; }
  // The points in tree order (a permutation of 0..n-1).
  const std::vector<int32_t>& order() const { return order_; }

 private:
  struct Geometry {
    double midx, midy, width;
  };
  int32_t cell(double mx, double my, double w);
  void insert(int32_t c, int32_t i, int depth);
  void descend(int32_t c, int32_t i, int depth);
  void renumber();

  const double* y_;
  std::vector<Node> nodes_;
  std::vector<Geometry> geo_;  // building only
  std::vector<int32_t> rest_;  // the cell each point rests in
  std::vector<int32_t> order_;
};

}  // namespace kiln::tsne
