// The JWT bearer grant (RFC 7523 section 2.1): a trusted issuer's assertion becomes an access
// token for its subject; an untrusted, wrong or replayed assertion is invalid_grant.
#include <gtest/gtest.h>

#include "assertion_signer.h"
#include "key_manager_fixture.h"
#include "keymanager/server/token_endpoint.h"

namespace gatehouse::keymanager::jwt_bearer_grant_test {
namespace {

using namespace fixture;

constexpr std::string_view bearer_grant = "urn:ietf:params:oauth:grant-type:jwt-bearer";

class JwtBearerGrantTest : public KeyManagerTest {
 protected:
  JwtBearerGrantTest() {
    extra_clients_.push_back(Client{.client_id = "portal",
                                    .secret_hash = portal_secret_.hash,
                                    .grant_types = {std::string(bearer_grant)},
                                    .scopes = {"orders:read", "profile"}});
    trusted_issuers_.push_back(TrustedIssuer{.issuer = idp_.issuer(), .keys = idp_.public_keys()});
    trusted_issuers_.push_back(TrustedIssuer{.issuer = partner_.issuer(),
                                             .keys = partner_.public_keys(),
                                             .audience = "urn:partner:audience",
                                             .subject_claim = "email"});
    start();
  }

  OAuthAnswer exchange(const std::string& assertion, std::string_view scope = {}) {
    std::string body = form({{"grant_type", bearer_grant}, {"assertion", assertion}});
    if (!scope.empty()) body += "&" + form({{"scope", scope}});
    return run(TokenEndpoint(context()).handle(
        Request{.body = std::move(body), .authorization = basic("portal", portal_secret_.secret)}
            .view()));
  }

  std::string idp_assertion(const json::object& changes = {}) {
    json::object claims = idp_.claims(issuer, now_, {{"sub", "alice"}});
    for (const auto& [name, value] : changes) claims[name] = value;
    return idp_.sign(claims);
  }

  ClientSecret portal_secret_ = generate_client_secret();
  AssertionSigner idp_{"https://idp.example", "idp-key"};
  AssertionSigner partner_{"https://partner.example", "partner-key"};
};

TEST_F(JwtBearerGrantTest, TheAssertionsSubjectGetsAToken) {
  const OAuthAnswer answer = exchange(idp_assertion(), "orders:read");
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_FALSE(body_of(answer).contains("refresh_token"));
  const auto claims = verified_claims(string_member(body_of(answer), "access_token"));
  ASSERT_TRUE(claims);
  EXPECT_EQ(string_member(*claims, "sub"), "alice");
  EXPECT_EQ(string_member(*claims, "client_id"), "portal");
  EXPECT_EQ(string_member(*claims, "scope"), "orders:read");
}

TEST_F(JwtBearerGrantTest, AnIssuersOwnAudienceAndSubjectClaim) {
  const std::string assertion = partner_.sign(
      partner_.claims("urn:partner:audience", now_, {{"email", "bob@partner.example"}}));
  const OAuthAnswer answer = exchange(assertion);
  ASSERT_EQ(answer.status, 200) << answer.body;
  const auto claims = verified_claims(string_member(body_of(answer), "access_token"));
  ASSERT_TRUE(claims);
  EXPECT_EQ(string_member(*claims, "sub"), "bob@partner.example");
  // Without a scope asked, all of the client's.
  EXPECT_EQ(string_member(body_of(answer), "scope"), "orders:read profile");
}

TEST_F(JwtBearerGrantTest, AnUntrustedIssuerIsRefused) {
  AssertionSigner stranger("https://stranger.example", "idp-key");
  const OAuthAnswer answer = exchange(stranger.sign(stranger.claims(issuer, now_)));
  EXPECT_EQ(answer.status, 400);
  EXPECT_EQ(string_member(body_of(answer), "error"), "invalid_grant");
}

TEST_F(JwtBearerGrantTest, BadAssertionsAreInvalidGrant) {
  AssertionSigner impostor("https://idp.example", "idp-key");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"wrong aud", idp_assertion({{"aud", "https://other.example"}})},
      {"expired", idp_assertion({{"exp", now_ - 120}})},
      {"not yet valid", idp_assertion({{"nbf", now_ + 600}})},
      {"bad signature", impostor.sign(idp_.claims(issuer, now_))},
      {"another issuer's audience", partner_.sign(partner_.claims(issuer, now_))},
      {"no subject claim", partner_.sign(partner_.claims("urn:partner:audience", now_))},
  };
  for (const auto& [what, bad] : cases) {
    const OAuthAnswer answer = exchange(bad);
    EXPECT_EQ(answer.status, 400) << what << ": " << answer.body;
    EXPECT_EQ(string_member(body_of(answer), "error"), "invalid_grant") << what;
  }
}

