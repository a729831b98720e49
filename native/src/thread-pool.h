// A tiny persistent thread pool: run(n, f) calls f(0..n-1) spread over the threads and returns when
// all are done. Tasks write disjoint outputs, so results do not depend on which thread ran which task.
// Callers from several JavaScript threads (worker_threads) take turns; tasks must not call run().
#pragma once
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

class ThreadPool {
 public:
  explicit ThreadPool(int threads) { resize(threads); }
  ~ThreadPool() { stop(); }

  int size() const { return static_cast<int>(workers_.size()) + 1; }

  void resize(int threads) {
    std::lock_guard<std::mutex> turn(turn_);
    stop();
    stopping_ = false;
    for (int i = 1; i < threads; i++) workers_.emplace_back([this] { loop(); });
  }

  void run(int tasks, const std::function<void(int)>& fn) {
    if (tasks <= 0) return;
    std::unique_lock<std::mutex> turn(turn_);
    if (tasks == 1 || workers_.empty()) {
      turn.unlock();
      for (int i = 0; i < tasks; i++) fn(i);
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job_ = &fn;
      tasks_ = tasks;
      next_.store(0);
      active_ = static_cast<int>(workers_.size());
      generation_++;
    }
    wake_.notify_all();
    drain(fn, tasks);
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return active_ == 0; });
    job_ = nullptr;
  }

 private:
  void drain(const std::function<void(int)>& fn, int tasks) {
    for (int i = next_.fetch_add(1); i < tasks; i = next_.fetch_add(1)) fn(i);
  }

  void loop() {
    long seen = 0;
    for (;;) {
      const std::function<void(int)>* job;
      int tasks;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
        if (stopping_) return;
        seen = generation_;
        job = job_;
        tasks = tasks_;
      }
      drain(*job, tasks);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (--active_ == 0) done_.notify_one();
      }
    }
  }

  void stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (auto& w : workers_) w.join();
    workers_.clear();
  }

  std::vector<std::thread> workers_;
  std::mutex turn_;  // one run() or resize() at a time
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const std::function<void(int)>* job_ = nullptr;
  int tasks_ = 0;
  int active_ = 0;
  long generation_ = 0;
  bool stopping_ = false;
  std::atomic<int> next_{0};
};

ThreadPool& pool();
