// Per-environment state of the addon (the main thread and each worker_thread load
// it separately). Two jobs:
//  - `pin`: a JS function the loader registers (setPin) that makes an ArrayBuffer
//    untransferable; async calls pin every buffer they use, so neither
//    structuredClone(..., { transfer }) nor postMessage can detach (and free) memory
//    a kernel is still reading or writing on another thread;
//  - `jobs`: the environment's async jobs in flight. Its cleanup hook (worker.terminate(),
//    process.exit() in a worker) marks the environment dead, so a job completing afterwards
//    settles nothing instead of calling into it, and then waits until no job is still inside
//    its kernel: the environment's ArrayBuffers are freed right after the hooks run, and a
//    kernel still reading one would read freed memory. Jobs queued but not started skip
//    their kernel once the environment is dead, so the wait is one kernel at most.
#pragma once
#include <napi.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

namespace kiln::binding {

// The async jobs of one environment: whether it is alive, and how many jobs are queued or running.
class JobsInFlight {
 public:
  bool alive() const { return alive_.load(); }
  void enter() {
    std::lock_guard<std::mutex> lock(m_);
    ++pending_;
  }
  void leave() {
    std::lock_guard<std::mutex> lock(m_);
    if (--pending_ == 0) idle_.notify_all();
  }
  // From the cleanup hook: no more settling, and no kernel left reading this environment's memory.
  void shut_down_and_wait() {
    alive_.store(false);
    std::unique_lock<std::mutex> lock(m_);
    idle_.wait(lock, [this] { return pending_ == 0; });
  }

 private:
  std::atomic<bool> alive_{true};
  std::mutex m_;
  std::condition_variable idle_;
  int pending_ = 0;
};

struct EnvState {
  Napi::FunctionReference pin;
  std::shared_ptr<JobsInFlight> jobs = std::make_shared<JobsInFlight>();
};

// Creates the state of `env` and registers its cleanup hook (once, from Init).
void init_env_state(Napi::Env env);
EnvState& env_state(Napi::Env env);

// setPin(fn): registers the pin function (src/backend/native.ts does, on load).
Napi::Value SetPin(const Napi::CallbackInfo& info);

// Pins the ArrayBuffer behind every TypedArray in `held` for an async call; throws
// E_INTERNAL when no pin function was registered (the addon loaded around kiln's loader).
void pin_for_async(Napi::Env env, const std::vector<Napi::Value>& held);

}  // namespace kiln::binding
