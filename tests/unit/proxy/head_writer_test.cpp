// The request head written toward a backend: what a client sent that a backend would trust, and
// the caller's credentials on a secured API, never leave; everything else does, as received.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http/parser.h"
#include "proxy/forwarding.h"
#include "proxy/head_writer.h"
#include "proxy/snapshot.h"

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
    const ForwardingRules rules = compile_forwarding_rules(config_)[api];
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
  Endpoint endpoint_;
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
  Endpoint endpoint;
  endpoint.host_header = "backend";
  pipeline::Exchange exchange;
  exchange.client_address = "192.0.2.7";
  const ForwardingRules rules;
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

}  // namespace
}  // namespace gatehouse::proxy
