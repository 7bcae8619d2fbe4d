// Scheduling for binding calls: a parsed call becomes a Job (the kernel closure
// plus the TypedArrays whose memory it uses, zero-copy). Sync calls run it in place
// (no JS can run meanwhile). Async calls run it on libuv's pool (the kernel then fans
// out on kiln's pool) and settle a Promise. A reference alone does not keep a
// transferred backing store alive, so an async call first pins every buffer it uses
// (env_state.h: they become untransferable, and a transfer then copies instead of
// detaching), and references them until the job completes. A job that completes
// after its environment began tearing down settles nothing, and the teardown waits for
// a job still inside its kernel (env_state.h).
#pragma once
#include <napi.h>

#include "env_state.h"

#include <atomic>
#include <functional>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

namespace kiln::binding {

// A kernel's refusal of its input, found while it runs (off the main thread, in the loop that
// reads the input anyway): reaches JS as an Error with this code.
struct KernelInputError : std::runtime_error {
  std::string code;
  KernelInputError(std::string c, const std::string& message) : std::runtime_error(message), code(std::move(c)) {}
};

struct Job {
  std::function<void()> run;
  std::vector<Napi::Value> held;  // TypedArrays the kernel reads or writes
};

class PromiseWorker : public Napi::AsyncWorker {
 public:
  PromiseWorker(Napi::Env env, const char* name, Job&& job)
      : Napi::AsyncWorker(env, name), deferred_(Napi::Promise::Deferred::New(env)), run_(std::move(job.run)),
        jobs_(env_state(env).jobs) {
    for (const Napi::Value& v : job.held) held_.push_back(Napi::Persistent(v.As<Napi::Object>()));
    jobs_->enter();
  }
  ~PromiseWorker() override {
    if (!left_) jobs_->leave();  // never executed (not queued): still counted
  }

  Napi::Promise promise() const { return deferred_.Promise(); }

 protected:
  void Execute() override {
    try {
      if (jobs_->alive()) run_();  // a dead environment's buffers may be freed: skip the kernel
    } catch (const std::bad_alloc&) {
      code_ = "E_ALLOC";
      SetError("out of memory while running the kernel");
    } catch (const KernelInputError& e) {
      code_ = e.code;
      SetError(e.what());
    } catch (const std::exception& e) {
      code_ = "E_INTERNAL";
      SetError(e.what());
    }
    left_ = true;
    jobs_->leave();  // after this, the kernel touches none of the environment's memory
  }
  void OnOK() override {
    settle([this] {
      // Pinned buffers cannot be transferred; a buffer detached anyway (an engine
      // that can detach untransferable buffers) voids the result.
      for (const Napi::ObjectReference& r : held_) {
        const Napi::Value v = r.Value();
        if (v.IsTypedArray() && v.As<Napi::TypedArray>().ArrayBuffer().IsDetached()) {
          reject("E_PARAM",
                 "an argument's ArrayBuffer was detached while the kernel ran; the result is void. "
                 "Do not transfer buffers a pending call uses (await it first)");
          return;
        }
      }
      deferred_.Resolve(Env().Undefined());
    });
  }
  void OnError(const Napi::Error& e) override {
    settle([this, message = e.Message()] { reject(code_.c_str(), message); });
  }

 private:
  Napi::Promise::Deferred deferred_;
  std::function<void()> run_;
  std::vector<Napi::ObjectReference> held_;
  std::string code_ = "E_INTERNAL";
  std::shared_ptr<JobsInFlight> jobs_;
  bool left_ = false;

  void reject(const char* code, const std::string& message) {
    Napi::Error err = Napi::Error::New(Env(), message);
    err.Set("code", Napi::String::New(Env(), code));
    deferred_.Reject(err.Value());
  }
  // Settles only in a live environment. A dying one (worker.terminate(), process.exit()
  // in a worker) refuses calls into JS: the N-API errors that raises must not escape
  // (an exception leaving the completion callback aborts the whole process).
  template <typename F>
  void settle(F&& f) {
    if (!jobs_->alive()) return;
    try {
      f();
    } catch (...) {
    }
  }
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
    } catch (const KernelInputError& e) {
      Napi::Error err = Napi::Error::New(env, e.what());
      err.Set("code", Napi::String::New(env, e.code));
      throw err;
    } catch (const std::exception& e) {  // as the async path: a coded error, never an abort
      Napi::Error err = Napi::Error::New(env, e.what());
      err.Set("code", Napi::String::New(env, "E_INTERNAL"));
      throw err;
    }
    return env.Undefined();
  }
  pin_for_async(env, job.held);
  auto* worker = new PromiseWorker(env, name, std::move(job));
  Napi::Promise p = worker->promise();
  worker->Queue();
  return p;
}

// Defines `Name` (async, returns a Promise) and `NameSync` from `Job parse_Name(info)`.
#define KILN_ASYNC_AND_SYNC(Name, js_name)                                   \
  Napi::Value Name(const Napi::CallbackInfo& info) {                         \
    return schedule(info.Env(), "kiln." js_name, parse_##Name(info), true);  \
  }                                                                          \
  Napi::Value Name##Sync(const Napi::CallbackInfo& info) {                   \
    return schedule(info.Env(), "kiln." js_name, parse_##Name(info), false); \
  }

}  // namespace kiln::binding