TEST_F(JwtBearerGrantTest, AnAssertionIsTakenOnce) {
  const std::string once = idp_assertion();
  ASSERT_EQ(exchange(once).status, 200);
  const OAuthAnswer replay = exchange(once);
  EXPECT_EQ(replay.status, 400);
  EXPECT_EQ(string_member(body_of(replay), "error"), "invalid_grant");
}

TEST_F(JwtBearerGrantTest, TheScopeStaysWithinTheClients) {
  const OAuthAnswer answer = exchange(idp_assertion(), "orders:write");
  EXPECT_EQ(answer.status, 400);
  EXPECT_EQ(string_member(body_of(answer), "error"), "invalid_scope");
}

TEST_F(JwtBearerGrantTest, AnIssuersFetchedKeysServeOnceFetchedAndAnUnknownKidHasThemFetched) {
  using std::chrono::seconds;
  AssertionSigner rotating("https://rotating.example", "first-key");
  const auto fetched = std::make_shared<FetchedKeys>("https://rotating.example/keys");
  trusted_issuers_.push_back(TrustedIssuer{.issuer = rotating.issuer(), .fetched = fetched});
  start();
  const auto assertion = [&](const AssertionSigner& signer) {
    return signer.sign(signer.claims(issuer, now_, {{"sub", "alice"}}));
  };
  // Before the first fetch there is no key: refused, and a fetch is due.
  EXPECT_EQ(string_member(body_of(exchange(assertion(rotating))), "error"), "invalid_grant");
  const auto at = std::chrono::steady_clock::now();
  EXPECT_TRUE(fetched->due(at));
  fetched->fetched(at, rotating.public_keys());
  const OAuthAnswer accepted = exchange(assertion(rotating));
  EXPECT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_FALSE(fetched->due(at + seconds(1)));

  // The issuer signs with a key it has not published to us yet: refused, and fetched again as
  // soon as the refetch interval allows, not before.
  AssertionSigner rotated("https://rotating.example", "second-key");
  EXPECT_EQ(string_member(body_of(exchange(assertion(rotated))), "error"), "invalid_grant");
  EXPECT_FALSE(fetched->due(at + seconds(1)));
  EXPECT_TRUE(fetched->due(at + FetchedKeys::refetch_interval));
  fetched->fetched(at + FetchedKeys::refetch_interval, rotated.public_keys());
  const OAuthAnswer after = exchange(assertion(rotated));
  EXPECT_EQ(after.status, 200) << after.body;
  // Without an unknown kid, the next fetch is a refresh interval later.
  EXPECT_FALSE(fetched->due(at + FetchedKeys::refetch_interval * 2));
  EXPECT_TRUE(fetched->due(at + FetchedKeys::refetch_interval + FetchedKeys::refresh_interval));
  // A fetch that fails keeps the keys there were.
  fetched->fetched(at + FetchedKeys::refresh_interval * 2, std::nullopt);
  EXPECT_EQ(exchange(assertion(rotated)).status, 200);
}

}  // namespace
}  // namespace gatehouse::keymanager::jwt_bearer_grant_test
