// Elementwise building blocks over row-major f32 matrices: binary ops with
// numpy-style broadcasting (each dimension equal, or 1 on one side), unary ops
// and activations, softmax and argmax by row. Pure C++, no N-API.
#pragma once
#include <cstddef>
#include <cstdint>

namespace kiln::elementwise {

enum class BinaryOp : int { Add = 0, Sub = 1, Mul = 2, Div = 3 };
enum class UnaryOp : int { Scale = 0, Clamp = 1, Relu = 2, Sigmoid = 3, Tanh = 4 };

struct Shape {
  std::size_t rows, cols;
};

// out (rows x cols = the broadcast shape) = a op b. Shapes must already be compatible.
void binary(BinaryOp op, const float* a, Shape as, const float* b, Shape bs, float* out);

// out = f(x) elementwise over n values; Scale uses p0 as the factor, Clamp [p0, p1].
void unary(UnaryOp op, const float* x, std::size_t n, float p0, float p1, float* out);

// Each row of out = softmax of the row of x (max-subtracted, so it never overflows).
// Finite input only (activations.cc).
void softmax_rows(const float* x, std::size_t rows, std::size_t cols, float* out);

// Index of the largest value of each row (the first one on ties; NaN is never the max
// unless the whole row is NaN, then 0).
void argmax_rows(const float* x, std::size_t rows, std::size_t cols, int32_t* out);

}  // namespace kiln::elementwise
