// The request head written toward a backend: what a client sent that a backend would trust, and
// the caller's credentials on a secured API, never leave; everything else does, as received.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http/parser.h"
#include "proxy/head_writer.h"
#include "snapshot/forwarding_rules.h"
#include "snapshot/snapshot.h"

namespace gatehouse::proxy {
namespace {

const std::string kRequest =
    "GET /api/1.0/items?a=1&apikey=KEY&b=%41 HTTP/1.1\r\n"
    "Host: gw.example\r\n"
    "Accept: */*\r\n"
    "Authorization: Bearer TOKEN\r\n"
    "apikey: KEY\r\n"
    "X-JWT-Assertion: forged\r\n"
    "X-Caller-JWT: forged\r\n"
    "X-WSO2-CLIENT-CERTIFICATE: forged\r\n"
    "X-Proxy-Cert: forged\r\n"
    "Proxy-Authorization: Basic cHJveHk6cA==\r\n"
    "X-HTTP-Method-Override: DELETE\r\n"
    "X-HTTP-Method: DELETE\r\n"
    "X-Method-Override: DELETE\r\n"
    "Forwarded: for=10.9.9.9\r\n"
    "X-Real-IP: 10.9.9.9\r\n"
    "X-Forwarded-Port: 1\r\n"
    "X-Forwarded-Prefix: /admin\r\n"
    "X-Original-URL: /admin\r\n"
    "X-Rewrite-URL: /admin\r\n"
    "X-Forwarded-For: 10.1.1.1\r\n"
    "Cookie: c=1\r\n"
    "X-Custom: kept\r\n"
    "\r\n";

class WriteRequestHead : public ::testing::Test {
 protected:
  WriteRequestHead() : parser_(http::ParserLimits{}) {
    EXPECT_EQ(parser_.parse_head(kRequest, head_).status, http::ParseStatus::done);
    endpoint_.host_header = "backend:8080";
    exchange_.client_address = "127.0.0.1";
    exchange_.request_id = "rid";

    config::ApiConfig open;
    open.name = "open";
    config::ApiConfig secured;
    secured.name = "secured";
    secured.security.emplace();
    secured.security->mutual_tls.header = "X-Proxy-Cert";
    secured.backend_jwt.emplace();
    secured.backend_jwt->header = "X-Caller-JWT";
    config_.apis = {open, secured};
  }

  std::string write(size_t api) {
    const snapshot::ForwardingRules rules = snapshot::compile_forwarding_rules(config_)[api];
    RequestHeadPlan plan;
    plan.endpoint = &endpoint_;
    plan.forwarding = &rules;
    plan.path = "/items";
    std::string out;
    write_request_head(out, head_, exchange_, plan);
    return out;
  }

