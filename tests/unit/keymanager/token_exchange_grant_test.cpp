// Token exchange (RFC 8693): a client trades a user's token for its own, never wider than the
// token or itself, addressed only where it may, with the actor named; a revoked, foreign or
// malformed subject token is refused.
#include <gtest/gtest.h>

#include "assertion_signer.h"
#include "key_manager_fixture.h"
#include "keymanager/server/introspection_endpoint.h"
#include "keymanager/server/revocation_endpoint.h"
#include "keymanager/server/token_endpoint.h"

namespace gatehouse::keymanager::token_exchange_grant_test {
namespace {

using namespace fixture;

constexpr std::string_view exchange_grant = "urn:ietf:params:oauth:grant-type:token-exchange";
constexpr std::string_view access_type = "urn:ietf:params:oauth:token-type:access_token";
constexpr std::string_view jwt_type = "urn:ietf:params:oauth:token-type:jwt";

using Fields = std::vector<std::pair<std::string_view, std::string_view>>;

class TokenExchangeGrantTest : public KeyManagerTest {
 protected:
  TokenExchangeGrantTest() {
    extra_clients_.push_back(Client{.client_id = "orders-api",
                                    .secret_hash = api_secret_.hash,
                                    .grant_types = {std::string(exchange_grant)},
                                    .scopes = {"orders:read", "orders:write", "billing"},
                                    .audiences = {"https://billing.example"}});
    extra_clients_.push_back(Client{.client_id = "opaque-api",
                                    .secret_hash = api_secret_.hash,
                                    .grant_types = {std::string(exchange_grant)},
                                    .scopes = {"orders:read"},
                                    .access_token_format = AccessTokenFormat::opaque});
    trusted_issuers_.push_back(TrustedIssuer{.issuer = idp_.issuer(), .keys = idp_.public_keys()});
    start();
  }

  // A token of the "service" client, as a caller of orders-api would hold.
  std::string service_token(std::string_view scope) {
    return string_member(body_of(run(TokenEndpoint(context()).handle(Request{
                             .body = form({{"grant_type", "client_credentials"}, {"scope", scope}}),
                             .authorization = basic("service", secrets_.service.secret)}
                                                                         .view()))),
                         "access_token");
  }

  OAuthAnswer exchange(Fields fields, std::string_view client_id = "orders-api") {
    fields.emplace_back("grant_type", exchange_grant);
    boost::urls::url url;
    for (const auto& [name, value] : fields) url.params().append({name, value});
    return run(TokenEndpoint(context()).handle(
        Request{.body = std::string(url.encoded_query()),
                .authorization = basic(client_id, api_secret_.secret)}
            .view()));
  }

  // A token of the trusted IdP for alice that lets only the party `may_act` names act for her.
  std::string idp_token_acting_for(const json::object& may_act) {
    return idp_.sign(idp_.claims(issuer, now_, {{"sub", "alice"}, {"may_act", may_act}}));
  }

  std::string idp_actor(std::string_view subject) {
    return idp_.sign(idp_.claims(issuer, now_, {{"sub", subject}}));
  }

  static std::string error_of(const OAuthAnswer& answer) {
    return string_member(body_of(answer), "error");
  }

