#include "observability/json_escape.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace gatehouse::observability {
namespace {

std::string escaped(std::string_view text) {
  std::string out = "prefix:";
  append_json_string(out, text);
  return out;
}

TEST(JsonEscape, PlainTextIsQuotedAfterWhatTheBufferHeld) {
  EXPECT_EQ(escaped("/menu?x=1"), R"(prefix:"/menu?x=1")");
  EXPECT_EQ(escaped(""), R"(prefix:"")");
}

TEST(JsonEscape, QuotesBackslashesAndControlCharactersAreEscaped) {
  EXPECT_EQ(escaped("a\"b\\c"), R"(prefix:"a\"b\\c")");
  EXPECT_EQ(escaped("\n\r\t\b\f"), R"(prefix:"\n\r\t\b\f")");
  EXPECT_EQ(escaped(std::string_view("\0\x1f", 2)), R"(prefix:"\u0000\u001f")");
}

TEST(JsonEscape, WellFormedUtf8IsKept) {
  EXPECT_EQ(escaped("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x8d\x95"),
            "prefix:\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x8d\x95\"");
}

TEST(JsonEscape, EveryByteOfAMalformedSequenceBecomesAReplacementCharacter) {
  EXPECT_EQ(escaped("\xff"), R"(prefix:"\ufffd")");
  EXPECT_EQ(escaped("\xc3"), R"(prefix:"\ufffd")") << "truncated at the end";
  EXPECT_EQ(escaped("\xe2\x82"), R"(prefix:"\ufffd\ufffd")") << "truncated at the end";
  EXPECT_EQ(escaped("\xc0\xaf"), R"(prefix:"\ufffd\ufffd")") << "overlong";
  EXPECT_EQ(escaped("\xf4\x90\x80\x80"), R"(prefix:"\ufffd\ufffd\ufffd\ufffd")")
      << "above U+10FFFF";
  EXPECT_EQ(escaped("\xc3(x"), R"(prefix:"\ufffd(x")") << "lead byte without continuation";
}

TEST(JsonEscape, WorstCaseInputStillParsesBack) {
  std::string text;
  for (int i = 0; i < 4096; ++i) text += static_cast<char>(i % 2 ? 0x01 : 0xff);
  std::string out;
  append_json_string(out, text);
  const auto parsed = boost::json::parse(out).as_string();
  ASSERT_EQ(parsed.size(), 2048u * (1 + 3));  // U+0001 and U+FFFD (three bytes in UTF-8)
}

}  // namespace
}  // namespace gatehouse::observability
