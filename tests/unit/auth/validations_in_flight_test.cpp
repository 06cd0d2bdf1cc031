// Validations shared by one worker's requests: a request that meets a running validation of its
// token gets that validation's result; one whose leader ended without a result validates itself.
#include "security/auth/validations_in_flight.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

namespace gatehouse::security {
namespace {

namespace asio = boost::asio;

TokenDigest digest_of(uint8_t byte) {
  TokenDigest digest{};
  digest.fill(byte);
  return digest;
}

struct Joined {
  bool led = false;
  std::optional<ValidationsInFlight::Result> result;
};

// Joins, and if it leads, finishes with `principal` when `finish` is set (else gives up).
asio::awaitable<void> join(ValidationsInFlight& running, TokenDigest digest, Joined& joined,
                           PrincipalPtr principal, bool finish) {
  std::optional<ValidationsInFlight::Lead> lead;
  joined.result = co_await running.join(digest, lead);
  joined.led = lead.has_value();
  if (!lead) co_return;
  co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);  // the I/O
  if (finish) lead->finish(principal);
}

TEST(ValidationsInFlight, TheRequestsOfOneTokenShareOneValidation) {
  asio::io_context io;
  ValidationsInFlight running;
  auto principal = std::make_shared<Principal>();
  principal->subject = "alice";
  Joined first, second, other;
  asio::co_spawn(io, join(running, digest_of(1), first, principal, true), asio::detached);
  asio::co_spawn(io, join(running, digest_of(1), second, nullptr, true), asio::detached);
  asio::co_spawn(io, join(running, digest_of(2), other, nullptr, true), asio::detached);
  io.run();
  EXPECT_TRUE(first.led);
  EXPECT_FALSE(second.led);
  ASSERT_TRUE(second.result && *second.result);
  EXPECT_EQ(**second.result, principal);
  EXPECT_TRUE(other.led);  // another token: its own validation
}

TEST(ValidationsInFlight, ALeaderThatEndsWithoutAResultLetsTheWaitersValidate) {
  asio::io_context io;
  ValidationsInFlight running;
  Joined first, second, later;
  asio::co_spawn(io, join(running, digest_of(1), first, nullptr, false), asio::detached);
  asio::co_spawn(io, join(running, digest_of(1), second, nullptr, true), asio::detached);
  io.run();
  EXPECT_TRUE(first.led);
  EXPECT_FALSE(second.led);
  EXPECT_FALSE(second.result);  // validates on its own
  io.restart();
  asio::co_spawn(io, join(running, digest_of(1), later, nullptr, true), asio::detached);
  io.run();
  EXPECT_TRUE(later.led);  // nothing of the first validation stays behind
}

}  // namespace
}  // namespace gatehouse::security
