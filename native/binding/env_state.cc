#include "env_state.h"

#include "args.h"

namespace kiln::binding {

void init_env_state(Napi::Env env) {
  auto* state = new EnvState();
  env.SetInstanceData<EnvState>(state);  // deleted by N-API when the environment goes
  std::shared_ptr<JobsInFlight> jobs = state->jobs;
  env.AddCleanupHook([jobs] { jobs->shut_down_and_wait(); });
}

EnvState& env_state(Napi::Env env) { return *env.GetInstanceData<EnvState>(); }

Napi::Value SetPin(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsFunction()) throw_coded(info.Env(), "E_PARAM", "setPin needs a function");
  env_state(info.Env()).pin = Napi::Persistent(info[0].As<Napi::Function>());
  return info.Env().Undefined();
}

void pin_for_async(Napi::Env env, const std::vector<Napi::Value>& held) {
  EnvState& state = env_state(env);
  if (state.pin.IsEmpty())
    throw_coded(env, "E_INTERNAL",
                "async kernels need the buffer pin that kiln's loader registers; load the addon through kiln");
  for (const Napi::Value& v : held)
    if (v.IsTypedArray()) state.pin.Call({v.As<Napi::TypedArray>().ArrayBuffer()});
}

}  // namespace kiln::binding
