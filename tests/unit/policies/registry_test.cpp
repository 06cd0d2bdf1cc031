#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "policy_test_support.h"

namespace gatehouse::policies {
namespace {

TEST(PolicyRegistry, FindsEachPolicyByItsTypeName) {
  for (std::string_view type : {"cors", "fault", "headers", "json_threat_protection", "rewrite"}) {
    const PolicyFactory* factory = find_policy_factory(type);
    ASSERT_NE(factory, nullptr) << type;
    EXPECT_EQ(factory->name(), type);
  }
  EXPECT_EQ(find_policy_factory("Headers"), nullptr);
  EXPECT_EQ(find_policy_factory("no_such_policy"), nullptr);
}

// A policy that says it must wait but has no asynchronous part: a defect that must not let the
// request through unchecked.
class WaitsWithoutAsyncPart final : public Policy {
 public:
  Phase phase() const override { return Phase::transformation; }
  Verdict on_request(Exchange&) const override { return Verdict::wait; }
};

TEST(PolicyDefaults, AnUnfinishedWaitFailsTheRequestClosed) {
  const WaitsWithoutAsyncPart policy;
  pipeline::Exchange exchange;
  ASSERT_EQ(policy.on_request(exchange), Verdict::wait);

  boost::asio::io_context io;
  auto verdict =
      boost::asio::co_spawn(io, policy.on_request_async(exchange), boost::asio::use_future);
  io.run();

  EXPECT_EQ(verdict.get(), Verdict::respond);
  ASSERT_TRUE(exchange.local_response);
  EXPECT_EQ(exchange.local_response->status, 500);
  EXPECT_EQ(exchange.local_response->content_type, "application/json");
  EXPECT_NE(exchange.local_response->body.find("\"code\":500"), std::string::npos);
}

}  // namespace
}  // namespace gatehouse::policies
