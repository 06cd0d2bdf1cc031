#include "observability/metrics.h"
#include "observability/prometheus_text.h"

#include <charconv>

#include "core/decimal.h"

namespace gatehouse::observability {
namespace {

constexpr int kFirstStatus = 100;
constexpr int kLastStatus = 599;
constexpr size_t kBuckets = Metrics::kBucketBoundsMicros.size() + 1;  // + the +Inf bucket

// `le` label values of the buckets, matching kBucketBoundsMicros.
constexpr std::array<std::string_view, kBuckets> kBucketLabels = {
    "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1",
    "0.25",  "0.5",    "1",     "2.5",  "5",     "10",   "+Inf"};

// Microseconds as seconds with six decimals, exactly.
void append_seconds(std::string& out, uint64_t micros) {
  append_decimal(out, micros / 1'000'000);
  char fraction[7] = {'.'};
  uint64_t rest = micros % 1'000'000;
  for (int i = 6; i >= 1; --i, rest /= 10) fraction[i] = static_cast<char>('0' + rest % 10);
  out.append(fraction, sizeof fraction);
}

// A label value as the exposition format wants it: backslash, quote and newline escaped.
void append_label_value(std::string& out, std::string_view value) {
  for (char c : value) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

}  // namespace

struct Metrics::ApiCounters {
  struct Histogram {
    std::array<SingleWriterCounter, kBuckets> buckets;  // not cumulative; rendering adds up
    SingleWriterCounter sum_micros;

    void observe(std::chrono::microseconds duration) {
      const uint64_t micros = duration.count() > 0 ? static_cast<uint64_t>(duration.count()) : 0;
      size_t bucket = 0;
      while (bucket < kBucketBoundsMicros.size() && micros > kBucketBoundsMicros[bucket]) ++bucket;
      buckets[bucket].increment();
      sum_micros.add(micros);
    }
  };

