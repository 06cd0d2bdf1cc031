// UpstreamCall's choice of endpoint when connects fail: a refused connect moves an idempotent
// request to the next endpoint and counts toward the endpoint's suspension; a request that is not
// idempotent is not sent elsewhere; a suspended endpoint is not tried; a success resets the count.
// The backends are loopback listeners; a refused connect is a port whose listener was closed.
#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <memory>
#include <string>
#include <vector>

#include "http/parser.h"
#include "net/byte_buffer.h"
#include "net/watchdog.h"
#include "observability/metrics.h"
#include "proxy/upstream_call.h"
#include "proxy/worker_context.h"
#include "support/peer_stream.h"

namespace gatehouse::proxy {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
constexpr auto as_result = asio::as_tuple(asio::use_awaitable);

// A backend on a loopback port that answers every request head with a 204, and keeps the heads
// it received. A response without a body lets the call give its connection back to the pool at
// once. With `close_after_answer` it closes each connection after its answer,
// although the answer lets the gateway keep it: a pooled connection that has gone stale.
class Backend {
 public:
  explicit Backend(asio::io_context& io, bool close_after_answer = false)
      : acceptor_(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
        close_after_answer_(close_after_answer) {
    asio::co_spawn(io, serve(), asio::detached);
  }
  uint16_t port() const { return port_; }
  const std::vector<std::string>& heads() const { return heads_; }
  size_t connections() const { return connections_; }

 private:
  asio::awaitable<void> serve() {
    for (;;) {
      auto [error, socket] = co_await acceptor_.async_accept(as_result);
      if (error) co_return;
      ++connections_;
      asio::co_spawn(acceptor_.get_executor(), answer(std::move(socket)), asio::detached);
    }
  }
  asio::awaitable<void> answer(tcp::socket socket) {
    std::string buffer;
    for (;;) {
      auto [error, n] = co_await asio::async_read_until(socket, asio::dynamic_buffer(buffer),
                                                        "\r\n\r\n", as_result);
      if (error) co_return;
      heads_.push_back(buffer.substr(0, n));
      buffer.erase(0, n);
      static const std::string ok = "HTTP/1.1 204 No Content\r\n\r\n";
      auto [write_error, written] = co_await asio::async_write(socket, asio::buffer(ok), as_result);
      if (write_error || close_after_answer_) co_return;
    }
  }

  tcp::acceptor acceptor_;
  bool close_after_answer_;
  size_t connections_ = 0;
  uint16_t port_ = acceptor_.local_endpoint().port();
  std::vector<std::string> heads_;
};

// A loopback port nothing listens on: connects to it are refused.
uint16_t refusing_port(asio::io_context& io) {
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();  // closed on return
}

class UpstreamCallTest : public ::testing::Test {
 protected:
  UpstreamCallTest() : metrics_(1, "test"), worker_(metrics_.worker(0), nullptr) {}

