// The access log: one JSON line per request, written off the request path.
//
// Each worker owns a Writer. append() formats the line on the worker and copies it into the
// writer's own single-producer ring; it takes no lock and makes no system call. One background
// thread drains every ring into the sink every ~100 ms, or sooner when a ring fills past half.
// If the sink falls so far behind that a ring is full, the worker writes its ring and the line
// itself (nginx's behaviour): the log slows the worker down rather than losing a line.
//
// Line keys, in this order: time (RFC 3339 UTC, milliseconds), api, api_version, resource, method,
// path, status, bytes_in, bytes_out, latency_ms, backend_latency_ms, request_id, client_ip,
// upstream, subject, application, auth_error, and throttled_by when a limit refused the request.
// Strings are JSON-escaped; bytes that are not valid UTF-8 become U+FFFD.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <expected>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace gatehouse::observability {

// What the proxy reports about one request. The views need to be valid only during append().
struct AccessRecord {
  std::chrono::system_clock::time_point time;  // when the request arrived
  std::string_view api, api_version, resource, method, path, request_id, client_ip, upstream;
  // Who called (empty on open APIs), and why a caller was refused (never the credential).
  std::string_view subject, application, auth_error;
  std::string_view throttled_by;  // the limit that refused the request; empty: none
  int status = 0;
  uint64_t bytes_received = 0;
  uint64_t bytes_sent = 0;
  std::chrono::microseconds latency_total{0};
  std::chrono::microseconds latency_backend{0};
};

class AccessLog {
 public:
  // "stdout", "off" (every append is a no-op) or a file path, opened for appending.
  static std::expected<std::unique_ptr<AccessLog>, std::string> open(const std::string& path);

  class Writer;

  // One per worker thread. A Writer must be destroyed before its AccessLog; whatever it holds
  // is written when it is destroyed.
  std::unique_ptr<Writer> make_writer();

  // Writes everything that the writers have appended so far. Call on shutdown, after the
  // workers stopped; safe to call at any time from any thread.
  void flush_all();

  // Opens the file again under the same path (after log rotation moved it away). A no-op for
  // "stdout" and "off". On failure the old file stays in use.
  std::expected<void, std::string> reopen();

  // Flushes and stops the background thread.
  ~AccessLog();

  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

 private:
  // What the log writes to: a file descriptor, owned unless it is stdout; -1 when off.
  struct Sink {
    int fd = -1;
    bool owned = false;
  };

  AccessLog(std::string path, Sink sink);
  void run_background();
  void wake_background();
  // Writes one writer's published lines; the caller holds mutex_.
  void drain_locked(Writer& writer);
  void write_locked(std::string_view bytes);

  const std::string path_;
  std::mutex mutex_;  // guards sink_, writers_ and every ring's read side
  Sink sink_;
  std::vector<Writer*> writers_;
  bool write_error_reported_ = false;

  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mutex_
  std::jthread background_;

  friend class Writer;
};

class AccessLog::Writer {
 public:
  // Called on the writer's worker thread only.
  void append(const AccessRecord& record);

  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

 private:
  friend class AccessLog;
  static constexpr size_t kRingBytes = size_t{1} << 20;  // a power of two

  explicit Writer(AccessLog* log);
  void format(const AccessRecord& record);
  void publish(std::string_view line);

  AccessLog* const log_;  // null when the log is off
  std::unique_ptr<char[]> ring_;
  // Positions in the stream of bytes ever appended; the ring holds [tail_, head_) modulo its
  // size. head_ is written by the worker only, tail_ only under log_->mutex_. Each sits on its
  // own cache line so that the worker and the background thread do not share one.
  alignas(64) std::atomic<uint64_t> head_{0};
  alignas(64) std::atomic<uint64_t> tail_{0};

  // Worker-side state.
  alignas(64) std::string line_;
  int64_t cached_second_ = INT64_MIN;  // the second whose "YYYY-MM-DDTHH:MM:SS" is cached
  char cached_time_[19] = {};
};

}  // namespace gatehouse::observability
