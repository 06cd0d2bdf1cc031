#include "redis/connection.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "redis_process.h"
#include "run_io.h"

namespace gatehouse::redis {
namespace {

using namespace fixtures;
using Clock = std::chrono::steady_clock;
using ::testing::HasSubstr;

class RedisConnectionTest : public ::testing::Test {
 protected:
  Settings settings_for(const RedisProcess& server) {
    Settings settings;
    settings.address = server.address();
    return settings;
  }

  // Starts `connection` and waits until it is connected.
  void connect(Connection& connection) {
    connection.start();
    ASSERT_TRUE(run_until(io_, [&] { return connection.connected(); }))
        << "not connected within 10 s";
  }

  Connection::Result call(Connection& connection, std::vector<std::string> args) {
    return run(io_,
               [](Connection& connection,
                  std::vector<std::string> args) -> asio::awaitable<Connection::Result> {
                 const std::vector<std::string_view> views(args.begin(), args.end());
                 co_return co_await connection.command(views);
               }(connection, std::move(args)));
  }

  // Starts `args` without waiting for it: its result and when it came land in the returned slot.
  struct Outcome {
    std::optional<Connection::Result> result;
    Clock::time_point at;
  };
  std::shared_ptr<Outcome> launch(Connection& connection, std::vector<std::string> args) {
    auto outcome = std::make_shared<Outcome>();
    asio::co_spawn(
        io_,
        [](Connection& connection, std::vector<std::string> args,
           std::shared_ptr<Outcome> outcome) -> asio::awaitable<void> {
          const std::vector<std::string_view> views(args.begin(), args.end());
          outcome->result.emplace(co_await connection.command(views));
          outcome->at = Clock::now();
        }(connection, std::move(args), outcome),
        asio::detached);
    return outcome;
  }

  asio::io_context io_;
};

TEST_F(RedisConnectionTest, RoundTrip) {
  RedisProcess server;
  Connection connection(io_.get_executor(), settings_for(server));
  connect(connection);

  const auto set = call(connection, {"SET", "greeting", "hello world"});
  ASSERT_TRUE(set) << set.error().describe();
  EXPECT_EQ(set->type, Reply::Type::status);
  EXPECT_EQ(set->text, "OK");
  EXPECT_EQ(server.cli({"GET", "greeting"}), "hello world");

  const auto get = call(connection, {"GET", "greeting"});
  ASSERT_TRUE(get) << get.error().describe();
  EXPECT_EQ(get->type, Reply::Type::string);
  EXPECT_EQ(get->text, "hello world");

  const auto missing = call(connection, {"GET", "nothing"});
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->type, Reply::Type::nil);

  const auto pushed = call(connection, {"RPUSH", "list", "a", "b", "c"});
  ASSERT_TRUE(pushed);
  EXPECT_EQ(pushed->type, Reply::Type::integer);
  EXPECT_EQ(pushed->integer, 3);

  const auto range = call(connection, {"LRANGE", "list", "0", "-1"});
  ASSERT_TRUE(range);
  ASSERT_EQ(range->type, Reply::Type::array);
  ASSERT_EQ(range->elements.size(), 3u);
  EXPECT_EQ(range->elements[2].text, "c");

  // Redis' own error replies are replies, not failures of the client.
  const auto wrong = call(connection, {"INCR", "greeting"});
  ASSERT_TRUE(wrong);
  EXPECT_TRUE(wrong->is_error());
  EXPECT_EQ(wrong->error_code(), "ERR");

