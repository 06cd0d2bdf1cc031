#include "outbound/fetch.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test_server.h"

namespace gatehouse::outbound {
namespace {

using namespace std::chrono_literals;
using namespace fixtures;
using ::testing::HasSubstr;

class FetchTest : public ::testing::Test {
 protected:
  std::expected<Response, Error> fetch_now(const Request& request) {
    return run(io_, fetch(request, no_tls_));
  }

  asio::io_context io_;
  ClientTls no_tls_;  // plain http only
};

TEST_F(FetchTest, ReturnsStatusContentTypeAndBody) {
  HttpServer server(io_, [](const HttpRequest&) {
    return text_response(http::status::ok, R"({"keys":[]})", "application/json");
  });
  const auto response = fetch_now({.url = server.url("/jwks")});
  ASSERT_TRUE(response) << response.error().describe();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->content_type, "application/json");
  EXPECT_EQ(response->body, R"({"keys":[]})");
  EXPECT_EQ(response->header("content-length"), "11");
  ASSERT_EQ(server.requests.size(), 1u);
  EXPECT_EQ(server.requests[0].method(), http::verb::get);
  EXPECT_EQ(server.requests[0].target(), "/jwks");
  EXPECT_EQ(server.requests[0][http::field::host], "127.0.0.1:" + std::to_string(server.port()));
}

TEST_F(FetchTest, AnErrorStatusIsAResponseNotAFailure) {
  HttpServer server(io_, [](const HttpRequest&) {
    return text_response(http::status::not_found, "no such thing");
  });
  const auto response = fetch_now({.url = server.url("/missing")});
  ASSERT_TRUE(response) << response.error().describe();
  EXPECT_EQ(response->status, 404);
  EXPECT_EQ(response->body, "no such thing");
}

TEST_F(FetchTest, PostsABodyWithItsHeadersAndQuery) {
  HttpServer server(io_, [](const HttpRequest& request) {
    return text_response(http::status::ok, R"({"active":true})", "application/json");
  });
  const auto response =
      fetch_now({.method = "POST",
                 .url = server.url("/token/introspection?x=1%202"),
                 .headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                             {"Authorization", "Basic YTpi"}},
                 .body = "token=abc"});
  ASSERT_TRUE(response) << response.error().describe();
  ASSERT_EQ(server.requests.size(), 1u);
  const HttpRequest& seen = server.requests[0];
  EXPECT_EQ(seen.method(), http::verb::post);
  EXPECT_EQ(seen.target(), "/token/introspection?x=1%202");
  EXPECT_EQ(seen[http::field::content_type], "application/x-www-form-urlencoded");
  EXPECT_EQ(seen[http::field::authorization], "Basic YTpi");
  EXPECT_EQ(seen[http::field::content_length], "9");
  EXPECT_EQ(seen.body(), "token=abc");
}

TEST_F(FetchTest, ReadsAChunkedBody) {
  HttpServer server(io_, [](const HttpRequest&) {
    HttpResponse response{http::status::ok, 11};
    response.body() = std::string(100000, 'c');
    response.chunked(true);
    return response;
  });
  const auto response = fetch_now({.url = server.url("/")});
  ASSERT_TRUE(response) << response.error().describe();
  EXPECT_EQ(response->body, std::string(100000, 'c'));
}

TEST_F(FetchTest, ABodyOverTheLimitIsRefused) {
  HttpServer server(io_, [](const HttpRequest&) {
    return text_response(http::status::ok, std::string(2000, 'x'));
  });
  const auto within = fetch_now({.url = server.url("/"), .max_response_bytes = 2000});
  ASSERT_TRUE(within) << within.error().describe();
  EXPECT_EQ(within->body.size(), 2000u);

  const auto over = fetch_now({.url = server.url("/"), .max_response_bytes = 1999});
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().kind(), ErrorKind::too_large);
}

TEST_F(FetchTest, AChunkedBodyOverTheLimitIsRefused) {
  HttpServer server(io_, [](const HttpRequest&) {
    HttpResponse response{http::status::ok, 11};
    response.body() = std::string(1 << 20, 'c');
    response.chunked(true);
    return response;
  });
  const auto response = fetch_now({.url = server.url("/"), .max_response_bytes = 1000});
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().kind(), ErrorKind::too_large);
}

TEST_F(FetchTest, AServerThatNeverAnswersTimesOutInBoundedTime) {
  SilentServer server(io_);
  const auto started = std::chrono::steady_clock::now();
  const auto response = fetch_now(
      {.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/", .timeout = 300ms});
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().kind(), ErrorKind::timeout);
  EXPECT_EQ(server.accepted(), 1u);
  EXPECT_GE(took, 300ms);
  EXPECT_LT(took, 2s);
}

TEST_F(FetchTest, ARefusedConnectionIsAConnectError) {
  uint16_t closed_port = 0;
  {
    tcp::acceptor probe(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    closed_port = probe.local_endpoint().port();
  }
  const std::string peer = "127.0.0.1:" + std::to_string(closed_port);
  const auto response = fetch_now({.url = "http://" + peer + "/"});
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().kind(), ErrorKind::unreachable);
  EXPECT_EQ(response.error().source(), ErrorSource::identity_provider);
  EXPECT_EQ(response.error().cause(), peer);
  EXPECT_THAT(response.error().underlying(), HasSubstr("refused"));
  EXPECT_THAT(response.error().describe(), HasSubstr("connection failed (" + peer + ": "));
}

TEST_F(FetchTest, AConnectionClosedBeforeTheResponseEndsIsABadResponse) {
  // Promises 100 bytes, sends 5, closes.
  HttpServer server(io_, [](const HttpRequest&) {
    HttpResponse response{http::status::ok, 11};
    response.body() = "short";
    response.set(http::field::content_length, "100");
    return response;
  });
  const auto response = fetch_now({.url = server.url("/")});
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().kind(), ErrorKind::bad_response);
}

TEST_F(FetchTest, BadRequestsAreRefusedBeforeAnythingIsSent) {
  HttpServer server(io_, [](const HttpRequest&) { return text_response(http::status::ok, ""); });
  const std::vector<Request> bad = {
      {.url = "ftp://127.0.0.1/"},
      {.url = "not a url"},
      {.url = server.url("/"), .headers = {{"X-Evil", "a\r\nInjected: yes"}}},
      {.url = server.url("/"), .headers = {{"Content-Length", "0"}}},
      {.method = "GET /x", .url = server.url("/")},
      {.url = "https://127.0.0.1:1/"},  // https without a TLS context
  };
  for (const Request& request : bad) {
    const auto response = fetch_now(request);
    ASSERT_FALSE(response) << request.url;
    EXPECT_EQ(response.error().kind(), ErrorKind::bad_request) << response.error().describe();
  }
  EXPECT_TRUE(server.requests.empty());
}

TEST_F(FetchTest, ARequestThatCannotBeSentIsTheGatewaysOwnError) {
  const auto response = fetch_now({.url = "ftp://127.0.0.1/"});
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().source(), ErrorSource::gateway);
}

}  // namespace
}  // namespace gatehouse::outbound
