// What a hand-off between two threads costs on this machine: a round trip through a condition
// variable after the other thread has been idle a while (it parks, as kiln's pool workers do past
// their polling), and the same round trip between two polling threads. The figure behind the
// pool's polling bound (native/runtime/thread_pool.cc, docs/ARCHITECTURE.md).
// Run: g++ -O2 -pthread -o /tmp/handoff-latency bench/handoff-latency.cc && /tmp/handoff-latency
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kTrips = 2000;

double micros_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
}

void report(const char* what, std::vector<double>& us) {
  std::sort(us.begin(), us.end());
  std::printf("%-44s p50 %7.2f us  p90 %7.2f us  p99 %7.2f us\n", what, us[us.size() / 2], us[us.size() * 9 / 10],
              us[us.size() * 99 / 100]);
}

}  // namespace

int main() {
  std::vector<double> us;
  {
    std::mutex mu;
    std::condition_variable cv;
    int turn = 0;
    std::thread other([&] {
      for (int i = 0; i < kTrips; ++i) {
        std::unique_lock<std::mutex> lock(mu);
        cv.wait(lock, [&] { return turn == 1; });
        turn = 0;
        cv.notify_all();
      }
    });
    for (int i = 0; i < kTrips; ++i) {
      const auto idle = Clock::now();
      while (micros_since(idle) < 200) {
      }  // 200 us apart: the other thread is parked when the next trip starts
      const auto t0 = Clock::now();
      std::unique_lock<std::mutex> lock(mu);
      turn = 1;
      cv.notify_all();
      cv.wait(lock, [&] { return turn == 0; });
      us.push_back(micros_since(t0));
    }
    other.join();
    report("condition variable round trip (parked)", us);
  }
  us.clear();
  {
    std::atomic<int> turn{0};
    std::thread other([&] {
      for (int i = 0; i < kTrips; ++i) {
        while (turn.load() != 1) {
        }
        turn.store(0);
      }
    });
    for (int i = 0; i < kTrips; ++i) {
      const auto t0 = Clock::now();
      turn.store(1);
      while (turn.load() != 0) {
      }
      us.push_back(micros_since(t0));
    }
    other.join();
    report("round trip between polling threads", us);
  }
}
