// Header values read the same way wherever the gateway reads them: the credentials of an
// Authorization scheme, and the media type of a Content-Type.
#include <gtest/gtest.h>

#include "http/message.h"

namespace gatehouse::http {
namespace {

TEST(AuthorizationSchemes, AreMatchedCaseInsensitivelyBeforeASpace) {
  EXPECT_EQ(after_scheme("bearer  abc", "Bearer"), "abc");
  EXPECT_EQ(after_scheme("Bearerabc", "Bearer"), std::nullopt);
  EXPECT_EQ(after_scheme("Basic abc", "Bearer"), std::nullopt);
}

TEST(MediaTypes, AreComparedWithoutCaseAndParameters) {
  EXPECT_TRUE(has_media_type("application/json", "application/json"));
  EXPECT_TRUE(has_media_type("Application/JSON ; charset=UTF-8", "application/json"));
  EXPECT_FALSE(has_media_type("application/json-patch+json", "application/json"));
  EXPECT_FALSE(has_media_type("text/plain; x=application/json", "application/json"));
  EXPECT_FALSE(has_media_type("", "application/json"));
}

}  // namespace
}  // namespace gatehouse::http
