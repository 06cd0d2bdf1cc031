// Header and claims JSON: one object, member names unique at every depth, bounded nesting.
#include "security/jose/strict_json.h"

#include <gtest/gtest.h>

#include <string>

namespace gatehouse::jose {
namespace {

TEST(StrictJson, ParsesObjects) {
  const auto object = parse_object_strict(R"({"a":1,"b":{"a":[{"a":2},{"a":3}]},"c":"x"})");
  ASSERT_TRUE(object);
  EXPECT_EQ(object->at("a"), 1);
  EXPECT_EQ(object->at("b").at("a").at(1).at("a"), 3);
  EXPECT_EQ(object->at("c"), "x");
  // The same name in sibling or nested objects is not a repeat.
  EXPECT_TRUE(parse_object_strict(R"({"a":{"a":{"a":1}},"b":{"a":2}})"));
}

TEST(StrictJson, RefusesRepeatedMembersAtAnyDepth) {
  for (const char* text : {R"({"a":1,"a":2})", R"({"a":1,"b":2,"a":1})", R"({"x":{"k":1,"k":2}})",
                           R"({"x":[{"k":1,"j":{},"k":2}]})", R"({"a\u0062":1,"ab":2})",
                           R"({"z":{"y":1},"z":{"y":1}})"}) {
    EXPECT_EQ(parse_object_strict(text).error(), Error::duplicate_key) << text;
  }
}

TEST(StrictJson, RefusesWhatIsNotOneObject) {
  for (const char* text : {"", "[]", "\"a\"", "1", "null", "{", R"({"a":1}{})", R"({"a":1} x)",
                           R"({'a':1})", R"({"a":1,})", "{/*c*/}", R"({"a":NaN})"}) {
    EXPECT_EQ(parse_object_strict(text).error(), Error::bad_json) << text;
  }
  EXPECT_TRUE(parse_object_strict(" {} \n"));
}

TEST(StrictJson, BoundsNesting) {
  auto nested = [](size_t depth) {
    return "{\"a\":" + std::string(depth - 1, '[') + std::string(depth - 1, ']') + "}";
  };
  EXPECT_TRUE(parse_object_strict(nested(max_json_depth)));
  EXPECT_EQ(parse_object_strict(nested(max_json_depth + 1)).error(), Error::bad_json);
  EXPECT_EQ(parse_object_strict(nested(100000)).error(), Error::bad_json);
}

}  // namespace
}  // namespace gatehouse::jose
