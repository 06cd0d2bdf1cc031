// What of a request never reaches a backend: the rules compiled per API, and the set of header
// names they compare a field with.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "snapshot/forwarding_rules.h"

namespace gatehouse::snapshot {
namespace {

config::ApiConfig api_named(std::string name) {
  config::ApiConfig api;
  api.name = std::move(name);
  return api;
}

TEST(HeaderNameSet, MatchesMembersInAnyCaseAndNothingElse) {
  HeaderNameSet set;
  set.add("X-JWT-Assertion");
  set.add("apikey");
  EXPECT_TRUE(set.contains("x-jwt-assertion"));
  EXPECT_TRUE(set.contains("X-JWT-ASSERTION"));
  EXPECT_TRUE(set.contains("ApiKey"));
  EXPECT_FALSE(set.contains("Accept"));  // the length of "apikey"
  EXPECT_FALSE(set.contains("X-JWT-Assertio"));
  EXPECT_FALSE(set.contains(""));
  const std::string long_name(80, 'a');
  set.add(long_name);
  EXPECT_TRUE(set.contains(std::string(80, 'A')));
  EXPECT_FALSE(set.contains(std::string(70, 'a')));  // shares the "63 or more" length bit
}

TEST(ForwardingRules, EveryApisTrustedHeadersAreStrippedOnEveryApi) {
  config::Config config;
  config.apis.push_back(api_named("open"));
  config::ApiConfig secured = api_named("secured");
  secured.security.emplace();
  secured.security->mutual_tls.header = "X-Client-Cert";
  secured.backend_jwt.emplace();
  secured.backend_jwt->header = "X-Caller";
  config.apis.push_back(secured);
  config.security.api_keys = {.header = "X-Key", .query_param = "key"};

  const std::vector<ForwardingRules> rules = compile_forwarding_rules(config);
  ASSERT_EQ(rules.size(), 2u);
  for (const ForwardingRules& api : rules) {
    for (const char* name :
         {"X-JWT-Assertion", "X-WSO2-CLIENT-CERTIFICATE", "x-client-cert", "x-caller"}) {
      EXPECT_TRUE(api.stripped.contains(name)) << name;
    }
  }
  // The open API passes credentials through; the secured one removes them.
  EXPECT_FALSE(rules[0].stripped.contains("X-Key"));
  EXPECT_FALSE(rules[0].strip_authorization);
  EXPECT_EQ(rules[0].stripped_query_param, "");
  EXPECT_TRUE(rules[1].stripped.contains("x-key"));
  EXPECT_TRUE(rules[1].strip_authorization);
  EXPECT_EQ(rules[1].stripped_query_param, "key");

  config.apis[1].backend_jwt->keep_authorization = true;
  EXPECT_FALSE(compile_forwarding_rules(config)[1].strip_authorization);
}

}  // namespace
}  // namespace gatehouse::snapshot