  // The API's production endpoints, tried in this order (failover), on these loopback ports.
  void endpoints(const std::vector<uint16_t>& ports, uint32_t failures_to_suspend) {
    auto snapshot = std::make_shared<snapshot::Snapshot>();
    auto api = std::make_unique<snapshot::CompiledApi>();
    api->label = "api:1";
    api->production.load_balancing = config::LoadBalancing::failover;
    api->production.connect_timeout = std::chrono::milliseconds(2'000);
    api->production.suspension.failures = failures_to_suspend;
    api->production.suspension.initial = std::chrono::milliseconds(60'000);
    api->production.suspension.max = std::chrono::milliseconds(600'000);
    for (uint16_t port : ports) {
      auto endpoint = std::make_unique<snapshot::Endpoint>();
      endpoint->host = "127.0.0.1";
      endpoint->port = port;
      endpoint->authority = "127.0.0.1:" + std::to_string(port);
      endpoint->key = "http://" + endpoint->authority;
      endpoint->host_header = endpoint->authority;
      endpoint->index = static_cast<uint32_t>(snapshot->endpoints.size());
      api->production.endpoints.push_back(endpoint.get());
      snapshot->endpoints.push_back(std::move(endpoint));
    }
    api_ = api.get();
    snapshot->apis.push_back(std::move(api));
    worker_.install(std::move(snapshot), nullptr);
  }

  struct Sent {
    std::expected<void, Error> outcome;
    std::string upstream;  // the endpoint that answered
  };

  // Sends one bodiless request with `method` through a new UpstreamCall.
  Sent send(const std::string& method) {
    const std::string text = method + " /api/x HTTP/1.1\r\nHost: gw\r\n\r\n";
    http::RequestParser parser{http::ParserLimits{}};
    http::RequestHead head;
    EXPECT_EQ(parser.parse_head(text, head).status, http::ParseStatus::done);
    net::ByteBuffer buffer;
    test_support::PeerStream client(io_);
    pipeline::Exchange exchange;
    exchange.resource_path = "/x";
    exchange.client_address = "192.0.2.1";
    exchange.request_id = "rid";

    net::Watchdog watchdog(io_.get_executor());
    std::string head_out;
    std::shared_ptr<WorkerView> view = worker_.view();
    UpstreamCall call(worker_, *view, watchdog, head_out);
    Sent sent;
    bool done = false;
    asio::co_spawn(
        io_,
        [&]() -> asio::awaitable<void> {
          sent.outcome = co_await call.send_request(
              head, *api_, exchange, RequestBody{parser, client.stream(), buffer, text.size()},
              false);
          done = true;
        },
        asio::detached);
    while (!done) {
      io_.restart();
      if (io_.run_one_for(std::chrono::seconds(5)) == 0) break;
    }
    EXPECT_TRUE(done);
    sent.upstream = std::string(exchange.upstream);
    call.release();
    watchdog.stop();
    io_.restart();
    io_.poll();
    return sent;
  }

  EndpointHealth& health(size_t i) {
    return worker_.view()->selector.health(*api_->production.endpoints[i]);
  }

  asio::io_context io_;
  observability::Metrics metrics_;
  WorkerContext worker_;
  snapshot::CompiledApi* api_ = nullptr;
};

TEST_F(UpstreamCallTest, ARefusedConnectMovesAnIdempotentRequestToTheNextEndpoint) {
  Backend live(io_);
  const uint16_t refused = refusing_port(io_);
  endpoints({refused, live.port()}, 3);
  const Sent sent = send("GET");
  EXPECT_TRUE(sent.outcome.has_value());
  EXPECT_EQ(sent.upstream, "127.0.0.1:" + std::to_string(live.port()));
  ASSERT_EQ(live.heads().size(), 1u);
  EXPECT_TRUE(live.heads()[0].starts_with("GET /x HTTP/1.1\r\n"));
  EXPECT_EQ(health(0).consecutive_failures, 1u);
}

TEST_F(UpstreamCallTest, ARequestThatIsNotIdempotentIsNotSentElsewhere) {
  Backend live(io_);
  endpoints({refusing_port(io_), live.port()}, 3);
  const Sent sent = send("POST");
  ASSERT_FALSE(sent.outcome.has_value());
  EXPECT_EQ(sent.outcome.error().source(), ErrorSource::backend);
  EXPECT_EQ(sent.outcome.error().kind(), ErrorKind::unreachable);
  EXPECT_EQ(sent.outcome.error().status(), 503);
  EXPECT_EQ(sent.outcome.error().code(), 101503);
  EXPECT_TRUE(live.heads().empty());
}

TEST_F(UpstreamCallTest, EnoughRefusedConnectsSuspendTheEndpointSoItIsNotTriedAgain) {
  Backend live(io_);
  endpoints({refusing_port(io_), live.port()}, 2);
  send("GET");
  EXPECT_FALSE(health(0).suspended(Clock::now()));
  send("GET");
  EXPECT_TRUE(health(0).suspended(Clock::now()));
  // Now the refusing endpoint is not even tried: its count stays where the suspension left it.
  const Sent sent = send("GET");
  EXPECT_TRUE(sent.outcome.has_value());
  EXPECT_EQ(health(0).consecutive_failures, 0u);
  EXPECT_EQ(health(0).next_suspension, std::chrono::milliseconds(120'000));  // not renewed
  EXPECT_EQ(live.heads().size(), 3u);
}

TEST_F(UpstreamCallTest, ASuccessfulExchangeResetsTheEndpointsFailureCount) {
  Backend live(io_);
  endpoints({live.port()}, 3);
  health(0).consecutive_failures = 2;
  EXPECT_TRUE(send("GET").outcome.has_value());
  EXPECT_EQ(health(0).consecutive_failures, 0u);
}

TEST_F(UpstreamCallTest, APooledConnectionTheBackendClosedIsReplacedByAFreshOne) {
  Backend closing(io_, /*close_after_answer=*/true);
  endpoints({closing.port()}, 3);
  ASSERT_TRUE(send("GET").outcome.has_value());
  // The connection went back to the pool, and the backend closed it since. A request without a
  // body, whatever its method, is sent again whole on a new connection.
  const Sent sent = send("POST");
  EXPECT_TRUE(sent.outcome.has_value());
  EXPECT_EQ(closing.connections(), 2u);
  EXPECT_EQ(closing.heads().size(), 2u);
  EXPECT_EQ(health(0).consecutive_failures, 0u);
}

TEST_F(UpstreamCallTest, NoEndpointAcceptingIsAServiceUnavailable) {
  endpoints({refusing_port(io_), refusing_port(io_)}, 3);
  const Sent sent = send("GET");
  ASSERT_FALSE(sent.outcome.has_value());
  EXPECT_EQ(sent.outcome.error().source(), ErrorSource::backend);
  EXPECT_EQ(sent.outcome.error().status(), 503);
  EXPECT_EQ(health(0).consecutive_failures, 1u);
  EXPECT_EQ(health(1).consecutive_failures, 1u);
}

}  // namespace
}  // namespace gatehouse::proxy
