// The pool under the hand-offs a tree or a network makes: thousands of small loops back to back
// (the worker polls between them instead of parking), loops from several threads at once, errors
// carried back to the caller, and loops that leave the worker long enough to park.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <stdexcept>
#include <thread>
#include <vector>

#include "../runtime/thread_pool.h"

namespace {

using kiln::runtime::parallel_for;

// Runs one loop over n items and returns how many times each item was visited.
std::vector<int> visits(std::size_t n, std::size_t grain) {
  std::vector<std::atomic<int>> seen(n);
  parallel_for(n, grain, [&](std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) seen[i].fetch_add(1, std::memory_order_relaxed);
  });
  std::vector<int> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = seen[i].load();
  return out;
}

TEST(ThreadPool, BackToBackSmallLoopsVisitEveryItemOnce) {
  for (int call = 0; call < 5000; ++call) {
    const std::size_t n = 1 + static_cast<std::size_t>(call % 37);
    const std::vector<int> seen = visits(n, 1);
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(seen[i], 1) << "call " << call << ", item " << i;
  }
}

TEST(ThreadPool, LoopsAfterTheWorkerParkedStillComplete) {
  for (int call = 0; call < 20; ++call) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));  // past any polling: the worker parks
    const std::vector<int> seen = visits(64, 1);
    for (std::size_t i = 0; i < seen.size(); ++i) ASSERT_EQ(seen[i], 1) << "call " << call << ", item " << i;
  }
}

TEST(ThreadPool, CallersOnSeveralThreadsEachGetTheirWholeLoop) {
  std::atomic<int> wrong{0};
  std::vector<std::thread> callers;
  for (int t = 0; t < 4; ++t) {
    callers.emplace_back([&, t] {
      for (int call = 0; call < 500; ++call) {
        const std::vector<int> seen = visits(16 + static_cast<std::size_t>(t), 1);
        for (int v : seen)
          if (v != 1) wrong.fetch_add(1);
      }
    });
  }
  for (std::thread& c : callers) c.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST(ThreadPool, AnErrorInAnyChunkReachesTheCallerAfterTheOthersFinish) {
  for (int call = 0; call < 200; ++call) {
    std::atomic<int> finished{0};
    const std::size_t bad = static_cast<std::size_t>(call % 8);
    EXPECT_THROW(parallel_for(8, 1,
                              [&](std::size_t b, std::size_t e) {
                                for (std::size_t i = b; i < e; ++i) {
                                  if (i == bad) throw std::runtime_error("chunk failed");
                                  finished.fetch_add(1);
                                }
                              }),
                 std::runtime_error);
    // Every other chunk ran before the rethrow (one thread runs the whole range as one call).
    if (kiln::runtime::thread_count() > 1) {
      EXPECT_EQ(finished.load(), 7) << "call " << call;
    }
  }
}

}  // namespace