  EXPECT_EQ(connection.server(), server.address());
  EXPECT_EQ(connection.stats().failed_commands, 0u);
}

TEST_F(RedisConnectionTest, ConcurrentCallersArePipelinedAndEachGetsItsOwnReply) {
  RedisProcess server;
  Connection connection(io_.get_executor(), settings_for(server));
  connect(connection);
  const int64_t reads_before = std::stoll(server.info("stats", "total_reads_processed"));

  constexpr int callers = 1000;
  std::vector<std::shared_ptr<Outcome>> echoes;
  std::vector<std::shared_ptr<Outcome>> counts;
  for (int i = 0; i < callers; ++i) {
    echoes.push_back(launch(connection, {"ECHO", "caller " + std::to_string(i)}));
    counts.push_back(launch(connection, {"INCR", "counter:" + std::to_string(i % 10)}));
  }
  ASSERT_TRUE(run_until(io_, [&] { return counts.back()->result.has_value(); }));

  std::vector<int64_t> increments_seen(10, 0);
  for (int i = 0; i < callers; ++i) {
    const auto& echo = *echoes[i]->result;
    ASSERT_TRUE(echo) << echo.error().describe();
    EXPECT_EQ(echo->text, "caller " + std::to_string(i));
    const auto& count = *counts[i]->result;
    ASSERT_TRUE(count) << count.error().describe();
    // Each counter was incremented by the callers of its key, in the order they were made.
    EXPECT_EQ(count->integer, ++increments_seen[i % 10]);
  }
  EXPECT_EQ(server.cli({"GET", "counter:7"}), "100");

  // 2000 commands in far fewer reads on the server's side: they left together.
  const int64_t reads_after = std::stoll(server.info("stats", "total_reads_processed"));
  EXPECT_LT(reads_after - reads_before, 100) << "the commands were not pipelined";
}

TEST_F(RedisConnectionTest, ALateReplyTimesOutItsCallerAndTheConnectionStaysInStep) {
  RedisProcess server({"--enable-debug-command", "yes"});
  Settings settings = settings_for(server);
  settings.command_timeout = 100ms;
  Connection connection(io_.get_executor(), settings);
  connect(connection);

  const Clock::time_point sent = Clock::now();
  const auto sleeping = launch(connection, {"DEBUG", "SLEEP", "0.5"});
  const auto behind = launch(connection, {"ECHO", "behind the sleeper"});
  ASSERT_TRUE(run_until(io_, [&] { return behind->result.has_value(); }));
  ASSERT_TRUE(sleeping->result.has_value());

  for (const auto& outcome : {sleeping, behind}) {
    ASSERT_FALSE(*outcome->result);
    const Error& error = outcome->result->error();
    EXPECT_EQ(error.kind(), ErrorKind::timeout) << error.describe();
    EXPECT_THAT(error.describe(), HasSubstr("no reply within 100 ms"));
    EXPECT_GE(outcome->at - sent, 95ms);
    EXPECT_LT(outcome->at - sent, 400ms) << "the wait was not bounded by the command timeout";
  }
  EXPECT_EQ(connection.stats().timed_out_commands, 2u);

  // The late replies (+OK, "behind the sleeper") arrive and are dropped; the next caller gets its
  // own reply on the same connection.
  run_for(io_, 600ms);
  const auto after = call(connection, {"ECHO", "after"});
  ASSERT_TRUE(after) << after.error().describe();
  EXPECT_EQ(after->text, "after");
  EXPECT_EQ(connection.stats().reconnects, 0u);
  EXPECT_TRUE(connection.connected());
}

TEST_F(RedisConnectionTest, AServerThatAnswersNothingForDeadAfterIsDroppedAndReconnected) {
  RedisProcess server({"--enable-debug-command", "yes"});
  Settings settings = settings_for(server);
  settings.command_timeout = 50ms;
  settings.dead_after = 300ms;
  settings.connect_timeout = 3s;
  Connection connection(io_.get_executor(), settings);
  connect(connection);

  const Clock::time_point sent = Clock::now();
  const auto sleeping = launch(connection, {"DEBUG", "SLEEP", "1"});
  ASSERT_TRUE(run_until(
      io_, [&] { return !connection.connected(); }, 2s))
      << "the silent connection was kept";
  EXPECT_GE(Clock::now() - sent, 295ms);
  EXPECT_LT(Clock::now() - sent, 800ms);
  ASSERT_TRUE(sleeping->result.has_value());
  EXPECT_EQ(sleeping->result->error().kind(), ErrorKind::timeout);

  // While it is gone, commands fail at once: nothing waits for the server.
  const Clock::time_point asked = Clock::now();
  const auto meanwhile = call(connection, {"PING"});
  ASSERT_FALSE(meanwhile);
  EXPECT_EQ(meanwhile.error().kind(), ErrorKind::unreachable);
  EXPECT_TRUE(meanwhile.error().retryable());
  EXPECT_LT(Clock::now() - asked, 100ms);

  // The server wakes; the client comes back by itself.
  ASSERT_TRUE(run_until(
      io_, [&] { return connection.connected(); }, 5s));
  const auto pong = call(connection, {"PING"});
  ASSERT_TRUE(pong) << pong.error().describe();
  EXPECT_EQ(pong->text, "PONG");
  EXPECT_EQ(connection.stats().reconnects, 1u);
}

TEST_F(RedisConnectionTest, AKilledServerFailsWaitingCallersAtOnceAndARestartedOneIsFoundAgain) {
  RedisProcess server;
  Settings settings = settings_for(server);
  settings.command_timeout = 5s;  // the failures below must not be timeouts
  Connection connection(io_.get_executor(), settings);
  connect(connection);
  ASSERT_TRUE(call(connection, {"SET", "before", "1"}));

  const auto blocked = launch(connection, {"BLPOP", "no-such-list", "0"});
  run_for(io_, 100ms);  // the BLPOP is on the server, waiting
  ASSERT_FALSE(blocked->result.has_value());

  const Clock::time_point killed = Clock::now();
  server.kill();
  ASSERT_TRUE(run_until(
      io_, [&] { return blocked->result.has_value(); }, 1s))
      << "the waiting caller was not failed when the connection broke";
  EXPECT_LT(blocked->at - killed, 500ms);
  ASSERT_FALSE(*blocked->result);
  EXPECT_EQ(blocked->result->error().kind(), ErrorKind::closed);
  EXPECT_FALSE(blocked->result->error().retryable());  // it may have run
  EXPECT_THAT(blocked->result->error().describe(), HasSubstr(to_string(server.address())));
  EXPECT_FALSE(connection.connected());

  const Clock::time_point asked = Clock::now();
  const auto refused = call(connection, {"GET", "before"});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind(), ErrorKind::unreachable);
  EXPECT_LT(Clock::now() - asked, 500ms);

