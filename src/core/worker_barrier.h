// How the control thread learns that every worker has applied a change it posted. Each worker's
// io_context has one thread, and runs what the control thread posts to it in the order posted;
// so a task posted after the change runs once that worker has applied it. What answers a change
// (a revocation, a subscription blocked, an application removed) waits for that task on every
// worker: the call that follows the answer is served with the change, whichever worker takes it.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>

namespace gatehouse {

// Runs `task` on worker `worker`'s thread, later, after what was posted to it before.
using PostToWorker = std::function<void(size_t worker, std::function<void()> task)>;

// Control thread: calls `then` once every worker has run what the control thread posted to it
// before this call; on the thread of the last worker to get there, or at once with no workers.
inline void after_every_worker(size_t workers, const PostToWorker& post,
                               std::function<void()> then) {
  if (workers == 0) return then();
  auto pending = std::make_shared<std::atomic<size_t>>(workers);
  auto shared_then = std::make_shared<std::function<void()>>(std::move(then));
  for (size_t worker = 0; worker < workers; ++worker) {
    post(worker, [pending, shared_then] {
      if (pending->fetch_sub(1, std::memory_order_acq_rel) == 1) (*shared_then)();
    });
  }
}

// after_every_worker for the gateway's workers: `then` is called as described there. A coroutine
// awaits it with net::until_called (net/until_called.h).
using WorkerBarrier = std::function<void(std::function<void()> then)>;

}  // namespace gatehouse