  http::RequestParser parser_;
  http::RequestHead head_;
  snapshot::Endpoint endpoint_;
  pipeline::Exchange exchange_;
  config::Config config_;
};

const std::string kGatewayPart =
    "X-Forwarded-For: 10.1.1.1, 127.0.0.1\r\n"
    "X-Forwarded-Proto: http\r\n"
    "X-Forwarded-Host: gw.example\r\n"
    "X-Request-ID: rid\r\n"
    "\r\n";

TEST_F(WriteRequestHead, AnOpenApiPassesCredentialsButNothingABackendWouldTrust) {
  EXPECT_EQ(write(0),
            "GET /items?a=1&apikey=KEY&b=%41 HTTP/1.1\r\n"
            "Host: backend:8080\r\n"
            "Accept: */*\r\n"
            "Authorization: Bearer TOKEN\r\n"
            "apikey: KEY\r\n"
            "Cookie: c=1\r\n"
            "X-Custom: kept\r\n" +
                kGatewayPart);
}

TEST_F(WriteRequestHead, ASecuredApiAlsoRemovesTheCallersCredentials) {
  EXPECT_EQ(write(1),
            "GET /items?a=1&b=%41 HTTP/1.1\r\n"
            "Host: backend:8080\r\n"
            "Accept: */*\r\n"
            "Cookie: c=1\r\n"
            "X-Custom: kept\r\n" +
                kGatewayPart);
}

TEST_F(WriteRequestHead, KeepAuthorizationKeepsOnlyAuthorization) {
  config_.apis[1].backend_jwt->keep_authorization = true;
  EXPECT_EQ(write(1),
            "GET /items?a=1&b=%41 HTTP/1.1\r\n"
            "Host: backend:8080\r\n"
            "Accept: */*\r\n"
            "Authorization: Bearer TOKEN\r\n"
            "Cookie: c=1\r\n"
            "X-Custom: kept\r\n" +
                kGatewayPart);
}

TEST_F(WriteRequestHead, PolicyEditsStillApplyAndMayAddWhatClientsCannotSend) {
  exchange_.request_edits.remove.push_back("x-custom");
  exchange_.request_edits.add.emplace_back("X-Caller-JWT", "signed");
  EXPECT_EQ(write(1),
            "GET /items?a=1&b=%41 HTTP/1.1\r\n"
            "Host: backend:8080\r\n"
            "Accept: */*\r\n"
            "Cookie: c=1\r\n"
            "X-Forwarded-For: 10.1.1.1, 127.0.0.1\r\n"
            "X-Forwarded-Proto: http\r\n"
            "X-Forwarded-Host: gw.example\r\n"
            "X-Request-ID: rid\r\n"
            "X-Caller-JWT: signed\r\n"
            "\r\n");
}

TEST(WriteRequestHeadForwardedFor, EveryLineOfTheClientsListGoesOnBeforeItsAddress) {
  const std::string request =
      "GET /x HTTP/1.1\r\nHost: gw\r\nX-Forwarded-For: 10.0.0.1, 10.0.0.2\r\n"
      "x-forwarded-for:\r\nX-Forwarded-For: 10.0.0.3\r\n\r\n";
  http::RequestParser parser{http::ParserLimits{}};
  http::RequestHead head;
  ASSERT_EQ(parser.parse_head(request, head).status, http::ParseStatus::done);
  snapshot::Endpoint endpoint;
  endpoint.host_header = "backend";
  pipeline::Exchange exchange;
  exchange.client_address = "192.0.2.7";
  const snapshot::ForwardingRules rules;
  RequestHeadPlan plan;
  plan.endpoint = &endpoint;
  plan.forwarding = &rules;
  plan.path = "/x";
  std::string out;
  write_request_head(out, head, exchange, plan);
  EXPECT_NE(out.find("\r\nX-Forwarded-For: 10.0.0.1, 10.0.0.2, 10.0.0.3, 192.0.2.7\r\n"),
            std::string::npos)
      << out;
}

// --- hop-by-hop fields, framing and the gateway's own fields, both ways ------------------------

// A head of `text` parsed as a client's request or a backend's response; its views point into
// `text`, which the fixture keeps.
class HeadWriter : public ::testing::Test {
 protected:
  const http::RequestHead& request(std::string text) {
    text_ = std::move(text);
    http::RequestParser parser{http::ParserLimits{}};
    EXPECT_EQ(parser.parse_head(text_, request_).status, http::ParseStatus::done);
    return request_;
  }
  const http::ResponseHead& response(std::string text) {
    text_ = std::move(text);
    http::ResponseParser parser{http::ParserLimits{}, "GET"};
    EXPECT_EQ(parser.parse_head(text_, response_).status, http::ParseStatus::done);
    return response_;
  }

  std::string request_toward_backend(const RequestHeadPlan& changes = {}) {
    RequestHeadPlan plan = changes;
    plan.endpoint = &endpoint_;
    plan.forwarding = &rules_;
    if (plan.path.empty()) plan.path = "/items";
    std::string out;
    write_request_head(out, request_, exchange_, plan);
    return out;
  }
  std::string response_toward_client(const ResponseHeadPlan& plan) {
    std::string out;
    write_response_head(out, response_, exchange_, plan);
    return out;
  }

