#include "keymanager/server/trusted_assertion.h"

#include <algorithm>

#include "keymanager/server/assertion_replay.h"
#include "keymanager/server/endpoint_paths.h"
#include "keymanager/server/jwt_assertion.h"
#include "security/jose/claims.h"
#include "security/jose/jws.h"

namespace gatehouse::keymanager {

namespace {

OAuthError untrusted(std::string description) {
  return OAuthError{OAuthErrorCode::invalid_grant, std::move(description)};
}

std::vector<std::string> trusted_audiences(const TrustedIssuer& issuer,
                                           const ServerContext& context) {
  if (!issuer.audience.empty()) return {issuer.audience};
  return {context.settings().issuer,
          std::string(context.endpoint_base()) + std::string(paths::token)};
}

}  // namespace

boost::asio::awaitable<std::expected<TrustedAssertion, OAuthError>> accept_trusted_assertion(
    ServerContext& context, std::string_view token, UnixSeconds now, TrustedJwtUse use) {
  const auto jws = jose::decode_jws(token);
  if (!jws) co_return std::unexpected(untrusted("the assertion is malformed"));
  const std::string_view iss = jose::Claims(jws->payload()).iss();
  const auto& issuers = context.settings().trusted_issuers;
  const auto trusted =
      std::ranges::find_if(issuers, [iss](const TrustedIssuer& t) { return t.issuer == iss; });
  if (trusted == issuers.end()) {
    co_return std::unexpected(untrusted("the assertion's issuer is not trusted"));
  }
  // Held while checking: a refresh may swap the fetched keys meanwhile.
  const std::shared_ptr<const jose::KeySet> fetched =
      trusted->fetched ? trusted->fetched->current() : nullptr;
  if (trusted->fetched) trusted->fetched->saw_kid(jws->kid());
  auto checked = check_assertion(*jws,
                                 AssertionRules{.keys = fetched ? *fetched : trusted->keys,
                                                .issuer = trusted->issuer,
                                                .audiences = trusted_audiences(*trusted, context),
                                                .max_lifetime = trusted->max_token_lifetime},
                                 now);
  if (!checked) co_return std::unexpected(untrusted(std::move(checked.error())));
  std::string subject(jose::Claims(checked->claims).string_claim(trusted->subject_claim));
  if (subject.empty()) co_return std::unexpected(untrusted("the assertion names no subject"));
  if (use == TrustedJwtUse::once) {
    const auto consumed =
        co_await consume_assertion(context, *checked, now, OAuthErrorCode::invalid_grant);
    if (!consumed) co_return std::unexpected(consumed.error());
  }
  co_return TrustedAssertion{.subject = std::move(subject), .claims = std::move(checked->claims)};
}

}  // namespace gatehouse::keymanager
