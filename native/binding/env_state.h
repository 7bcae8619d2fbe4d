// Per-environment state of the addon (the main thread and each worker_thread load
// it separately). Two jobs:
//  - `pin`: a JS function the loader registers (setPin) that makes an ArrayBuffer
//    untransferable; async calls pin every buffer they use, so neither
//    structuredClone(..., { transfer }) nor postMessage can detach (and free) memory
//    a kernel is still reading or writing on another thread;
//  - `alive`: cleared by an environment cleanup hook when the environment is torn
//    down (worker.terminate(), process.exit() in a worker), so a job that completes
//    afterwards settles nothing instead of calling into a dead environment.
#pragma once
#include <napi.h>

#include <atomic>
#include <memory>
#include <vector>

namespace kiln::binding {

struct EnvState {
  Napi::FunctionReference pin;
  std::shared_ptr<std::atomic<bool>> alive = std::make_shared<std::atomic<bool>>(true);
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