  std::string text_;
  http::RequestHead request_;
  http::ResponseHead response_;
  snapshot::Endpoint endpoint_ = [] {
    snapshot::Endpoint endpoint;
    endpoint.host_header = "backend:8080";
    return endpoint;
  }();
  snapshot::ForwardingRules rules_;
  pipeline::Exchange exchange_ = [] {
    pipeline::Exchange exchange;
    exchange.client_address = "192.0.2.1";
    exchange.request_id = "gw-id";
    return exchange;
  }();
};

TEST_F(HeadWriter, RequestHopByHopFieldsAndTheFieldsConnectionNamesStayBehind) {
  request(
      "POST /api/items HTTP/1.1\r\n"
      "Host: gw.example\r\n"
      "Connection: keep-alive, X-Hop\r\n"
      "Keep-Alive: timeout=5\r\n"
      "Proxy-Connection: keep-alive\r\n"
      "TE: trailers\r\n"
      "Trailer: X-Checksum\r\n"
      "Upgrade: websocket\r\n"
      "X-Hop: only for the gateway\r\n"
      "Transfer-Encoding: chunked\r\n"
      "Accept: text/plain\r\n"
      "\r\n");
  EXPECT_EQ(request_toward_backend({.framing = http::BodyFraming::chunked}),
            "POST /items HTTP/1.1\r\n"
            "Host: backend:8080\r\n"
            "Accept: text/plain\r\n"
            "X-Forwarded-For: 192.0.2.1\r\n"
            "X-Forwarded-Proto: http\r\n"
            "X-Forwarded-Host: gw.example\r\n"
            "X-Request-ID: gw-id\r\n"
            "Transfer-Encoding: chunked\r\n"
            "\r\n");
}

TEST_F(HeadWriter, RequestContentLengthIsTheOneThePlanSays) {
  request("PUT /api/items HTTP/1.1\r\nHost: gw\r\nContent-Length: 5\r\n\r\n");
  const std::string out =
      request_toward_backend({.framing = http::BodyFraming::content_length, .content_length = 5});
  EXPECT_EQ(out.find("Content-Length"), out.rfind("Content-Length")) << out;  // once
  EXPECT_TRUE(out.ends_with("X-Request-ID: gw-id\r\nContent-Length: 5\r\n\r\n")) << out;
}

TEST_F(HeadWriter, RequestWithoutBodyGetsNoFramingFields) {
  request("GET /api/items HTTP/1.1\r\nHost: gw\r\n\r\n");
  const std::string out = request_toward_backend();
  EXPECT_EQ(out.find("Content-Length"), std::string::npos) << out;
  EXPECT_EQ(out.find("Transfer-Encoding"), std::string::npos) << out;
}

TEST_F(HeadWriter, ExpectAndTheClientsForwardingFieldsAreReplacedByTheGateways) {
  request(
      "PUT /api/items HTTP/1.1\r\n"
      "Host: gw.example:8443\r\n"
      "Expect: 100-continue\r\n"
      "X-Request-ID: client-chosen\r\n"
      "X-Forwarded-Host: evil.example\r\n"
      "X-Forwarded-Proto: http\r\n"
      "Content-Length: 2\r\n"
      "\r\n");
  EXPECT_EQ(
      request_toward_backend(
          {.client_tls = true, .framing = http::BodyFraming::content_length, .content_length = 2}),
      "PUT /items HTTP/1.1\r\n"
      "Host: backend:8080\r\n"
      "X-Forwarded-For: 192.0.2.1\r\n"
      "X-Forwarded-Proto: https\r\n"
      "X-Forwarded-Host: gw.example:8443\r\n"
      "X-Request-ID: gw-id\r\n"
      "Content-Length: 2\r\n"
      "\r\n");
}

TEST_F(HeadWriter, TheEndpointsBasePathPrefixesThePathAndTheQueryFollows) {
  endpoint_.base_path = "/v2";
  request("GET /api/items/7?full=1&x=%20 HTTP/1.1\r\nHost: gw\r\n\r\n");
  const std::string out = request_toward_backend({.path = "/items/7"});
  EXPECT_TRUE(out.starts_with("GET /v2/items/7?full=1&x=%20 HTTP/1.1\r\n")) << out;
}

TEST_F(HeadWriter, AnHttp10RequestWithoutHostGoesOnAsHttp11WithoutForwardedHost) {
  request("GET /api/items HTTP/1.0\r\n\r\n");
  EXPECT_EQ(request_toward_backend(),
            "GET /items HTTP/1.1\r\n"
            "Host: backend:8080\r\n"
            "X-Forwarded-For: 192.0.2.1\r\n"
            "X-Forwarded-Proto: http\r\n"
            "X-Request-ID: gw-id\r\n"
            "\r\n");
}

TEST_F(HeadWriter, ResponseHopByHopFieldsStayBehindAndTheFramingIsTheGateways) {
  response(
      "HTTP/1.1 201 Created\r\n"
      "Connection: keep-alive, X-Backend-Hop\r\n"
      "Keep-Alive: timeout=5\r\n"
      "Transfer-Encoding: chunked\r\n"
      "Trailer: X-Checksum\r\n"
      "X-Backend-Hop: internal\r\n"
      "Location: /items/7\r\n"
      "Set-Cookie: s=1\r\n"
      "\r\n");
  EXPECT_EQ(response_toward_client({.framing = http::BodyFraming::chunked}),
            "HTTP/1.1 201 Created\r\n"
            "Location: /items/7\r\n"
            "Set-Cookie: s=1\r\n"
            "Transfer-Encoding: chunked\r\n"
            "\r\n");
}

TEST_F(HeadWriter, ResponseSaysConnectionCloseWhenTheClientConnectionEnds) {
  response("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n");
  EXPECT_EQ(
      response_toward_client(
          {.framing = http::BodyFraming::content_length, .content_length = 3, .keep_alive = false}),
      "HTTP/1.1 200 OK\r\n"
      "Content-Length: 3\r\n"
      "Connection: close\r\n"
      "\r\n");
}

TEST_F(HeadWriter, ResponseKeepsTheBackendsReasonOrGivesTheStandardOne) {
  response("HTTP/1.1 404 Nothing Here\r\nContent-Length: 0\r\n\r\n");
  EXPECT_TRUE(response_toward_client({.framing = http::BodyFraming::content_length})
                  .starts_with("HTTP/1.1 404 Nothing Here\r\n"));
  response("HTTP/1.1 503 \r\nContent-Length: 0\r\n\r\n");
  EXPECT_TRUE(response_toward_client({.framing = http::BodyFraming::content_length})
                  .starts_with("HTTP/1.1 503 Service Unavailable\r\n"));
}

TEST_F(HeadWriter, ResponseEditsRemoveAndAddFields) {
  response("HTTP/1.1 200 OK\r\nServer: backend/1.0\r\nX-Kept: 1\r\nContent-Length: 0\r\n\r\n");
  exchange_.response_edits.remove.push_back("server");
  exchange_.response_edits.add.emplace_back("X-Added", "yes");
  EXPECT_EQ(response_toward_client({.framing = http::BodyFraming::content_length}),
            "HTTP/1.1 200 OK\r\n"
            "X-Kept: 1\r\n"
            "X-Added: yes\r\n"
            "Content-Length: 0\r\n"
            "\r\n");
}

TEST(WriteLocalResponse, AnErrorCarriesItsJsonTheRequestIdAndItsLength) {
  pipeline::LocalResponse response;
  response.status = 503;
  response.body = R"({"code":101503})";
  pipeline::Exchange exchange;
  exchange.request_id = "rid-1";
  std::string out;
  write_local_response(out, response, exchange, /*keep_alive=*/false, /*head_only=*/false);
  EXPECT_EQ(out,
            "HTTP/1.1 503 Service Unavailable\r\n"
            "Content-Type: application/json\r\n"
            "X-Request-ID: rid-1\r\n"
            "Content-Length: 15\r\n"
            "Connection: close\r\n"
            "\r\n"
            R"({"code":101503})");
}

TEST(WriteLocalResponse, AnswerToHeadHasTheLengthButNoBody) {
  pipeline::LocalResponse response;
  response.status = 404;
  response.body = "{}";
  pipeline::Exchange exchange;
  std::string out;
  write_local_response(out, response, exchange, /*keep_alive=*/true, /*head_only=*/true);
  EXPECT_EQ(out,
            "HTTP/1.1 404 Not Found\r\n"
            "Content-Type: application/json\r\n"
            "Content-Length: 2\r\n"
            "\r\n");
}

TEST(WriteLocalResponse, NoContentHasNeitherLengthNorBody) {
  pipeline::LocalResponse response;
  response.status = 204;
  response.headers = {{"Access-Control-Allow-Origin", "*"}};
  pipeline::Exchange exchange;
  exchange.response_edits.remove.push_back("x-none");
  std::string out;
  write_local_response(out, response, exchange, /*keep_alive=*/true, /*head_only=*/false);
  EXPECT_EQ(out,
            "HTTP/1.1 204 No Content\r\n"
            "Access-Control-Allow-Origin: *\r\n"
            "\r\n");
}

}  // namespace
}  // namespace gatehouse::proxy
