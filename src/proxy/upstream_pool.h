// Keep-alive connections to backends, one pool per worker: no lock, no sharing. A connection is
// taken for one exchange and given back only when its response was read to the end and the
// backend did not ask to close it.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/parser.h"
#include "net/byte_buffer.h"
#include "net/stream.h"
#include "observability/metrics.h"

namespace gatehouse::proxy {

// What a backend connection needs only while it carries an exchange: a pooled idle connection
// holds none of it, and takes it back from the worker's free list when it is used again.
struct ResponseScratch {
  static constexpr size_t buffer_size = 4096;

  net::ByteBuffer buffer{buffer_size};
  std::optional<http::ResponseParser> parser;  // reused for every response read
  http::ParserLimits parser_limits;
  http::ResponseHead response;  // the last response head read; its header vector is reused
};

struct UpstreamConnection {
  UpstreamConnection(net::Stream s, std::string k, observability::Metrics::Worker& m)
      : stream(std::move(s)), key(std::move(k)), metrics(m) {
    metrics.upstream_connection_opened();
  }
  ~UpstreamConnection();
  UpstreamConnection(const UpstreamConnection&) = delete;
  UpstreamConnection& operator=(const UpstreamConnection&) = delete;

  // Takes scratch state for an exchange, if the connection has none (it was idle in the pool).
  ResponseScratch& scratch();
  // Hands the scratch state back; only when its buffer holds no unread bytes.
  void release_scratch();

  net::Stream stream;
  std::string key;  // Endpoint::key
  std::chrono::steady_clock::time_point idle_since;
  // A TLS connection must not outlive the context it was made with (a reload may drop it).
  std::shared_ptr<boost::asio::ssl::context> tls_context;
  observability::Metrics::Worker& metrics;
  std::unique_ptr<ResponseScratch> scratch_state;  // null while idle in the pool
};

class UpstreamPool {
 public:
  // At most this many idle connections per endpoint are kept; more are closed when given back.
  static constexpr size_t max_idle_per_endpoint = 256;
  // Idle connections older than this are closed by sweep(): backends close theirs too.
  static constexpr std::chrono::seconds max_idle_time{30};

  // The most recently used idle connection to `key`, or null. With `verify_open`, connections the
  // backend has closed meanwhile are dropped first (a syscall each), for requests whose body
  // could not be sent again on a fresh connection.
  std::unique_ptr<UpstreamConnection> take(const std::string& key, bool verify_open);
  void give_back(std::unique_ptr<UpstreamConnection> connection);
  void sweep(std::chrono::steady_clock::time_point now);
  void clear() { idle_.clear(); }

 private:
  absl::flat_hash_map<std::string, std::vector<std::unique_ptr<UpstreamConnection>>> idle_;
};

}  // namespace gatehouse::proxy
