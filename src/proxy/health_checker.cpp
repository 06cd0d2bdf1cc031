#include "proxy/health_checker.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <absl/container/flat_hash_set.h>

#include "http/parser.h"
#include "net/byte_buffer.h"
#include "net/watchdog.h"
#include "observability/log.h"
#include "proxy/endpoint_connector.h"
#include "snapshot/snapshot.h"

namespace gatehouse::proxy {

namespace asio = boost::asio;
namespace log = observability::log;

struct HealthChecker::Loop {
  snapshot::Endpoint endpoint;
  snapshot::EndpointGroup group;  // connect_timeout is the check's timeout
  config::HealthCheckConfig check;
  std::shared_ptr<snapshot::EndpointProbe> probe = std::make_shared<snapshot::EndpointProbe>();
  bool stopped = false;
};

namespace {

std::string loop_key(const snapshot::Endpoint& endpoint, const config::HealthCheckConfig& check) {
  return endpoint.key + check.path;
}

// One probe: true for a 2xx or 3xx response head within the check's timeout.
asio::awaitable<bool> probe_endpoint(const snapshot::Endpoint& endpoint,
                                     const snapshot::EndpointGroup& group,
                                     const config::HealthCheckConfig& check) {
  auto executor = co_await asio::this_coro::executor;
  net::Watchdog watchdog(executor);
  struct StopWatchdog {
    net::Watchdog& w;
    ~StopWatchdog() { w.stop(); }
  } stop{watchdog};

  auto connected = co_await connect_endpoint(endpoint, group, watchdog);
  if (!connected) co_return false;
  net::Stream& stream = *connected;
  const std::string request = "GET " + endpoint.base_path + check.path +
                              " HTTP/1.1\r\nHost: " + endpoint.host_header +
                              "\r\nUser-Agent: gatehouse-health-check\r\nConnection: close\r\n\r\n";
  watchdog.arm(stream, check.timeout);
  if (net::IoResult written = co_await stream.write(asio::buffer(request)); written.error) {
    co_return false;
  }

  http::ResponseParser parser(http::ParserLimits{}, "GET");
  http::ResponseHead head;
  net::ByteBuffer buffer(2048);
  for (;;) {
    size_t room = 0;
    char* into = buffer.prepare(1024, room);
    net::IoResult read = co_await stream.read_some(into, room);
    if (read.error) co_return false;
    buffer.commit(read.bytes);
    http::HeadResult parsed = parser.parse_head(buffer.readable(), head);
    if (parsed.status == http::ParseStatus::error) co_return false;
    if (parsed.status == http::ParseStatus::done) break;
  }
  stream.close();
  co_return head.status >= 200 && head.status < 400;
}

}  // namespace

HealthChecker::HealthChecker(asio::any_io_executor executor) : executor_(std::move(executor)) {}

HealthChecker::~HealthChecker() {
  stop_all();
}

std::shared_ptr<const snapshot::EndpointProbe> HealthChecker::probe(
    const snapshot::Endpoint& endpoint, const snapshot::EndpointGroup& group,
    const config::HealthCheckConfig& check) {
  auto& loop = loops_[loop_key(endpoint, check)];
  if (loop && loop->check.interval == check.interval && loop->check.timeout == check.timeout) {
    return loop->probe;
  }
  auto previous = loop;
  loop = std::make_shared<Loop>();
  loop->endpoint = endpoint;
  loop->group.tls = group.tls;
  loop->group.verify_tls = group.verify_tls;
  loop->group.connect_timeout = check.timeout;
  loop->check = check;
  if (previous) {
    previous->stopped = true;
    loop->probe = previous->probe;  // keep what is known while the new loop starts
  }
  asio::co_spawn(
      executor_,
      [loop = loop]() -> asio::awaitable<void> {
        asio::steady_timer timer(co_await asio::this_coro::executor);
        while (!loop->stopped) {
          const bool healthy = co_await probe_endpoint(loop->endpoint, loop->group, loop->check);
          if (loop->stopped) break;
          if (healthy != loop->probe->healthy.load(std::memory_order_relaxed)) {
            log::warn("health check: {}{} is now {}", loop->endpoint.key, loop->check.path,
                      healthy ? "healthy" : "unhealthy");
            loop->probe->healthy.store(healthy, std::memory_order_relaxed);
          }
          timer.expires_after(loop->check.interval);
          co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
        }
      },
      asio::detached);
  return loop->probe;
}

void HealthChecker::retain_only(const snapshot::Snapshot& snapshot) {
  absl::flat_hash_set<std::string> used;
  for (const auto& api : snapshot.apis) {
    for (const snapshot::EndpointGroup* group : {&api->production, &api->sandbox}) {
      if (!group->health_check) continue;
      for (const snapshot::Endpoint* endpoint : group->endpoints) {
        used.insert(loop_key(*endpoint, *group->health_check));
      }
    }
  }
  for (auto it = loops_.begin(); it != loops_.end();) {
    if (!used.contains(it->first)) {
      it->second->stopped = true;
      loops_.erase(it++);
    } else {
      ++it;
    }
  }
}

void HealthChecker::stop_all() {
  for (auto& [key, loop] : loops_) loop->stopped = true;
  loops_.clear();
}

}  // namespace gatehouse::proxy
