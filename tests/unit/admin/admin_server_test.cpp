#include "admin/admin_server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/json/parse.hpp>
#include <boost/system/system_error.hpp>

#include <atomic>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "core/worker_barrier.h"
#include "observability/metrics.h"
#include "security/auth/revocations.h"

namespace gatehouse::admin {
namespace {

namespace net = boost::asio;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

config::AdminConfig admin_at(gatehouse::net::HostPort address) {
  config::AdminConfig config;
  config.address = std::move(address);
  return config;
}

// An admin server on 127.0.0.1, port 0, served by its own thread like the control thread.
class AdminServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    AdminServices services{metrics_, [this] { return ready_.load(); }, &revocations_};
    services.every_worker = [this](std::function<void()> then) {
      after_every_worker(1, worker_.poster(), std::move(then));
    };
    server_ = std::make_unique<AdminServer>(ioc_, admin_at({"127.0.0.1", 0}), std::move(services));
    const auto started = server_->start();
    ASSERT_TRUE(started.has_value()) << started.error();
    ASSERT_NE(server_->port(), 0);
    thread_ = std::jthread([this] { ioc_.run(); });
  }

  void TearDown() override {
    // The listener keeps run() busy until the server stops; then run() returns and joins.
    if (!ioc_.stopped()) run_on_server([this] { server_->stop(); });
    thread_ = {};
    server_.reset();
  }

  void run_on_server(std::function<void()> task) {
    std::promise<void> done;
    net::post(ioc_, [&] {
      task();
      done.set_value();
    });
    done.get_future().wait();
  }

  tcp::socket connect() {
    tcp::socket socket(client_ioc_);
    socket.connect({net::ip::make_address("127.0.0.1"), server_->port()});
    return socket;
  }

  // Written out, and the response fed to Beast's parser here: http::write and http::read cost
  // this file half its compile time. A body is sent as JSON.
  http::response<http::string_body> request(tcp::socket& socket, http::verb method,
                                            std::string target, std::string_view body = {}) {
    std::string head(http::to_string(method));
    head.append(" ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    if (!body.empty()) {
      head.append("Content-Type: application/json\r\nContent-Length: ")
          .append(std::to_string(body.size()))
          .append("\r\n");
    }
    head.append("\r\n").append(body);
    net::write(socket, net::buffer(head));
    http::response_parser<http::string_body> parser;
    parser.skip(method == http::verb::head);
    std::string received;
    char bytes[4096];
    while (!parser.is_done()) {
      received.append(bytes, socket.read_some(net::buffer(bytes)));  // throws at the end
      boost::system::error_code error;
      size_t used = 0;
      do {
        used = parser.put(net::buffer(received), error);
        received.erase(0, used);
      } while (!error && used != 0 && !parser.is_done());
      if (error && error != http::error::need_more) throw boost::system::system_error(error);
    }
    return parser.release();
  }

  http::response<http::string_body> get(std::string target) {
    tcp::socket socket = connect();
    return request(socket, http::verb::get, std::move(target));
  }

  // The one worker's queue: what the admin listener posts to it waits until the test runs it.
  struct QueuedWorker {
    std::mutex mutex;
    std::vector<std::function<void()>> tasks;

    PostToWorker poster() {
      return [this](size_t, std::function<void()> task) {
        const std::lock_guard lock(mutex);
        tasks.push_back(std::move(task));
      };
    }
    void run() {
      std::vector<std::function<void()>> taken;
      {
        const std::lock_guard lock(mutex);
        taken.swap(tasks);
      }
      for (auto& task : taken) task();
    }
  };

  // The answer to a POST, read by a thread of its own: the test may wait for it, or not. Kept
  // here too, so that a test that fails with the answer still awaited ends: its thread is
  // joined after TearDown, whose stop() closes the connection.
  std::shared_future<http::response<http::string_body>> post_from_another_thread(std::string target,
                                                                                 std::string body) {
    std::shared_future answer =
        std::async(std::launch::async, [this, target = std::move(target), body = std::move(body)] {
          net::io_context own;
          tcp::socket socket(own);
          socket.connect({net::ip::make_address("127.0.0.1"), server_->port()});
          return request(socket, http::verb::post, target, body);
        });
    answers_.push_back(answer);
    return answer;
  }

  observability::Metrics metrics_{1, "0.1.0"};
  std::atomic<bool> ready_{false};
  QueuedWorker worker_;
  security::Revocations revocations_{1, worker_.poster()};
  net::io_context ioc_;
  net::io_context client_ioc_;
  std::unique_ptr<AdminServer> server_;
  std::jthread thread_;
  std::vector<std::shared_future<http::response<http::string_body>>> answers_;
};

TEST_F(AdminServerTest, MetricsAreServedInThePrometheusTextFormat) {
  const auto api = metrics_.api_id("PizzaShack:1.0.0");
  metrics_.worker(0).request_done(api, 201, 3ms, 2ms);
  const auto response = get("/metrics");
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_THAT(std::string(response[http::field::content_type]),
              HasSubstr("text/plain; version=0.0.4"));
  EXPECT_THAT(response.body(),
              HasSubstr("gatehouse_requests_total{api=\"PizzaShack:1.0.0\",status=\"201\"} 1\n"));
  EXPECT_THAT(response.body(), HasSubstr("gatehouse_build_info{version=\"0.1.0\"} 1\n"));
}

