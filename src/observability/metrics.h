// Request metrics, exposed in the Prometheus text format (version 0.0.4).
//
// Every worker thread owns a Metrics::Worker and is its only writer: a counter is a per-worker
// std::atomic<uint64_t> bumped by a relaxed load and store, so recording a request costs a few
// array index operations and no locked instruction, and the scraper can still read every counter
// without tearing. render_prometheus() adds the workers up.
//
// Series:
//   gatehouse_requests_total{api,status}               counter, status by exact code
//   gatehouse_request_duration_seconds{api}            histogram, whole request, 1 ms .. 10 s
//   gatehouse_backend_duration_seconds{api}            histogram, backend round trip
//   gatehouse_upstream_connect_failures_total{api}     counter
//   gatehouse_upstream_connections                     gauge, open connections to backends
//   gatehouse_client_connections                       gauge, open client connections
//   gatehouse_throttled_total{level,policy}            counter, requests a limit refused
//   gatehouse_throttling_redis_failures_total          counter, decisions Redis did not answer
//   gatehouse_build_info{version}                      always 1
// `api` is "Name:Version" as given to api_id(); requests that matched no API count under
// api="unmatched" (a real API's label always holds a colon, so the two never clash). A status
// outside 100..599 counts as status="other".
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace gatehouse::observability {

// A counter with one writing thread and any number of reading threads.
class SingleWriterCounter {
 public:
  void add(uint64_t n) {
    value_.store(value_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  void increment() { add(1); }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

class Metrics {
 public:
  using ApiId = uint32_t;
  static constexpr ApiId kUnmatched = 0;    // label api="unmatched"
  static constexpr ApiId kOtherApis = 1;    // label api="other": every API past kMaxApis
  static constexpr size_t kMaxApis = 4096;  // distinct "Name:Version" labels

  // Upper bounds of the latency buckets, in microseconds; a +Inf bucket follows.
  static constexpr std::array<uint32_t, 13> kBucketBoundsMicros = {
      1'000,   2'500,   5'000,     10'000,    25'000,    50'000,    100'000,
      250'000, 500'000, 1'000'000, 2'500'000, 5'000'000, 10'000'000};

  // `workers` Worker objects are created up front; `version` labels gatehouse_build_info.
  Metrics(size_t workers, std::string version);
  ~Metrics();

  // The id under which a worker records requests to this API. The same name always yields the
  // same id, so that counters survive a configuration reload. Called off the request path
  // (when a snapshot is compiled); takes a lock.
  ApiId api_id(std::string_view api_name_and_version);

  // The id under which workers count the requests that `policy` (a tier's, an advanced or a
  // custom policy's name) refused at `level` (api, resource, burst, subscription,
  // unauthenticated, application, custom, blocking). Like api_id(): stable across reloads, off
  // the request path, and past kMaxThrottleSeries pairs all count as level="other".
  using ThrottleSeriesId = uint32_t;
  static constexpr size_t kMaxThrottleSeries = 1024;
  ThrottleSeriesId throttle_series(std::string_view level, std::string_view policy);

  // Control thread: an API was compiled (a snapshot compiles all of them).
  void count_api_compilation() { api_compilations_.increment(); }

  class Worker;
  Worker& worker(size_t index) { return *workers_[index]; }
  size_t worker_count() const { return workers_.size(); }

  // The text exposition of every series; safe to call from any thread at any time.
  std::string render_prometheus() const;

  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

 private:
  struct ApiCounters;
  void render_api_series(std::string& out) const;
  void render_throttle_series(std::string& out) const;

  const std::string version_;
  std::vector<std::unique_ptr<Worker>> workers_;
  SingleWriterCounter api_compilations_;

  mutable std::mutex registry_mutex_;   // guards the two members below
  std::vector<std::string> api_names_;  // indexed by ApiId
  std::unordered_map<std::string, ApiId> api_ids_;
  std::vector<std::pair<std::string, std::string>> throttle_labels_;  // by ThrottleSeriesId
  std::unordered_map<std::string, ThrottleSeriesId> throttle_ids_;    // key: level '\0' policy
};

class Metrics::Worker {
 public:
  // `backend` is empty when no backend was asked (an error the gateway answered itself).
  void request_done(ApiId api, int status, std::chrono::microseconds total,
                    std::optional<std::chrono::microseconds> backend);
  void upstream_connect_failed(ApiId api);
  void upstream_connection_opened() { upstream_opened_.increment(); }
  void upstream_connection_closed() { upstream_closed_.increment(); }
  void connection_accepted() { clients_accepted_.increment(); }
  void connection_closed() { clients_closed_.increment(); }
  void throttled(ThrottleSeriesId series) { throttled_[series].increment(); }
  void throttle_fallback() { throttle_fallbacks_.increment(); }

  Worker();
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

 private:
  friend class Metrics;

  // Set by api_id() on the control thread before the id is handed to any worker.
  std::array<std::atomic<ApiCounters*>, kMaxApis> apis_{};
  std::vector<std::unique_ptr<ApiCounters>> owned_;  // guarded by Metrics::registry_mutex_

  // Opened and closed are counted apart, so that each has a single writer; the gauges are the
  // differences. Own cache line: apis_ is read by the worker on every request.
  alignas(64) SingleWriterCounter upstream_opened_;
  SingleWriterCounter upstream_closed_;
  SingleWriterCounter clients_accepted_;
  SingleWriterCounter clients_closed_;
  SingleWriterCounter throttle_fallbacks_;
  std::array<SingleWriterCounter, kMaxThrottleSeries> throttled_;
};

}  // namespace gatehouse::observability