  ClientSecret api_secret_ = generate_client_secret();
  AssertionSigner idp_{"https://idp.example", "idp-key"};
};

TEST_F(TokenExchangeGrantTest, NarrowsAnIssuedTokenForTheExchangingClient) {
  const std::string subject = service_token("orders:read orders:write");
  const OAuthAnswer answer = exchange(
      {{"subject_token", subject}, {"subject_token_type", access_type}, {"scope", "orders:read"}});
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(string_member(body_of(answer), "issued_token_type"), access_type);
  const auto claims = verified_claims(string_member(body_of(answer), "access_token"));
  ASSERT_TRUE(claims);
  EXPECT_EQ(string_member(*claims, "sub"), "service");
  EXPECT_EQ(string_member(*claims, "client_id"), "orders-api");
  EXPECT_EQ(string_member(*claims, "scope"), "orders:read");
  EXPECT_EQ(string_member(*claims, "aud"), issuer);
  EXPECT_FALSE(claims->contains("act"));
}

TEST_F(TokenExchangeGrantTest, WithoutAScopeGetsWhatTokenAndClientShare) {
  const OAuthAnswer answer = exchange(
      {{"subject_token", service_token("orders:read")}, {"subject_token_type", access_type}});
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(string_member(body_of(answer), "scope"), "orders:read");
}

TEST_F(TokenExchangeGrantTest, ScopeEscalationIsInvalidScope) {
  const std::string subject = service_token("orders:read");
  for (std::string_view wider : {"orders:write", "billing", "orders:read admin"}) {
    const OAuthAnswer answer = exchange(
        {{"subject_token", subject}, {"subject_token_type", access_type}, {"scope", wider}});
    EXPECT_EQ(answer.status, 400) << wider;
    EXPECT_EQ(error_of(answer), "invalid_scope") << wider;
  }
}

TEST_F(TokenExchangeGrantTest, ARevokedSubjectTokenIsInvalidGrant) {
  const std::string subject = service_token("orders:read");
  const OAuthAnswer revoked = run(RevocationEndpoint(context()).handle(
      Request{.body = form({{"token", subject}}),
              .authorization = basic("service", secrets_.service.secret)}
          .view()));
  ASSERT_EQ(revoked.status, 200);
  const OAuthAnswer answer =
      exchange({{"subject_token", subject}, {"subject_token_type", access_type}});
  EXPECT_EQ(answer.status, 400);
  EXPECT_EQ(error_of(answer), "invalid_grant");
}

TEST_F(TokenExchangeGrantTest, AnExpiredOrForgedSubjectTokenIsInvalidGrant) {
  const std::string subject = service_token("orders:read");
  EXPECT_EQ(
      error_of(exchange({{"subject_token", subject + "x"}, {"subject_token_type", access_type}})),
      "invalid_grant");
  EXPECT_EQ(error_of(exchange({{"subject_token", "opaque"}, {"subject_token_type", access_type}})),
            "invalid_grant");
  now_ += 7200;
  EXPECT_EQ(error_of(exchange({{"subject_token", subject}, {"subject_token_type", access_type}})),
            "invalid_grant");
}

TEST_F(TokenExchangeGrantTest, TokenTypesAreRequiredAndKnown) {
  const std::string subject = service_token("orders:read");
  const std::vector<Fields> cases = {
      {{"subject_token", subject}},
      {{"subject_token_type", access_type}},
      {{"subject_token", subject},
       {"subject_token_type", "urn:ietf:params:oauth:token-type:refresh_token"}},
      {{"subject_token", subject}, {"subject_token_type", access_type}, {"actor_token", subject}},
      {{"subject_token", subject},
       {"subject_token_type", access_type},
       {"requested_token_type", "urn:ietf:params:oauth:token-type:id_token"}},
  };
  for (const Fields& fields : cases) {
    const OAuthAnswer answer = exchange(fields);
    EXPECT_EQ(answer.status, 400) << answer.body;
    EXPECT_EQ(error_of(answer), "invalid_request") << answer.body;
  }
}

TEST_F(TokenExchangeGrantTest, TheAudienceMustBeOneTheClientMayAddress) {
  const std::string subject = service_token("orders:read");
  const OAuthAnswer allowed = exchange({{"subject_token", subject},
                                        {"subject_token_type", access_type},
                                        {"audience", "https://billing.example"}});
  ASSERT_EQ(allowed.status, 200) << allowed.body;
  const auto claims = verified_claims(string_member(body_of(allowed), "access_token"));
  ASSERT_TRUE(claims);
  EXPECT_EQ(string_member(*claims, "aud"), "https://billing.example");

  for (const Fields& fields :
       {Fields{{"audience", "https://elsewhere.example"}},
        Fields{{"resource", "https://elsewhere.example"}},
        Fields{{"audience", "https://billing.example"}, {"resource", issuer}}}) {
    Fields request = fields;
    request.emplace_back("subject_token", subject);
    request.emplace_back("subject_token_type", access_type);
    const OAuthAnswer answer = exchange(request);
    EXPECT_EQ(answer.status, 400) << answer.body;
    EXPECT_EQ(error_of(answer), "invalid_target") << answer.body;
  }
}

TEST_F(TokenExchangeGrantTest, AnActorTokenNamesTheActor) {
  const std::string subject = service_token("orders:read");
  const std::string actor = idp_.sign(idp_.claims(issuer, now_, {{"sub", "batch-job"}}));
  const OAuthAnswer answer = exchange({{"subject_token", subject},
                                       {"subject_token_type", access_type},
                                       {"actor_token", actor},
                                       {"actor_token_type", jwt_type}});
  ASSERT_EQ(answer.status, 200) << answer.body;
  const auto claims = verified_claims(string_member(body_of(answer), "access_token"));
  ASSERT_TRUE(claims);
  EXPECT_EQ(string_member(*claims, "sub"), "service");
  ASSERT_TRUE(claims->contains("act"));
  EXPECT_EQ(string_member(claims->at("act").as_object(), "sub"), "batch-job");
  // Introspection tells the actor too.
  const OAuthAnswer introspected = run(IntrospectionEndpoint(context()).handle(
      Request{.body = form({{"token", string_member(body_of(answer), "access_token")}}),
              .authorization = basic("orders-api", api_secret_.secret)}
          .view()));
  ASSERT_EQ(introspected.status, 200) << introspected.body;
  EXPECT_EQ(string_member(body_of(introspected).at("act").as_object(), "sub"), "batch-job");

  // Exchanged again by another actor: the first one is nested as the prior actor.
  const std::string delegated = string_member(body_of(answer), "access_token");
  const std::string second = idp_.sign(idp_.claims(issuer, now_, {{"sub", "reporter"}}));
  const OAuthAnswer again = exchange({{"subject_token", delegated},
                                      {"subject_token_type", access_type},
                                      {"actor_token", second},
                                      {"actor_token_type", jwt_type}});
  ASSERT_EQ(again.status, 200) << again.body;
  const auto chained = verified_claims(string_member(body_of(again), "access_token"));
  ASSERT_TRUE(chained);
  const json::object& act = chained->at("act").as_object();
  EXPECT_EQ(string_member(act, "sub"), "reporter");
  EXPECT_EQ(string_member(act.at("act").as_object(), "sub"), "batch-job");
}

TEST_F(TokenExchangeGrantTest, ATrustedIssuersJwtIsASubjectToken) {
  const std::string subject = idp_.sign(
      idp_.claims(issuer, now_, {{"sub", "alice"}, {"scope", "orders:read orders:write"}}));
  const OAuthAnswer answer = exchange(
      {{"subject_token", subject}, {"subject_token_type", jwt_type}, {"scope", "orders:write"}});
  ASSERT_EQ(answer.status, 200) << answer.body;
  const auto claims = verified_claims(string_member(body_of(answer), "access_token"));
  ASSERT_TRUE(claims);
  EXPECT_EQ(string_member(*claims, "sub"), "alice");
  // Not beyond the subject token's own expiry, a minute away.
  EXPECT_EQ(claims->at("exp").as_int64(), now_ + 60);

  AssertionSigner stranger("https://stranger.example", "idp-key");
  const OAuthAnswer untrusted =
      exchange({{"subject_token", stranger.sign(stranger.claims(issuer, now_))},
                {"subject_token_type", jwt_type}});
  EXPECT_EQ(error_of(untrusted), "invalid_grant");
}

TEST_F(TokenExchangeGrantTest, MayActLetsOnlyTheNamedPartyAct) {
  const json::object batch_job{{"sub", "batch-job"}, {"iss", idp_.issuer()}};
  const OAuthAnswer named = exchange({{"subject_token", idp_token_acting_for(batch_job)},
                                      {"subject_token_type", jwt_type},
                                      {"actor_token", idp_actor("batch-job")},
                                      {"actor_token_type", jwt_type}});
  ASSERT_EQ(named.status, 200) << named.body;
  const auto claims = verified_claims(string_member(body_of(named), "access_token"));
  ASSERT_TRUE(claims);
  EXPECT_EQ(string_member(claims->at("act").as_object(), "sub"), "batch-job");

  const OAuthAnswer other = exchange({{"subject_token", idp_token_acting_for(batch_job)},
                                      {"subject_token_type", jwt_type},
                                      {"actor_token", idp_actor("intruder")},
                                      {"actor_token_type", jwt_type}});
  EXPECT_EQ(other.status, 400) << other.body;
  EXPECT_EQ(error_of(other), "invalid_grant");
  // Without an actor token the client acts, and may_act names another party.
  const OAuthAnswer client_acts = exchange(
      {{"subject_token", idp_token_acting_for(batch_job)}, {"subject_token_type", jwt_type}});
  EXPECT_EQ(client_acts.status, 400) << client_acts.body;
  EXPECT_EQ(error_of(client_acts), "invalid_grant");
}

TEST_F(TokenExchangeGrantTest, MayActCanNameTheExchangingClient) {
  const OAuthAnswer named =
      exchange({{"subject_token", idp_token_acting_for({{"client_id", "orders-api"}})},
                {"subject_token_type", jwt_type}});
  EXPECT_EQ(named.status, 200) << named.body;
  const OAuthAnswer other =
      exchange({{"subject_token", idp_token_acting_for({{"client_id", "someone-else"}})},
                {"subject_token_type", jwt_type}});
  EXPECT_EQ(error_of(other), "invalid_grant") << other.body;
}

TEST_F(TokenExchangeGrantTest, ARequestedJwtIsAJwtWhateverTheClientsFormat) {
  const std::string subject = service_token("orders:read");
  const OAuthAnswer opaque =
      exchange({{"subject_token", subject}, {"subject_token_type", access_type}}, "opaque-api");
  ASSERT_EQ(opaque.status, 200) << opaque.body;
  EXPECT_EQ(string_member(body_of(opaque), "issued_token_type"), access_type);
  EXPECT_FALSE(verified_claims(string_member(body_of(opaque), "access_token")));

  const OAuthAnswer jwt = exchange({{"subject_token", subject},
                                    {"subject_token_type", access_type},
                                    {"requested_token_type", jwt_type}},
                                   "opaque-api");
  ASSERT_EQ(jwt.status, 200) << jwt.body;
  EXPECT_EQ(string_member(body_of(jwt), "issued_token_type"), jwt_type);
  EXPECT_EQ(string_member(body_of(jwt), "token_type"), "Bearer");
  const auto claims = verified_claims(string_member(body_of(jwt), "access_token"));
  ASSERT_TRUE(claims);
  EXPECT_EQ(string_member(*claims, "sub"), "service");
  EXPECT_EQ(string_member(*claims, "client_id"), "opaque-api");
}

TEST_F(TokenExchangeGrantTest, ATrustedIssuersTokenIsExchangedAsOftenAsAskedWhileValid) {
  const std::string subject = idp_.sign(idp_.claims(issuer, now_, {{"sub", "alice"}}));
  for (std::string_view audience : {issuer, std::string_view("https://billing.example")}) {
    const OAuthAnswer answer = exchange(
        {{"subject_token", subject}, {"subject_token_type", jwt_type}, {"audience", audience}});
    EXPECT_EQ(answer.status, 200) << audience << ": " << answer.body;
  }
  now_ += 120;  // past its exp
  EXPECT_EQ(error_of(exchange({{"subject_token", subject}, {"subject_token_type", jwt_type}})),
            "invalid_grant");
}

TEST_F(TokenExchangeGrantTest, ATrustedTokenMayLiveNoLongerThanItsIssuerAllows) {
  // The default allows an hour: a two-hour token is refused.
  const json::object two_hours{{"sub", "alice"}, {"exp", now_ + 7200}};
  const OAuthAnswer refused =
      exchange({{"subject_token", idp_.sign(idp_.claims(issuer, now_, two_hours))},
                {"subject_token_type", jwt_type}});
  EXPECT_EQ(error_of(refused), "invalid_grant") << refused.body;

  AssertionSigner daylong("https://daylong.example", "daylong-key");
  trusted_issuers_.push_back(TrustedIssuer{.issuer = daylong.issuer(),
                                           .keys = daylong.public_keys(),
                                           .max_token_lifetime = std::chrono::hours(24)});
  start();
  const OAuthAnswer accepted =
      exchange({{"subject_token", daylong.sign(daylong.claims(issuer, now_, two_hours))},
                {"subject_token_type", jwt_type}});
  EXPECT_EQ(accepted.status, 200) << accepted.body;
}

}  // namespace
}  // namespace gatehouse::keymanager::token_exchange_grant_test
