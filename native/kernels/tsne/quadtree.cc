#include "quadtree.h"

#include <algorithm>
#include <limits>

namespace kiln::tsne {

QuadTree::QuadTree(const double* y, std::size_t n) : y_(y), rest_(n, 0) {
  double x0 = std::numeric_limits<double>::infinity(), x1 = -x0, y0 = x0, y1 = -x0;
  for (std::size_t i = 0; i < n; ++i) {
    x0 = std::min(x0, y[2 * i]);
    x1 = std::max(x1, y[2 * i]);
    y0 = std::min(y0, y[2 * i + 1]);
    y1 = std::max(y1, y[2 * i + 1]);
  }
  const double w = std::max(x1 - x0, y1 - y0) * (1 + 1e-6) + 1e-12;
  nodes_.reserve(2 * n + 1);
  geo_.reserve(2 * n + 1);
  cell((x0 + x1) / 2, (y0 + y1) / 2, w);
  for (std::size_t i = 0; i < n; ++i) insert(0, static_cast<int32_t>(i), 0);
  renumber();
}

int32_t QuadTree::cell(double mx, double my, double w) {
  Node c;
  c.width2 = w * w;
  nodes_.push_back(c);
  geo_.push_back({mx, my, w});
  return static_cast<int32_t>(nodes_.size() - 1);
}

void QuadTree::insert(int32_t c, int32_t i, int depth) {
  const double px = y_[2 * i], py = y_[2 * i + 1];
  Node& cl = nodes_[c];
  const double m = cl.mass;
  cl.cx = (cl.cx * m + px) / (m + 1);
  cl.cy = (cl.cy * m + py) / (m + 1);
  cl.mass = m + 1;
  if (m == 0) {
    cl.point = i;
    rest_[i] = c;
    return;
  }
  if (depth > 50) {  // duplicates: keep them as one heavier body
    rest_[i] = c;
    return;
  }
  const int32_t old = cl.point;
  if (old >= 0) {
    cl.point = -1;
    descend(c, old, depth);
  }
  descend(c, i, depth);
}

void QuadTree::descend(int32_t c, int32_t i, int depth) {
  const Geometry g = geo_[c];
  const int q = (y_[2 * i] > g.midx ? 1 : 0) + (y_[2 * i + 1] > g.midy ? 2 : 0);
  int32_t ch = nodes_[c].child[q];
  if (ch < 0) {
    const double h = g.width / 4;
    ch = cell(g.midx + ((q & 1) != 0 ? h : -h), g.midy + ((q & 2) != 0 ? h : -h), g.width / 2);
    nodes_[c].child[q] = ch;  // index again: cell() may have moved the vector
  }
  insert(ch, i, depth + 1);
}

// Preorder with children in the order a walk pops them (3, 2, 1, 0); then the points by the
// preorder rank of the cell they rest in (counting sort: stable, O(n + cells)).
void QuadTree::renumber() {
  const std::size_t m = nodes_.size(), n = rest_.size();
  std::vector<int32_t> rank(m), stack;
  std::vector<Node> out;
  out.reserve(m);
  stack.push_back(0);
  while (!stack.empty()) {
    const int32_t c = stack.back();
    stack.pop_back();
    rank[c] = static_cast<int32_t>(out.size());
    out.push_back(nodes_[c]);
    for (int q = 0; q < 4; ++q)
      if (nodes_[c].child[q] >= 0) stack.push_back(nodes_[c].child[q]);
  }
  for (Node& c : out) {
    for (int32_t& ch : c.child)
      if (ch >= 0) ch = rank[ch];
    c.leaf = c.point >= 0 || (c.child[0] < 0 && c.child[1] < 0 && c.child[2] < 0 && c.child[3] < 0) ? 1 : 0;
  }
  nodes_.swap(out);
  std::vector<int32_t> start(m + 1, 0);
  for (std::size_t i = 0; i < n; ++i) ++start[rank[rest_[i]] + 1];
  for (std::size_t c = 0; c < m; ++c) start[c + 1] += start[c];
  order_.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) order_[start[rank[rest_[i]]]++] = static_cast<int32_t>(i);
  geo_ = {};
}

double QuadTree::repulse(std::size_t i, double angle2, double& fx, double& fy) const {
  const double px = y_[2 * i], py = y_[2 * i + 1];
  const auto self = static_cast<int32_t>(i);
  double sum_q = 0;
  // At most 52 levels, and a visit pushes at most 4 cells for the one it pops.
  int32_t stack[4 * 64];
  int top = 0;
  stack[top++] = 0;
  const Node* nodes = nodes_.data();
  while (top > 0) {
    const Node& c = nodes[stack[--top]];
    if (c.mass == 0 || c.point == self) continue;
    const double dx = px - c.cx, dy = py - c.cy, d2 = dx * dx + dy * dy;
    if (c.leaf != 0 || c.width2 < angle2 * d2) {
      const double w = 1 / (1 + d2), mw = c.mass * w;
      sum_q += mw;
      fx += mw * w * dx;
      fy += mw * w * dy;
    } else {
      for (int q = 0; q < 4; ++q)
        if (c.child[q] >= 0) stack[top++] = c.child[q];
    }
  }
  return sum_q;
}

}  // namespace kiln::tsne