  std::array<SingleWriterCounter, kLastStatus - kFirstStatus + 1> by_status;
  SingleWriterCounter other_status;
  Histogram total;
  Histogram backend;
  SingleWriterCounter connect_failures;
};

Metrics::Worker::Worker() = default;
Metrics::Worker::~Worker() = default;

void Metrics::Worker::request_done(ApiId api, int status, std::chrono::microseconds total,
                                   std::optional<std::chrono::microseconds> backend) {
  ApiCounters* counters = apis_[api].load(std::memory_order_acquire);
  if (status >= kFirstStatus && status <= kLastStatus) {
    counters->by_status[status - kFirstStatus].increment();
  } else {
    counters->other_status.increment();
  }
  counters->total.observe(total);
  if (backend) counters->backend.observe(*backend);
}

void Metrics::Worker::upstream_connect_failed(ApiId api) {
  apis_[api].load(std::memory_order_acquire)->connect_failures.increment();
}

Metrics::Metrics(size_t workers, std::string version) : version_(std::move(version)) {
  workers_.reserve(workers);
  for (size_t i = 0; i < workers; ++i) workers_.push_back(std::make_unique<Worker>());
  api_id("unmatched");
  api_id("other");
  throttle_series("other", "other");
}

Metrics::~Metrics() = default;

Metrics::ApiId Metrics::api_id(std::string_view api_name_and_version) {
  std::lock_guard lock(registry_mutex_);
  const std::string name(api_name_and_version);
  if (auto found = api_ids_.find(name); found != api_ids_.end()) return found->second;
  if (api_names_.size() == kMaxApis) return kOtherApis;
  const auto id = static_cast<ApiId>(api_names_.size());
  for (auto& worker : workers_) {
    auto& counters = worker->owned_.emplace_back(std::make_unique<ApiCounters>());
    worker->apis_[id].store(counters.get(), std::memory_order_release);
  }
  api_names_.push_back(name);
  api_ids_.emplace(name, id);
  return id;
}

Metrics::ThrottleSeriesId Metrics::throttle_series(std::string_view level,
                                                   std::string_view policy) {
  std::lock_guard lock(registry_mutex_);
  std::string key(level);
  key.append(1, '\0').append(policy);
  if (auto found = throttle_ids_.find(key); found != throttle_ids_.end()) return found->second;
  if (throttle_labels_.size() == kMaxThrottleSeries) return 0;
  const auto id = static_cast<ThrottleSeriesId>(throttle_labels_.size());
  throttle_labels_.emplace_back(std::string(level), std::string(policy));
  throttle_ids_.emplace(std::move(key), id);
  return id;
}

std::string Metrics::render_prometheus() const {
  std::string out;
  out.reserve(16 * 1024);
  render_api_series(out);
  render_throttle_series(out);

  // Closed is read before opened, so that a connection opened and closed during the scrape
  // cannot make a gauge negative.
  uint64_t upstream_closed = 0, upstream_opened = 0, clients_closed = 0, clients_accepted = 0;
  for (const auto& worker : workers_) {
    upstream_closed += worker->upstream_closed_.value();
    clients_closed += worker->clients_closed_.value();
  }
  for (const auto& worker : workers_) {
    upstream_opened += worker->upstream_opened_.value();
    clients_accepted += worker->clients_accepted_.value();
  }
  append_header(out, "gatehouse_upstream_connections", "gauge",
                "Open connections from the gateway to backends.");
  out += "gatehouse_upstream_connections ";
  append_decimal(out, upstream_opened - upstream_closed);
  out += '\n';
  append_header(out, "gatehouse_client_connections", "gauge", "Open client connections.");
  out += "gatehouse_client_connections ";
  append_decimal(out, clients_accepted - clients_closed);
  out += '\n';

  append_header(out, "gatehouse_api_compilations_total", "counter",
                "APIs compiled: each API at start and at each reload; a change of applications "
                "or subscriptions compiles none.");
  out += "gatehouse_api_compilations_total ";
  append_decimal(out, api_compilations_.value());
  out += '\n';

  append_header(out, "gatehouse_build_info", "gauge", "The running gateway's version.");
  out += "gatehouse_build_info{version=\"";
  append_label_value(out, version_);
  out += "\"} 1\n";
  return out;
}

void Metrics::render_throttle_series(std::string& out) const {
  uint64_t fallbacks = 0;
  for (const auto& worker : workers_) fallbacks += worker->throttle_fallbacks_.value();
  append_header(out, "gatehouse_throttling_redis_failures_total", "counter",
                "Throttling decisions Redis did not answer in time; each fell back as "
                "throttling.cluster.on_redis_failure says.");
  out += "gatehouse_throttling_redis_failures_total ";
  append_decimal(out, fallbacks);
  out += '\n';

  append_header(out, "gatehouse_throttled_total", "counter",
                "Requests refused by a throttling limit (429) or a blocking condition (403).");
  std::lock_guard lock(registry_mutex_);
  for (ThrottleSeriesId id = 0; id < throttle_labels_.size(); ++id) {
    uint64_t total = 0;
    for (const auto& worker : workers_) total += worker->throttled_[id].value();
    if (id == 0 && total == 0) continue;  // "other": only once something overflowed into it
    out += "gatehouse_throttled_total{level=\"";
    append_label_value(out, throttle_labels_[id].first);
    out += "\",policy=\"";
    append_label_value(out, throttle_labels_[id].second);
    out += "\"} ";
    append_decimal(out, total);
    out += '\n';
  }
}

void Metrics::render_api_series(std::string& out) const {
  std::lock_guard lock(registry_mutex_);
  const size_t api_count = api_names_.size();

  // Per API, the sum over workers of one counter picked by `field`.
  const auto sum = [&](ApiId api, auto field) {
    uint64_t total = 0;
    for (const auto& worker : workers_) {
      total += field(*worker->apis_[api].load(std::memory_order_acquire)).value();
    }
    return total;
  };
  const auto append_api_label = [&](ApiId api) {
    out += "{api=\"";
    append_label_value(out, api_names_[api]);
    out += '"';
  };

  append_header(out, "gatehouse_requests_total", "counter",
                "Requests answered, by API and status.");
  for (ApiId api = 0; api < api_count; ++api) {
    const auto append_count = [&](std::string_view status, uint64_t count) {
      out += "gatehouse_requests_total";
      append_api_label(api);
      out.append(",status=\"").append(status).append("\"} ");
      append_decimal(out, count);
      out += '\n';
    };
    for (int status = kFirstStatus; status <= kLastStatus; ++status) {
      const uint64_t count = sum(
          api, [&](const ApiCounters& c) -> auto& { return c.by_status[status - kFirstStatus]; });
      if (count == 0) continue;  // only codes that occurred: 500 zero series per API help nobody
      char digits[4];
      append_count({digits, std::to_chars(digits, digits + 4, status).ptr}, count);
    }
    const uint64_t other = sum(
        api, [](const ApiCounters& c) -> auto& { return c.other_status; });
    if (other != 0) append_count("other", other);
  }

  // The reserved labels appear once they have something to show; every named API always does,
  // so that rate() over a new API starts from a known zero.
  const auto shown = [&](ApiId api, uint64_t activity) {
    return activity != 0 || (api != kUnmatched && api != kOtherApis);
  };

  const auto render_histogram = [&](std::string_view name, std::string_view help, auto pick) {
    append_header(out, name, "histogram", help);
    for (ApiId api = 0; api < api_count; ++api) {
      std::array<uint64_t, kBuckets> buckets{};
      uint64_t sum_micros = 0;
      for (const auto& worker : workers_) {
        const auto& histogram = pick(*worker->apis_[api].load(std::memory_order_acquire));
        for (size_t b = 0; b < kBuckets; ++b) buckets[b] += histogram.buckets[b].value();
        sum_micros += histogram.sum_micros.value();
      }
      uint64_t cumulative = 0;
      for (uint64_t count : buckets) cumulative += count;
      if (!shown(api, cumulative)) continue;
      cumulative = 0;
      for (size_t b = 0; b < kBuckets; ++b) {
        cumulative += buckets[b];
        out.append(name).append("_bucket");
        append_api_label(api);
        out.append(",le=\"").append(kBucketLabels[b]).append("\"} ");
        append_decimal(out, cumulative);
        out += '\n';
      }
      out.append(name).append("_sum");
      append_api_label(api);
      out += "} ";
      append_seconds(out, sum_micros);
      out += '\n';
      out.append(name).append("_count");
      append_api_label(api);
      out += "} ";
      append_decimal(out, cumulative);
      out += '\n';
    }
  };
  render_histogram(
      "gatehouse_request_duration_seconds",
      "Time from the request's arrival to the end of the response.",
      [](const ApiCounters& c) -> auto& { return c.total; });
  render_histogram(
      "gatehouse_backend_duration_seconds",
      "Time from sending the request to the backend to the end of its response.",
      [](const ApiCounters& c) -> auto& { return c.backend; });

  append_header(out, "gatehouse_upstream_connect_failures_total", "counter",
                "Connections to a backend that could not be established.");
  for (ApiId api = 0; api < api_count; ++api) {
    const uint64_t failures = sum(
        api, [](const ApiCounters& c) -> auto& { return c.connect_failures; });
    if (!shown(api, failures)) continue;
    out += "gatehouse_upstream_connect_failures_total";
    append_api_label(api);
    out += "} ";
    append_decimal(out, failures);
    out += '\n';
  }
}

}  // namespace gatehouse::observability
