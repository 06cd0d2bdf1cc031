#include <gtest/gtest.h>

#include <thread>

#include "redis/connection.h"
#include "redis_process.h"
#include "run_io.h"

namespace gatehouse::redis {
namespace {

using namespace fixtures;

// A master, its replica and one Sentinel watching them (a quorum of one), as Debian ships them.
class RedisSentinelTest : public ::testing::Test {
 protected:
  RedisSentinelTest()
      : replica_({"--replicaof", "127.0.0.1", std::to_string(master_.port())}),
        sentinel_(RedisProcess::sentinel({
            "sentinel monitor gatehouse 127.0.0.1 " + std::to_string(master_.port()) + " 1",
            "sentinel down-after-milliseconds gatehouse 1000",
            "sentinel failover-timeout gatehouse 5000",
        })) {}

  void SetUp() override {
    // A failover needs a replica the Sentinel has seen in sync.
    ASSERT_TRUE(eventually([&] {
      return replica_.info("replication", "master_link_status") == "up" &&
             sentinel_.cli({"SENTINEL", "REPLICAS", "gatehouse"})
                     .find(std::to_string(replica_.port())) != std::string::npos;
    })) << "the replica or the sentinel did not come up";

    Settings settings;
    settings.sentinels = {sentinel_.address()};
    settings.master_name = "gatehouse";
    settings.command_timeout = 500ms;
    connection_ = std::make_unique<Connection>(io_.get_executor(), settings);
    connection_->start();
    ASSERT_TRUE(run_until(io_, [&] { return connection_->connected(); }));
    ASSERT_EQ(connection_->server(), master_.address());
  }

  static bool eventually(const std::function<bool()>& condition) {
    const auto give_up = std::chrono::steady_clock::now() + 20s;
    while (!condition()) {
      if (std::chrono::steady_clock::now() > give_up) return false;
      std::this_thread::sleep_for(100ms);
    }
    return true;
  }

  Connection::Result set(const std::string& key, const std::string& value) {
    return run(
        io_,
        [](Connection& connection, std::string key,
           std::string value) -> asio::awaitable<Connection::Result> {
          co_return co_await connection.command(std::array<std::string_view, 3>{"SET", key, value});
        }(*connection_, key, value));
  }

  RedisProcess master_;
  RedisProcess replica_;
  RedisProcess sentinel_;
  asio::io_context io_;
  std::unique_ptr<Connection> connection_;
};

TEST_F(RedisSentinelTest, AsksTheSentinelForTheMaster) {
  const auto reply = set("written", "to the master");
  ASSERT_TRUE(reply) << reply.error().describe();
  EXPECT_EQ(master_.cli({"GET", "written"}), "to the master");
}

TEST_F(RedisSentinelTest, FollowsAFailoverToTheNewMaster) {
  ASSERT_TRUE(set("before", "1"));
  // A failover while the old master lives on: only the Sentinel's announcement tells.
  ASSERT_TRUE(eventually([&] {
    return sentinel_.cli({"SENTINEL", "FAILOVER", "gatehouse"}) == "OK";
  }));

  // Sentinel would close the old master's clients only once it has reconfigured it as a
  // replica, about ten seconds on; the announcement moves the client at once.
  ASSERT_TRUE(run_until(
      io_, [&] { return connection_->connected() && connection_->server() == replica_.address(); },
      5s))
      << "the client stayed with " << to_string(connection_->server().value_or(Address{}));
  const auto reply = set("after", "2");
  ASSERT_TRUE(reply) << reply.error().describe();
  EXPECT_EQ(reply->text, "OK");
  EXPECT_EQ(replica_.cli({"GET", "after"}), "2");
  EXPECT_EQ(connection_->stats().reconnects, 1u);
}

TEST_F(RedisSentinelTest, FollowsTheNewMasterWhenTheOldOneDies) {
  master_.kill();
  ASSERT_TRUE(run_until(
      io_, [&] { return connection_->connected() && connection_->server() == replica_.address(); },
      20s))
      << "the client did not move to the promoted replica";
  const auto reply = set("after", "crash");
  ASSERT_TRUE(reply) << reply.error().describe();
  EXPECT_EQ(replica_.cli({"GET", "after"}), "crash");
}

}  // namespace
}  // namespace gatehouse::redis
