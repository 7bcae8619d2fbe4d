// Multi-layer perceptron training in native code: one call runs a whole epoch —
// for every mini-batch: forward (SGEMM + bias + activation), loss, backward
// (SGEMM with transposes) and the optimiser step — on parameters that stay in the
// caller's buffers between epochs. f32 parameters and activations. Pure C++.
#pragma once
#include <cstddef>
#include <cstdint>

namespace kiln::mlp {

enum class Activation : int { Identity = 0, Relu = 1, Tanh = 2, Logistic = 3 };
enum class Output : int { Softmax = 0, Identity = 1 };  // softmax + cross-entropy, or squared error
enum class Solver : int { Sgd = 0, Adam = 1 };

// Layer l maps sizes[l] -> sizes[l + 1]; params hold, for each layer in turn, W_l
// (sizes[l] x sizes[l + 1], row-major) then b_l (sizes[l + 1]).
struct Network {
  std::size_t layers = 0;              // weight layers (hidden + output)
  const std::size_t* sizes = nullptr;  // layers + 1 sizes
  Activation hidden = Activation::Relu;
  Output output = Output::Softmax;
  float* params = nullptr;
};

std::size_t param_count(const Network& net);

struct Data {
  const float* x = nullptr;  // n x sizes[0]
  std::size_t n = 0;
  const int32_t* labels = nullptr;  // Softmax: class per row
  const float* targets = nullptr;   // Identity: n x sizes[layers]
  const float* weights = nullptr;   // n sample weights, or null: each row's loss is scaled by its weight
};

struct Optimiser {
  Solver solver = Solver::Adam;
  float lr = 1e-3f;
  float alpha = 1e-4f;        // L2 penalty (scikit-learn's alpha): + alpha/2 ||W||^2 per batch / batch size
  float weight_decay = 0.0f;  // decoupled decay (AdamW), weights only
  float momentum = 0.9f;
  bool nesterov = true;
  float beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f;
  float* m = nullptr;      // param_count: velocity (SGD) or first moment (Adam)
  float* v = nullptr;      // param_count: second moment (Adam)
  double* step = nullptr;  // Adam's t, in/out
};

struct EpochArgs {
  Network net;
  Data data;
  const int32_t* order = nullptr;  // n: rows in visiting order
  std::size_t batch = 200;
  float dropout = 0.0f;  // on hidden activations (inverted dropout)
  uint32_t seed = 1;     // dropout masks
  Optimiser opt;
  double* loss = nullptr;  // out: mean loss over the epoch (penalty included, as scikit-learn)
};

void train_epoch(const EpochArgs& a);

// Loss of the whole data set as one batch (no dropout) and its gradient w.r.t. params.
double loss_and_grad(const Network& net, const Data& d, float alpha, float* grad);

// Network outputs (softmax probabilities or identity values), n x sizes[layers].
void forward(const Network& net, const float* x, std::size_t n, float* out);

}  // namespace kiln::mlp
