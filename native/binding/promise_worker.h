// Scheduling for binding calls: a parsed call becomes a Job (the kernel closure
// plus the JS objects whose memory it uses, zero-copy). Async calls run the Job
// on libuv's pool (the kernel then fans out on kiln's pool) and resolve a Promise;
// the objects stay referenced until it settles. Sync calls run it in place.
#pragma once
#include <napi.h>

#include <functional>
#include <new>
#include <string>
#include <vector>

namespace kiln::binding {

struct Job {
  std::function<void()> run;
  std::vector<Napi::Value> held;  // TypedArrays the kernel reads or writes
};

class PromiseWorker : public Napi::AsyncWorker {
 public:
  PromiseWorker(Napi::Env env, const char* name, Job&& job)
      : Napi::AsyncWorker(env, name), deferred_(Napi::Promise::Deferred::New(env)), run_(std::move(job.run)) {
    for (const Napi::Value& v : job.held) held_.push_back(Napi::Persistent(v.As<Napi::Object>()));
  }

  Napi::Promise promise() const { return deferred_.Promise(); }

 protected:
  void Execute() override {
    try {
      run_();
    } catch (const std::bad_alloc&) {
      code_ = "E_ALLOC";
      SetError("out of memory while running the kernel");
    } catch (const std::exception& e) {
      code_ = "E_INTERNAL";
      SetError(e.what());
    }
  }
  void OnOK() override { deferred_.Resolve(Env().Undefined()); }
  void OnError(const Napi::Error& e) override {
    Napi::Error err = Napi::Error::New(Env(), e.Message());
    err.Set("code", Napi::String::New(Env(), code_));
    deferred_.Reject(err.Value());
  }

 private:
  Napi::Promise::Deferred deferred_;
  std::function<void()> run_;
  std::vector<Napi::ObjectReference> held_;
  std::string code_ = "E_INTERNAL";
};

// Runs `job` now (sync) or queues it and returns its Promise (async).
inline Napi::Value schedule(Napi::Env env, const char* name, Job&& job, bool async) {
  if (!async) {
    try {
      job.run();
    } catch (const std::bad_alloc&) {
      Napi::Error err = Napi::Error::New(env, "out of memory while running the kernel");
      err.Set("code", Napi::String::New(env, "E_ALLOC"));
      throw err;
    }
    return env.Undefined();
  }
  auto* worker = new PromiseWorker(env, name, std::move(job));
  Napi::Promise p = worker->promise();
  worker->Queue();
  return p;
}

// Defines `Name` (async, returns a Promise) and `NameSync` from `Job parse_Name(info)`.
#define KILN_ASYNC_AND_SYNC(Name, js_name)                                                               \
  Napi::Value Name(const Napi::CallbackInfo& info) {                                                    \
    return schedule(info.Env(), "kiln." js_name, parse_##Name(info), true);                              \
  }                                                                                                     \
  Napi::Value Name##Sync(const Napi::CallbackInfo& info) {                                              \
    return schedule(info.Env(), "kiln." js_name, parse_##Name(info), false);                             \
  }

}  // namespace kiln::binding
