#include "redis/reply.h"

#include <gtest/gtest.h>

#include "redis/command.h"

namespace gatehouse::redis {
namespace {

using namespace std::string_literals;  // "a\0b"s keeps the NUL

// Every whole reply `bytes` holds, fed `step` bytes at a time.
std::vector<Reply> read_all(std::string_view bytes, size_t step) {
  ReplyReader reader;
  std::vector<Reply> replies;
  for (size_t at = 0; at < bytes.size(); at += step) {
    EXPECT_TRUE(reader.feed(bytes.substr(at, step)));
    for (;;) {
      auto reply = reader.next();
      EXPECT_TRUE(reply) << reply.error();
      if (!reply || !*reply) break;
      replies.push_back(std::move(**reply));
    }
  }
  return replies;
}

TEST(RedisReplyReader, ReadsEveryKindOfReply) {
  const std::string bytes =
      "+OK\r\n"
      "-NOSCRIPT No matching script. Please use EVAL.\r\n"
      ":-42\r\n"
      "$5\r\nhe\0lo\r\n"
      "$-1\r\n"
      "*3\r\n:1\r\n*1\r\n$1\r\nx\r\n*-1\r\n"
      "*0\r\n"s;
  for (const size_t step : {bytes.size(), size_t{1}, size_t{7}}) {
    const auto replies = read_all(bytes, step);
    ASSERT_EQ(replies.size(), 7u) << "fed " << step << " bytes at a time";
    EXPECT_EQ(replies[0].type, Reply::Type::status);
    EXPECT_EQ(replies[0].text, "OK");
    EXPECT_TRUE(replies[1].is_error());
    EXPECT_EQ(replies[1].error_code(), "NOSCRIPT");
    EXPECT_EQ(replies[2].type, Reply::Type::integer);
    EXPECT_EQ(replies[2].integer, -42);
    EXPECT_EQ(replies[3].type, Reply::Type::string);
    EXPECT_EQ(replies[3].text, std::string("he\0lo", 5));
    EXPECT_EQ(replies[4].type, Reply::Type::nil);
    ASSERT_EQ(replies[5].type, Reply::Type::array);
    ASSERT_EQ(replies[5].elements.size(), 3u);
    EXPECT_EQ(replies[5].elements[0].integer, 1);
    ASSERT_EQ(replies[5].elements[1].elements.size(), 1u);
    EXPECT_EQ(replies[5].elements[1].elements[0].text, "x");
    EXPECT_EQ(replies[5].elements[2].type, Reply::Type::nil);
    EXPECT_EQ(replies[6].type, Reply::Type::array);
    EXPECT_TRUE(replies[6].elements.empty());
    EXPECT_EQ(replies[0].error_code(), "");
  }
}

TEST(RedisReplyReader, APartialReplyWaitsForTheRest) {
  ReplyReader reader;
  ASSERT_TRUE(reader.feed("$10\r\nhello"));
  auto none = reader.next();
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
  ASSERT_TRUE(reader.feed(" you!\r\n"));
  auto whole = reader.next();
  ASSERT_TRUE(whole && *whole);
  EXPECT_EQ((*whole)->text, "hello you!");
}

TEST(RedisReplyReader, BytesThatAreNotRespAreAnError) {
  ReplyReader reader;
  ASSERT_TRUE(reader.feed("HTTP/1.1 400 Bad Request\r\n"));
  const auto reply = reader.next();
  ASSERT_FALSE(reply);
  EXPECT_FALSE(reply.error().empty());
}

TEST(RedisAppendCommand, WritesAnArrayOfBulkStrings) {
  std::string out = "before|";
  const std::string value = "a\0 b\r\n"s;
  const std::array<std::string_view, 3> args = {"SET", "key", value};
  append_command(out, args);
  EXPECT_EQ(out, "before|*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$6\r\na\0 b\r\n\r\n"s);
}

TEST(RedisAppendCommand, TakesManyArguments) {
  std::vector<std::string> words;
  std::vector<std::string_view> args = {"RPUSH", "list"};
  for (int i = 0; i < 100; ++i) words.push_back(std::to_string(i));
  for (const std::string& word : words) args.push_back(word);
  std::string out;
  append_command(out, args);
  EXPECT_TRUE(out.starts_with("*102\r\n$5\r\nRPUSH\r\n$4\r\nlist\r\n$1\r\n0\r\n"));
  EXPECT_TRUE(out.ends_with("$2\r\n99\r\n"));
}

}  // namespace
}  // namespace gatehouse::redis
