// authorization_code (RFC 6749 section 4.1.3) with PKCE (RFC 7636 section 4.6): the client trades
// the code the authorization endpoint sent it for tokens. Parameters: code; redirect_uri (required
// and identical when the authorization request gave one); code_verifier (required exactly when the
// request had a code_challenge, and matching it). The code must be the client's and not expired.
//
// A code is redeemed once. Presenting it again means it leaked (RFC 6749 section 4.1.2): the
// tokens issued for it are revoked, refresh and access tokens alike (family_revocation.h). A
// failed check also uses the code up, so a thief without the verifier cannot retry.
//
// Issues an access token, a refresh token when the client may use the refresh_token grant, and an
// ID token when the scope has openid; all of one family, recorded on the code.
#include <memory>

#include "keymanager/server/authorization_request.h"
#include "keymanager/server/family_revocation.h"
#include "keymanager/server/grant.h"
#include "keymanager/server/id_token.h"
#include "keymanager/server/pkce.h"
#include "keymanager/server/server_context.h"
#include "keymanager/server/store_call.h"
#include "keymanager/server/token_hash.h"
#include "keymanager/server/token_issuance.h"

namespace gatehouse::keymanager {

namespace {

OAuthError invalid_grant(std::string description) {
  return OAuthError{OAuthErrorCode::invalid_grant, std::move(description)};
}

// Why the code may not be redeemed by this request; nullopt when it may.
std::optional<OAuthError> refusal(const AuthorizationCodeRecord& code,
                                  const GrantRequest& request) {
  // Another client's code is as unknown to this one as a made-up code.
  if (code.client_id != request.client.client_id) return invalid_grant("the code is invalid");
  if (code.expires_at <= request.now) return invalid_grant("the code has expired");
  const auto redirect_uri = request.form.get("redirect_uri");
  if (!code.redirect_uri.empty() && redirect_uri != code.redirect_uri) {
    return invalid_grant("redirect_uri differs from the authorization request's");
  }
  if (code.redirect_uri.empty() && redirect_uri &&
      (request.client.redirect_uris.size() != 1 ||
       *redirect_uri != request.client.redirect_uris.front())) {
    return invalid_grant("redirect_uri is not the one the code was sent to");
  }
  const auto verifier = request.form.get("code_verifier");
  if (code.code_challenge.empty() != !verifier) {
    return invalid_grant(verifier ? "the authorization request had no code_challenge"
                                  : "code_verifier is required");
  }
  if (verifier && !verifier_matches(*verifier, code.code_challenge, code.code_challenge_method)) {
    return invalid_grant("the code_verifier does not match the code_challenge");
  }
  return std::nullopt;
}

class AuthorizationCodeGrant final : public Grant {
 public:
  std::string_view type() const override { return authorization_code_grant_type; }

  boost::asio::awaitable<std::expected<IssuedTokens, OAuthError>> exchange(
      const GrantRequest& request, ServerContext& context) const override {
    const auto presented = request.form.get("code");
    if (!presented) {
      co_return std::unexpected(OAuthError{OAuthErrorCode::invalid_request, "code is required"});
    }
    const std::string hash = token_hash(*presented);
    FamilyGrant family{.family = new_family()};
    // Redeemed and given its family in one job of the store thread: a reuse, queued behind it,
    // finds the family to revoke.
    auto redeemed = co_await call_store(
        context.store(),
        [&hash, &family](GrantStore& store) -> StoreResult<std::optional<AuthorizationCodeRecord>> {
          auto found = store.redeem_code(hash);
          if (!found || !*found || (*found)->used) return found;
          if (auto set = store.set_code_family(hash, family.family); !set) {
            return std::unexpected(std::move(set.error()));
          }
          return found;
        });
    if (!redeemed) co_return std::unexpected(std::move(redeemed.error()));
    if (!*redeemed) co_return std::unexpected(invalid_grant("the code is invalid"));
    const AuthorizationCodeRecord& code = **redeemed;
    if (code.used) {
      if (!code.family.empty()) {
        auto revoked = co_await revoke_family(context, code.family);
        if (!revoked) co_return std::unexpected(std::move(revoked.error()));
      }
      co_return std::unexpected(
          invalid_grant("the code was used before: the tokens issued for it are revoked"));
    }
    if (auto refused = refusal(code, request)) co_return std::unexpected(std::move(*refused));

    family.subject = code.subject;
    family.scope = code.scope;
    family.context = login_context(code.auth_time);
    auto issued = co_await issue_in_family(context, request.client, std::move(family), request.now,
                                           request.certificate_thumbprint);
    if (!issued) co_return issued;
    const Login login{.subject = code.subject, .auth_time = code.auth_time, .nonce = code.nonce};
    co_return with_id_token(context, request.client, login, code.scope, std::move(*issued),
                            request.now);
  }
};

}  // namespace

std::unique_ptr<const Grant> make_authorization_code_grant() {
  return std::make_unique<AuthorizationCodeGrant>();
}

}  // namespace gatehouse::keymanager
