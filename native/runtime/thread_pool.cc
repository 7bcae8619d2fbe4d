#include "thread_pool.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace kiln::runtime {

namespace {

// How long a thread polls before it parks: a worker after its job (for the next one), a caller
// for the chunks still running elsewhere. A parked thread's condition-variable round trip takes
// ~40 us on this VM (bench/handoff-latency.cc), while loops such as a tree's splits or a
// network's batches hand work over every few tens of microseconds; past this bound the thread
// parks and leaves the core to the service that embeds kiln. KILN_SPIN_US overrides it (0: park
// at once).
constexpr long kDefaultSpinMicros = 50;

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

// Polls ready() until it holds or `micros` have passed; returns its last value.
template <typename Ready>
bool poll_for(long micros, Ready ready) {
  if (micros <= 0) return ready();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::microseconds(micros);
  for (;;) {
    for (int i = 0; i < 64; ++i) {
      if (ready()) return true;
      cpu_relax();
    }
    if (std::chrono::steady_clock::now() >= deadline) return ready();
  }
}

long env_spin_micros() {
  if (const char* s = std::getenv("KILN_SPIN_US")) {
    const long v = std::strtol(s, nullptr, 10);
    if (v >= 0) return std::min(v, 10000L);
  }
  return kDefaultSpinMicros;
}

struct Job {
  const RangeFn* fn;
  std::size_t n, chunk, chunks;
  std::size_t max_helpers;               // workers allowed to join besides the caller
  std::atomic<std::size_t> next{0};      // next chunk to claim
  std::atomic<std::size_t> helpers{0};   // workers that joined
  std::atomic<std::size_t> finished{0};  // chunks completed
  std::mutex mu;
  std::condition_variable done_cv;
  std::exception_ptr error;

  // Claims and runs chunks until none are left.
  void work() {
    for (;;) {
      std::size_t c = next.fetch_add(1, std::memory_order_relaxed);
      if (c >= chunks) return;
      std::size_t begin = c * chunk, end = std::min(n, begin + chunk);
      try {
        (*fn)(begin, end);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mu);
        if (!error) error = std::current_exception();
      }
      if (finished.fetch_add(1, std::memory_order_acq_rel) + 1 == chunks) {
        std::lock_guard<std::mutex> lock(mu);
        done_cv.notify_all();
      }
    }
  }
};

std::size_t env_threads(std::size_t hw) {
  if (const char* s = std::getenv("KILN_THREADS")) {
    long v = std::strtol(s, nullptr, 10);
    if (v >= 1) return static_cast<std::size_t>(v);
  }
  return hw;
}

class Pool {
 public:
  Pool() {
    std::size_t hw = std::max<std::size_t>(1, std::thread::hardware_concurrency());
    max_threads_ = std::max(hw, env_threads(hw));
    spin_micros_ = env_spin_micros();
    active_ = env_threads(hw);
    // The caller is one of the threads, so the pool holds max_threads_ - 1 workers.
    for (std::size_t i = 1; i < max_threads_; ++i) workers_.emplace_back([this] { loop(); });
  }
  ~Pool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto& t : workers_) t.join();
  }

  std::size_t active() const { return active_.load(); }
  std::size_t set_active(std::size_t n) {
    n = std::clamp<std::size_t>(n, 1, max_threads_);
    active_.store(n);
    return n;
  }

  void run(std::size_t n, std::size_t grain, const RangeFn& fn) {
    if (n == 0) return;
    std::size_t threads = active_.load();
    grain = std::max<std::size_t>(1, grain);
    std::size_t max_chunks = (n + grain - 1) / grain;
    // A few chunks per thread balances uneven work without much claiming overhead.
    std::size_t chunks = std::min(max_chunks, threads * 4);
    if (threads == 1 || chunks == 1) {
      fn(0, n);
      return;
    }
    auto job = std::make_shared<Job>();
    job->fn = &fn;
    job->n = n;
    job->chunk = (n + chunks - 1) / chunks;
    job->chunks = (n + job->chunk - 1) / job->chunk;
    job->max_helpers = std::min(threads, job->chunks) - 1;
    {
      std::lock_guard<std::mutex> lock(mu_);
      queue_.push_back(job);
      posted_.fetch_add(1, std::memory_order_release);
    }
    if (job->max_helpers == 1) cv_.notify_one();
    else cv_.notify_all();
    job->work();
    const auto all_done = [&] { return job->finished.load(std::memory_order_acquire) == job->chunks; };
    if (!poll_for(spin_micros_, all_done)) {
      std::unique_lock<std::mutex> lock(job->mu);
      job->done_cv.wait(lock, [&] { return job->finished.load() == job->chunks; });
    }
    remove(job);
    if (job->error) std::rethrow_exception(job->error);
  }

 private:
  void remove(const std::shared_ptr<Job>& job) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = std::find(queue_.begin(), queue_.end(), job);
    if (it != queue_.end()) queue_.erase(it);
  }

  // Returns a queued job that still has unclaimed chunks and room for a helper.
  std::shared_ptr<Job> take_locked() {
    for (auto it = queue_.begin(); it != queue_.end();) {
      Job& j = **it;
      if (j.next.load() >= j.chunks) {
        it = queue_.erase(it);
        continue;
      }
      if (j.helpers.fetch_add(1) < j.max_helpers) return *it;
      ++it;
    }
    return nullptr;
  }

  void loop() {
    uint64_t seen = 0;  // posted_ when this worker last looked at the queue
    for (;;) {
      std::shared_ptr<Job> job;
      // A job posted while this thread polls is taken without a wake-up; the queue's lock is taken
      // only when something new was posted.
      poll_for(spin_micros_, [&] {
        if (posted_.load(std::memory_order_acquire) == seen) return false;
        std::lock_guard<std::mutex> lock(mu_);
        seen = posted_.load(std::memory_order_relaxed);
        job = take_locked();
        return job != nullptr;
      });
      if (job == nullptr) {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] {
          seen = posted_.load(std::memory_order_relaxed);
          return stop_ || (job = take_locked()) != nullptr;
        });
        if (stop_) return;
      }
      job->work();
    }
  }

  std::size_t max_threads_;
  long spin_micros_ = 0;
  std::atomic<std::size_t> active_;
  std::atomic<uint64_t> posted_{0};  // jobs queued so far (under mu_): polling workers watch it
  std::vector<std::thread> workers_;
  std::deque<std::shared_ptr<Job>> queue_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
};

Pool& pool() {
  // Leaked on purpose: joining threads during static destruction at process exit
  // can deadlock when the exit happens on a worker_thread or inside a callback.
  static Pool* p = new Pool();
  return *p;
}

}  // namespace

void parallel_for(std::size_t n, std::size_t grain, const RangeFn& fn) { pool().run(n, grain, fn); }
std::size_t thread_count() { return pool().active(); }
std::size_t set_thread_count(std::size_t n) { return pool().set_active(n); }

}  // namespace kiln::runtime