TEST_F(AdminServerTest, HealthzIsOkWhileTheProcessRuns) {
  const auto response = get("/healthz");
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response[http::field::content_type], "application/json");
  EXPECT_EQ(boost::json::parse(response.body()).at("status").as_string(), "ok");
}

TEST_F(AdminServerTest, ReadyzFollowsTheReadinessCallback) {
  EXPECT_EQ(get("/readyz").result_int(), 503);
  ready_ = true;
  const auto response = get("/readyz");
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(boost::json::parse(response.body()).at("status").as_string(), "ready");
}

TEST_F(AdminServerTest, UnknownPathIsA404WithTheJsonErrorBody) {
  const auto response = get("/admin/secrets?x=1");
  EXPECT_EQ(response.result_int(), 404);
  EXPECT_EQ(response[http::field::content_type], "application/json");
  const auto body = boost::json::parse(response.body()).as_object();
  EXPECT_EQ(body.at("code").as_int64(), 404);
  EXPECT_EQ(body.at("message").as_string(), "Not Found");
  EXPECT_THAT(std::string(body.at("description").as_string()), HasSubstr("/admin/secrets"));
}

TEST_F(AdminServerTest, OtherMethodsOnKnownPathsAre405WithAllow) {
  tcp::socket socket = connect();
  const auto response = request(socket, http::verb::post, "/metrics");
  EXPECT_EQ(response.result_int(), 405);
  EXPECT_EQ(response[http::field::allow], "GET, HEAD");
  EXPECT_EQ(boost::json::parse(response.body()).at("code").as_int64(), 405);
}

TEST_F(AdminServerTest, HeadGivesTheLengthWithoutTheBody) {
  tcp::socket socket = connect();
  const auto head = request(socket, http::verb::head, "/healthz");
  EXPECT_EQ(head.result_int(), 200);
  EXPECT_EQ(head[http::field::content_length], "15");  // {"status":"ok"}
  EXPECT_TRUE(head.body().empty());
  // The connection is still in step: a following request gets its own answer.
  const auto get = request(socket, http::verb::get, "/healthz");
  EXPECT_EQ(get.body(), R"({"status":"ok"})");
}

TEST_F(AdminServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  tcp::socket socket = connect();
  EXPECT_EQ(request(socket, http::verb::get, "/healthz").result_int(), 200);
  EXPECT_EQ(request(socket, http::verb::get, "/readyz").result_int(), 503);
  EXPECT_EQ(request(socket, http::verb::get, "/metrics").result_int(), 200);
}

TEST_F(AdminServerTest, AChangeIsAnsweredOnceEveryWorkerHasIt) {
  auto answer = post_from_another_thread("/revocations", R"({"jti": "jti-1"})");
  // The worker has not run the revocation's insert: however long this waits, no answer.
  EXPECT_EQ(answer.wait_for(200ms), std::future_status::timeout);
  // Reads are answered meanwhile: the listener is not held.
  EXPECT_EQ(get("/healthz").result_int(), 200);
  worker_.run();
  EXPECT_EQ(answer.get().result_int(), 202);
  EXPECT_TRUE(revocations_.revoked(security::TokenDigest{}, "jti-1"));
}

TEST_F(AdminServerTest, AFailedChangeIsAnsweredAtOnce) {
  auto answer = post_from_another_thread("/revocations", R"({"jti": 7})");
  // Nothing was posted to the worker, which never runs here: the answer does not wait for it.
  ASSERT_EQ(answer.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(answer.get().result_int(), 400);
}

TEST_F(AdminServerTest, StopClosesTheListenerAndOpenConnections) {
  tcp::socket idle = connect();
  EXPECT_EQ(request(idle, http::verb::get, "/healthz").result_int(), 200);
  run_on_server([this] { server_->stop(); });

  boost::system::error_code ec;
  tcp::socket refused(client_ioc_);
  refused.connect({net::ip::make_address("127.0.0.1"), server_->port()}, ec);
  EXPECT_EQ(ec, net::error::connection_refused);

  char byte;
  idle.read_some(net::buffer(&byte, 1), ec);
  EXPECT_EQ(ec, net::error::eof) << "the idle keep-alive connection is closed by stop()";
  thread_ = {};  // with nothing left to serve, the io_context's run() returns
}

TEST(AdminServer, StartReportsAPortInUse) {
  net::io_context ioc;
  observability::Metrics metrics(1, "0.1.0");
  tcp::acceptor taken(ioc, {net::ip::make_address("127.0.0.1"), 0});
  const uint16_t port = taken.local_endpoint().port();
  AdminServer server(ioc, admin_at({"127.0.0.1", port}), {metrics, [] { return true; }});
  const auto started = server.start();
  ASSERT_FALSE(started.has_value());
  EXPECT_THAT(started.error(), HasSubstr("127.0.0.1:" + std::to_string(port)));
  EXPECT_THAT(started.error(), HasSubstr("in use"));
}

TEST(AdminServer, StartReportsAnUnresolvableHost) {
  net::io_context ioc;
  observability::Metrics metrics(1, "0.1.0");
  AdminServer server(ioc, admin_at({"no-such-host.invalid", 0}), {metrics, [] { return true; }});
  const auto started = server.start();
  ASSERT_FALSE(started.has_value());
  EXPECT_THAT(started.error(), HasSubstr("no-such-host.invalid"));
}

}  // namespace
}  // namespace gatehouse::admin
