// Error: what a kind says about retrying and about the client's answer, what an explicit answer
// overrides, and the text a log line gets.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "core/error.h"

namespace gatehouse {
namespace {

TEST(ErrorTest, OnlyAConnectionNeverMadeIsRetryableByDefault) {
  EXPECT_TRUE(retryable_by_default(ErrorKind::unreachable));
  EXPECT_TRUE(retryable_by_default(ErrorKind::tls));
  for (ErrorKind kind :
       {ErrorKind::bad_request, ErrorKind::too_large, ErrorKind::timeout, ErrorKind::bad_response,
        ErrorKind::closed, ErrorKind::unauthenticated, ErrorKind::forbidden, ErrorKind::internal}) {
    EXPECT_FALSE(retryable_by_default(kind)) << to_string(kind);
    EXPECT_FALSE(Error(kind, ErrorSource::backend, "x").retryable()) << to_string(kind);
  }
  EXPECT_TRUE(Error(ErrorKind::unreachable, ErrorSource::backend, "x").retryable());
}

TEST(ErrorTest, ItsMakerDecidesRetryingWhereItKnowsBetter) {
  Error stale(ErrorKind::closed, ErrorSource::backend, "pooled connection");
  stale.set_retryable(true);
  EXPECT_TRUE(stale.retryable());
  EXPECT_FALSE(Error(ErrorKind::tls, ErrorSource::backend, "x").set_retryable(false).retryable());
}

TEST(ErrorTest, AGivenAnswerIsWhatTheClientSees) {
  const Error error(ErrorKind::timeout, ErrorSource::backend, errors::backend_timeout("api:1"),
                    "127.0.0.1:8080");
  EXPECT_EQ(error.status(), 504);
  EXPECT_EQ(error.code(), 101504);
  const auto body = boost::json::parse(error.json_body()).as_object();
  EXPECT_EQ(body.at("code").as_int64(), 101504);
  EXPECT_EQ(body.at("message").as_string(), "Runtime Error");
  EXPECT_EQ(body.at("description").as_string(),
            "The backend of API api:1 did not respond in time.");
}

TEST(ErrorTest, TheCauseStaysOutOfTheClientsBody) {
  const Error error(ErrorKind::unreachable, ErrorSource::backend, "10.0.0.7:8443",
                    "Connection refused");
  EXPECT_EQ(error.json_body().find("10.0.0.7"), std::string::npos);
  EXPECT_EQ(error.json_body().find("refused"), std::string::npos);
}

TEST(ErrorTest, WithoutAnAnswerTheKindGivesTheStatusAndCode) {
  const struct {
    ErrorKind kind;
    int status;
    int code;
  } expected[] = {
      {ErrorKind::bad_request, 400, 400},  {ErrorKind::too_large, 413, 413},
      {ErrorKind::timeout, 504, 101504},   {ErrorKind::unreachable, 503, 101503},
      {ErrorKind::tls, 502, 101500},       {ErrorKind::bad_response, 502, 101500},
      {ErrorKind::closed, 502, 101500},    {ErrorKind::unauthenticated, 401, 900901},
      {ErrorKind::forbidden, 403, 900908}, {ErrorKind::internal, 500, 500},
  };
  for (const auto& [kind, status, code] : expected) {
    const Error error(kind, ErrorSource::gateway, "");
    EXPECT_EQ(error.status(), status) << to_string(kind);
    EXPECT_EQ(error.code(), code) << to_string(kind);
    EXPECT_FALSE(error.answer().description.empty()) << to_string(kind);
  }
}

TEST(ErrorTest, AnAnswerCanBeGivenLaterByWhoKnowsTheApi) {
  Error error(ErrorKind::unreachable, ErrorSource::backend, "127.0.0.1:1");
  error.answer_with(errors::backend_unavailable("api:1"));
  EXPECT_EQ(error.status(), 503);
  EXPECT_EQ(error.answer().description, "No backend endpoint of API api:1 is reachable.");
  EXPECT_EQ(error.kind(), ErrorKind::unreachable);
  EXPECT_EQ(error.cause(), "127.0.0.1:1");
}

TEST(ErrorTest, DescribeNamesTheKindTheCauseAndTheReasonUnderneath) {
  EXPECT_EQ(Error(ErrorKind::tls, ErrorSource::identity_provider, "idp.example:443",
                  "certificate verify failed")
                .describe(),
            "TLS handshake failed (idp.example:443: certificate verify failed)");
  EXPECT_EQ(Error(ErrorKind::timeout, ErrorSource::backend, "127.0.0.1:80").describe(),
            "timed out (127.0.0.1:80)");
  EXPECT_EQ(Error(ErrorKind::closed, ErrorSource::client, "").describe(), "connection closed");
  EXPECT_EQ(Error(ErrorKind::closed, ErrorSource::client, "", "Broken pipe").describe(),
            "connection closed (Broken pipe)");
}

TEST(ErrorTest, OnlyAClosedClientIsAClientGone) {
  EXPECT_TRUE(Error(ErrorKind::closed, ErrorSource::client, "").client_gone());
  EXPECT_FALSE(Error(ErrorKind::closed, ErrorSource::backend, "").client_gone());
  EXPECT_FALSE(Error(ErrorKind::timeout, ErrorSource::client, "").client_gone());
}

TEST(ErrorTest, ACopyIsIndependentOfItsOriginal) {
  Error original(ErrorKind::bad_response, ErrorSource::backend,
                 errors::bad_gateway("The backend sent an invalid response."), "cause");
  Error copy = original;
  copy.answer_with(errors::backend_timeout("api:1")).set_retryable(true);
  EXPECT_EQ(original.status(), 502);
  EXPECT_FALSE(original.retryable());
  EXPECT_EQ(copy.status(), 504);
  EXPECT_EQ(copy.cause(), "cause");
  EXPECT_EQ(copy.source(), ErrorSource::backend);
  original = copy;
  EXPECT_EQ(original.status(), 504);
}

TEST(ErrorTest, SourcesHaveNamesForTheLog) {
  EXPECT_EQ(to_string(ErrorSource::client), "client");
  EXPECT_EQ(to_string(ErrorSource::backend), "backend");
  EXPECT_EQ(to_string(ErrorSource::identity_provider), "identity provider");
}

TEST(ErrorTest, CarryingOneCostsAPointerAndAFewBytes) {
  EXPECT_LE(sizeof(Error), 2 * sizeof(void*));
}

}  // namespace
}  // namespace gatehouse