  run_for(io_, 500ms);  // a few refused attempts, backing off
  EXPECT_GE(connection.stats().connect_failures, 1u);

  server.restart();
  ASSERT_TRUE(run_until(
      io_, [&] { return connection.connected(); }, 8s))
      << "not reconnected after the server came back";
  const auto set = call(connection, {"SET", "after", "2"});
  ASSERT_TRUE(set) << set.error().describe();
  EXPECT_EQ(server.cli({"GET", "after"}), "2");
  EXPECT_EQ(connection.stats().reconnects, 1u);
  EXPECT_GE(connection.stats().failed_commands, 2u);
}

TEST_F(RedisConnectionTest, LogsInAndSelectsTheDatabase) {
  RedisProcess server({"--requirepass", "s3cret"});
  Settings settings = settings_for(server);
  settings.password = "s3cret";
  settings.db = 3;
  Connection connection(io_.get_executor(), settings);
  connect(connection);

  ASSERT_TRUE(call(connection, {"SET", "where", "db three"}));
  EXPECT_EQ(server.cli({"-a", "s3cret", "--no-auth-warning", "-n", "3", "GET", "where"}),
            "db three");
  EXPECT_EQ(server.cli({"-a", "s3cret", "--no-auth-warning", "-n", "0", "EXISTS", "where"}), "0");
}

TEST_F(RedisConnectionTest, AWrongPasswordNeverConnectsAndCommandsFailAtOnce) {
  RedisProcess server({"--requirepass", "s3cret"});
  Settings settings = settings_for(server);
  settings.password = "wrong";
  settings.reconnect_min = 20ms;
  settings.reconnect_max = 50ms;
  Connection connection(io_.get_executor(), settings);
  connection.start();
  ASSERT_TRUE(run_until(
      io_, [&] { return connection.stats().connect_failures >= 2; }, 3s));
  EXPECT_FALSE(connection.connected());

  const auto refused = call(connection, {"PING"});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind(), ErrorKind::unreachable);
}

TEST_F(RedisConnectionTest, NoServerNoWait) {
  Settings settings;
  settings.address = {"127.0.0.1", free_port()};
  Connection connection(io_.get_executor(), settings);
  connection.start();
  ASSERT_TRUE(run_until(
      io_, [&] { return connection.stats().connect_failures >= 1; }, 3s));

  const Clock::time_point asked = Clock::now();
  const auto refused = call(connection, {"PING"});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind(), ErrorKind::unreachable);
  EXPECT_LT(Clock::now() - asked, 100ms);
  EXPECT_EQ(connection.stats().failed_commands, 1u);
}

TEST_F(RedisConnectionTest, ClosingTheClientFailsItsWaitingCallers) {
  RedisProcess server;
  Settings settings = settings_for(server);
  settings.command_timeout = 5s;
  auto connection = std::make_unique<Connection>(io_.get_executor(), settings);
  connect(*connection);
  const auto blocked = launch(*connection, {"BLPOP", "no-such-list", "0"});
  run_for(io_, 50ms);
  connection.reset();
  ASSERT_TRUE(run_until(
      io_, [&] { return blocked->result.has_value(); }, 1s));
  ASSERT_FALSE(*blocked->result);
  EXPECT_EQ(blocked->result->error().kind(), ErrorKind::closed);
}

}  // namespace
}  // namespace gatehouse::redis
