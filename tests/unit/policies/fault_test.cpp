#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <chrono>

#include "policy_test_support.h"

namespace gatehouse::policies {
namespace {

using testing::added;
using testing::compile_error;
using testing::compile_ok;
using testing::error_at;
using testing::StateSlot;
using testing::TestRequest;

// The request step, and its wait if it asks for one, as the runner runs them.
Verdict request_step(const Policy& policy, Exchange& exchange) {
  const Verdict verdict = policy.on_request(exchange);
  if (verdict != Verdict::wait) return verdict;
  boost::asio::io_context io;
  auto waited =
      boost::asio::co_spawn(io, policy.on_request_async(exchange), boost::asio::use_future);
  io.run();
  return waited.get();
}

TEST(FaultPolicy, DelaysTheRequestThenLetsItThroughAndSaysSo) {
  auto policy = compile_ok("type: fault\ndelay: {duration: 40ms}\n");
  ASSERT_TRUE(policy);
  TestRequest request("GET", "/shop/1.0/menu", {});
  Exchange exchange;
  exchange.request = &request.head();
  StateSlot slot(*policy, exchange);

  const auto before = std::chrono::steady_clock::now();
  EXPECT_EQ(request_step(*policy, exchange), Verdict::proceed);
  EXPECT_GE(std::chrono::steady_clock::now() - before, std::chrono::milliseconds(40));
  EXPECT_FALSE(exchange.local_response);

  EXPECT_EQ(policy->on_response(exchange), Verdict::proceed);
  EXPECT_THAT(added(exchange.response_edits, "Gatehouse-Fault"),
              ::testing::ElementsAre("delay=40ms"));
}

TEST(FaultPolicy, AbortsWithTheStatusAndNeverWaitsWithoutADelay) {
  auto policy = compile_ok("type: fault\nabort: {status: 503}\n");
  ASSERT_TRUE(policy);
  TestRequest request("POST", "/shop/1.0/order", {});
  Exchange exchange;
  exchange.request = &request.head();
  StateSlot slot(*policy, exchange);

  EXPECT_EQ(policy->on_request(exchange), Verdict::respond);
  ASSERT_TRUE(exchange.local_response);
  EXPECT_EQ(exchange.local_response->status, 503);
  EXPECT_THAT(exchange.local_response->body, ::testing::HasSubstr("\"code\":503"));
  policy->on_response(exchange);
  EXPECT_THAT(added(exchange.response_edits, "Gatehouse-Fault"),
              ::testing::ElementsAre("abort=503"));
}

TEST(FaultPolicy, ADelayedRequestCanAlsoBeAbortedAfterItsWait) {
  auto policy = compile_ok("type: fault\ndelay: {duration: 5ms}\nabort: {status: 429}\n");
  ASSERT_TRUE(policy);
  TestRequest request("GET", "/shop/1.0/menu", {});
  Exchange exchange;
  exchange.request = &request.head();
  StateSlot slot(*policy, exchange);

  EXPECT_EQ(request_step(*policy, exchange), Verdict::respond);
  EXPECT_EQ(exchange.local_response->status, 429);
  policy->on_response(exchange);
  EXPECT_THAT(added(exchange.response_edits, "Gatehouse-Fault"),
              ::testing::ElementsAre("delay=5ms", "abort=429"));
}

TEST(FaultPolicy, MeetsRequestsInTheConfiguredShare) {
  auto never = compile_ok("type: fault\nabort: {status: 500, percent: 0}\n");
  auto half = compile_ok("type: fault\nabort: {status: 500, percent: 50}\n");
  ASSERT_TRUE(never && half);
  TestRequest request("GET", "/shop/1.0/menu", {});
  int aborted_by_half = 0;
  for (int i = 0; i < 2000; ++i) {
    for (const Policy* policy : {never.get(), half.get()}) {
      Exchange exchange;
      exchange.request = &request.head();
      StateSlot slot(*policy, exchange);
      const Verdict verdict = policy->on_request(exchange);
      if (policy == never.get()) {
        ASSERT_EQ(verdict, Verdict::proceed);
      } else if (verdict == Verdict::respond) {
        ++aborted_by_half;
      }
    }
  }
  // 2000 draws at 50%: outside 800..1200 once in about 10^19 runs.
  EXPECT_GT(aborted_by_half, 800);
  EXPECT_LT(aborted_by_half, 1200);
}

TEST(FaultPolicy, ReportsWhatIsWrongWhereItIsWritten) {
  EXPECT_THAT(compile_error("type: fault\n"), error_at(1, 1, "needs 'delay', 'abort' or both"));
  EXPECT_THAT(compile_error("type: fault\ndelay: {duration: 2m}\n"),
              error_at(2, 19, "must be at most 60s"));
  EXPECT_THAT(compile_error("type: fault\nabort: {status: 200}\n"), error_at(2, 17, "status"));
  EXPECT_THAT(compile_error("type: fault\nabort: {status: 503, percent: 101}\n"),
              error_at(2, 31, "percent"));
  EXPECT_THAT(compile_error("type: fault\ndelay: {percent: 5}\n"), error_at(2, 8, "duration"));
  EXPECT_THAT(compile_error("type: fault\ndelay: {duration: 1s}\nabrot: {status: 503}\n"),
              error_at(3, 1, "abrot"));
}

}  // namespace
}  // namespace gatehouse::policies
