// An AsyncWorker that resolves a Promise. It holds references to the JS objects
// whose memory the kernel uses (zero-copy), so they stay alive until the work ends.
#pragma once
#include <napi.h>

#include <functional>
#include <new>
#include <string>
#include <vector>

namespace kiln::binding {

class PromiseWorker : public Napi::AsyncWorker {
 public:
  PromiseWorker(Napi::Env env, const char* name, std::function<void()> work)
      : Napi::AsyncWorker(env, name), deferred_(Napi::Promise::Deferred::New(env)), work_(std::move(work)) {}

  // Keeps `value` reachable until the Promise settles.
  void hold(Napi::Value value) { held_.push_back(Napi::Persistent(value.As<Napi::Object>())); }

  Napi::Promise promise() const { return deferred_.Promise(); }

  // Queues the worker and returns its Promise.
  Napi::Value start() {
    Napi::Promise p = promise();
    Queue();
    return p;
  }

 protected:
  void Execute() override {
    try {
      work_();
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
  std::function<void()> work_;
  std::vector<Napi::ObjectReference> held_;
  std::string code_ = "E_INTERNAL";
};

}  // namespace kiln::binding
