#include "redis/script.h"

#include <gtest/gtest.h>

#include "redis_process.h"
#include "run_io.h"

namespace gatehouse::redis {
namespace {

using namespace fixtures;

class RedisScriptTest : public ::testing::Test {
 protected:
  Connection::Result run_script(const Script& script, std::vector<std::string_view> keys,
                                std::vector<std::string_view> args) {
    return run(io_, script.run(*connection_, keys, args));
  }
  // How often Redis ran `command` ("evalsha"), from INFO commandstats.
  int calls(const std::string& command) {
    const std::string stats = server_.info("commandstats", "cmdstat_" + command);
    return stats.empty() ? 0 : std::stoi(stats.substr(stats.find("calls=") + 6));
  }

  void SetUp() override {
    Settings settings;
    settings.address = server_.address();
    connection_ = std::make_unique<Connection>(io_.get_executor(), settings);
    connection_->start();
    ASSERT_TRUE(run_until(io_, [&] { return connection_->connected(); }));
  }

  RedisProcess server_;
  asio::io_context io_;
  std::unique_ptr<Connection> connection_;
};

TEST_F(RedisScriptTest, ItsDigestIsTheOneRedisGivesIt) {
  const Script script("return 1");
  EXPECT_EQ(script.sha1(), server_.cli({"SCRIPT", "LOAD", "return 1"}));
}

TEST_F(RedisScriptTest, RunsByDigestAndSendsTheSourceAgainAfterRedisForgotIt) {
  const Script script("return redis.call('INCRBY', KEYS[1], ARGV[1])");

  // Unknown to a fresh server: EVALSHA is refused, EVAL runs it and caches it.
  auto first = run_script(script, {"hits"}, {"5"});
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_EQ(first->integer, 5);
  EXPECT_EQ(calls("evalsha"), 1);
  EXPECT_EQ(calls("eval"), 1);

  auto second = run_script(script, {"hits"}, {"2"});
  ASSERT_TRUE(second);
  EXPECT_EQ(second->integer, 7);
  EXPECT_EQ(calls("evalsha"), 2);
  EXPECT_EQ(calls("eval"), 1) << "the cached script was sent again";

  server_.cli({"SCRIPT", "FLUSH"});
  auto third = run_script(script, {"hits"}, {"10"});
  ASSERT_TRUE(third) << third.error().describe();
  EXPECT_EQ(third->integer, 17);
  EXPECT_EQ(calls("eval"), 2);
  EXPECT_EQ(server_.cli({"GET", "hits"}), "17");
}

TEST_F(RedisScriptTest, PassesManyKeysAndArguments) {
  const Script script("return {#KEYS, #ARGV, KEYS[20], ARGV[20]}");
  std::vector<std::string> words;
  for (int i = 1; i <= 20; ++i) words.push_back(std::to_string(i));
  const std::vector<std::string_view> many(words.begin(), words.end());
  auto reply = run_script(script, many, many);
  ASSERT_TRUE(reply) << reply.error().describe();
  ASSERT_EQ(reply->elements.size(), 4u);
  EXPECT_EQ(reply->elements[0].integer, 20);
  EXPECT_EQ(reply->elements[1].integer, 20);
  EXPECT_EQ(reply->elements[2].text, "20");
  EXPECT_EQ(reply->elements[3].text, "20");
}

TEST_F(RedisScriptTest, AScriptErrorIsAReply) {
  const Script script("return redis.error_reply('OVER the limit')");
  auto reply = run_script(script, {}, {});
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->error_code(), "OVER");
}

}  // namespace
}  // namespace gatehouse::redis
