#include "policies/auth/auth_policy.h"

#include <algorithm>

#include "policies/auth/credentials.h"
#include "security/auth/bearer_validator.h"
#include "security/auth/client_certificate_trust.h"
#include "security/jose/sha256.h"
#include "security/tokens/api_key_verifier.h"

namespace gatehouse::policies {
namespace {

namespace asio = boost::asio;
using config::Scheme;
using security::AuthError;
using security::AuthFailure;
using security::PrincipalPtr;

bool lists(const config::ApiSecurityConfig& security, Scheme scheme) {
  return std::ranges::find(security.schemes, scheme) != security.schemes.end();
}

AuthError failure(AuthFailure kind, std::string reason) {
  return AuthError{kind, std::move(reason)};
}

// What a bearer token's check carries from on_request over its wait to on_request_async.
struct PendingBearer {
  std::string_view token;  // in the request head, which outlives the exchange's steps
  security::TokenDigest digest{};
};

class AuthPolicy final : public StatefulPolicy<PendingBearer> {
 public:
  explicit AuthPolicy(const AuthSettings& settings)
      : state_(settings.state),
        certificates_(settings.certificates),
        revocations_(settings.revocations),
        api_name_(settings.api->name),
        api_version_(settings.api->version),
        api_index_(settings.api_index),
        api_label_(settings.api->name + ":" + settings.api->version),
        api_id_(settings.api_id),
        scopes_(settings.resource ? settings.resource->scopes : std::vector<std::string>{}),
        has_sandbox_(settings.has_sandbox_endpoints) {
    const config::ApiSecurityConfig& security = *settings.api->security;
    sources_.bearer = lists(security, Scheme::oauth2);
    sources_.basic = lists(security, Scheme::basic_auth);
    sources_.api_key = lists(security, Scheme::api_key);
    sources_.api_key_header = state_->config().api_keys.header;
    sources_.api_key_query_param = state_->config().api_keys.query_param;
    if (settings.api->backend_jwt) backend_jwt_ = *settings.api->backend_jwt;
    api_context_ = settings.api->context + "/" + settings.api->version;
    // API keys and client certificates have no HTTP authentication scheme: an API taking only
    // those sends no challenge (a Basic one would make browsers ask for a password).
    challenge_scheme_ = sources_.bearer ? "Bearer" : sources_.basic ? "Basic" : "";
    application_mandatory_ = security.application_mandatory;
    mutual_tls_mandatory_ = security.mutual_tls_mandatory;
    missing_message_ = "Make sure your API invocation call has ";
    if (sources_.bearer) missing_message_ += "'Authorization: Bearer ACCESS_TOKEN', ";
    if (sources_.basic) missing_message_ += "'Authorization: Basic CREDENTIALS', ";
    if (sources_.api_key) missing_message_ += "an '" + sources_.api_key_header + "' header, ";
    if (settings.certificates) missing_message_ += "a trusted client certificate, ";
    missing_message_.resize(missing_message_.size() - 2);
    for (const auto& key_manager : state_->key_managers()) {
      const bool allowed = security.key_managers.empty() ||
                           std::ranges::find(security.key_managers, key_manager->name()) !=
                               security.key_managers.end();
      if (!allowed) continue;
      allowed_.push_back(key_manager.get());
      if (key_manager->introspects()) introspectors_.push_back(key_manager.get());
    }
  }

  Phase phase() const override { return Phase::authentication; }

  Verdict on_request(Exchange& exchange) const override {
    const CertificateCheck certificate = check_certificate(exchange);
    if (!certificate.reason.empty()) {
      return refuse(exchange, failure(AuthFailure::invalid_credentials, certificate.reason));
    }
    if (mutual_tls_mandatory_ && !certificate.trusted) {
      return refuse(exchange, failure(AuthFailure::invalid_credentials,
                                      "this API needs a trusted client certificate"));
    }
    const auth::Credentials credentials = auth::find_credentials(*exchange.request, sources_);
    switch (credentials.kind) {
      case auth::CredentialKind::none:
        if (certificate.trusted && !application_mandatory_) {
          return admit_certificate(exchange, certificate);
        }
        return refuse(exchange, failure(AuthFailure::missing_credentials, missing_message_));
      case auth::CredentialKind::malformed:
        return refuse(exchange,
                      failure(AuthFailure::invalid_credentials, std::string(credentials.problem)));
      case auth::CredentialKind::bearer: {
        const security::TokenDigest digest = jose::sha256(credentials.token);
        if (PrincipalPtr principal =
                state_->token_cache().find(digest, security::TokenCache::Clock::now())) {
          return admit_unless_revoked(exchange, digest, std::move(principal), credentials);
        }
        state(exchange) = {credentials.token, digest};
        return Verdict::wait;
      }
      case auth::CredentialKind::basic:
        return basic_auth(exchange, credentials);
      case auth::CredentialKind::api_key:
        return api_key(exchange, credentials);
    }
    return Verdict::proceed;
  }

  asio::awaitable<Verdict> on_request_async(Exchange& exchange) const override {
    const PendingBearer& pending = state(exchange);
    auto principal =
        co_await security::validate_bearer(*state_, pending.token, pending.digest, introspectors_);
    if (!principal) co_return refuse(exchange, principal.error());
    const auth::Credentials credentials{.kind = auth::CredentialKind::bearer,
                                        .token = pending.token};
    co_return admit_unless_revoked(exchange, pending.digest, std::move(*principal), credentials);
  }

 private:
  struct CertificateCheck {
    bool trusted = false;
    std::string subject;
    std::string reason;  // set when a certificate was presented and is not trusted
  };

  // The client certificate, from the TLS connection or a trusted proxy's header, against this
  // API's trust. No certificate is not an error here: the groups decide whether one is needed.
  CertificateCheck check_certificate(const Exchange& exchange) const {
    if (!certificates_) return {};
    std::string from_header;
    std::string_view der;
    if (exchange.tls && !exchange.tls->certificate_der.empty()) {
      der = exchange.tls->certificate_der;
    } else if (const http::Header* header =
                   http::find_header(exchange.request->headers, certificates_->header())) {
      from_header = certificates_->from_header(exchange.client_address, header->value);
      der = from_header;
    }
    if (der.empty()) return {};
    auto trusted = certificates_->check(der);
    if (!trusted) return {.trusted = false, .subject = {}, .reason = trusted.error()};
    return {.trusted = true, .subject = std::move(trusted->subject), .reason = {}};
  }

  Verdict admit_certificate(Exchange& exchange, const CertificateCheck& certificate) const {
    auto principal = std::make_shared<security::Principal>();
    principal->scheme = Scheme::mutual_tls;
    principal->subject = certificate.subject;
    return admit(exchange, std::move(principal), auth::Credentials{});
  }

  Verdict basic_auth(Exchange& exchange, const auth::Credentials& credentials) const {
    const identity::StoredUser* user =
        state_->credential_cache().verify(state_->users(), credentials.user, credentials.password,
                                          identity::CredentialCache::Clock::now());
    if (!user) {
      return refuse(exchange,
                    failure(AuthFailure::invalid_credentials, "wrong user name or password"));
    }
    auto principal = std::make_shared<security::Principal>();
    principal->scheme = Scheme::basic_auth;
    principal->subject = user->name;
    principal->scopes = state_->scopes_of(user->roles);
    return admit(exchange, std::move(principal), credentials);
  }

  // API keys are verified with the gateway's own key: no I/O, so no waiting.
  Verdict api_key(Exchange& exchange, const auth::Credentials& credentials) const {
    const security::TokenDigest digest = jose::sha256(credentials.token);
    const auto now = security::TokenCache::Clock::now();
    PrincipalPtr principal = state_->token_cache().find(digest, now);
    if (!principal) {
      auto verified =
          state_->api_key_verifier()->verify(credentials.token, security::epoch_seconds());
      if (!verified) {
        return refuse(exchange,
                      failure(AuthFailure::invalid_credentials,
                              "API key: " + std::string(jose::to_string(verified.error()))));
      }
      auto made = std::make_shared<security::Principal>();
      made->scheme = Scheme::api_key;
      made->subject = verified->subject;
      made->client_id = verified->application_id;
      made->key_type = verified->key_type;
      made->token_id = verified->jti;
      made->expires_at = verified->expires_at;
      made->claims = verified->claims;
      made->api_key = std::make_shared<const tokens::ApiKeyClaims>(std::move(*verified));
      state_->token_cache().insert(
          digest, made, security::cache_expiry(made->expires_at, security::epoch_seconds(), now),
          now);
      principal = std::move(made);
    }
    return admit_unless_revoked(exchange, digest, std::move(principal), credentials);
  }

  // A revoked token stays in the token cache: refusing it then costs a lookup, not a validation.
  Verdict admit_unless_revoked(Exchange& exchange, const security::TokenDigest& digest,
                               PrincipalPtr principal, const auth::Credentials& credentials) const {
    if (revocations_ && revocations_->revoked(digest, principal->token_id)) {
      return refuse(exchange,
                    failure(AuthFailure::invalid_credentials, "the token has been revoked"));
    }
    return admit(exchange, std::move(principal), credentials);
  }

  // What the caller may do here, once it is known who it is.
  Verdict admit(Exchange& exchange, PrincipalPtr principal,
                const auth::Credentials& credentials) const {
    if (principal->scheme == Scheme::oauth2 && !accepts_key_manager(principal->key_manager)) {
      return refuse(exchange, failure(AuthFailure::invalid_credentials,
                                      "tokens of key manager '" + principal->key_manager +
                                          "' are not accepted by this API"));
    }
    if (principal->api_key) {
      if (auto refused = check_api_key(exchange, *principal->api_key)) {
        return refuse(exchange, *refused);
      }
    }
    exchange.caller = security::owner_of(*principal, *exchange.subscriptions);
    if (principal->scheme == Scheme::oauth2 || principal->scheme == Scheme::api_key) {
      if (auto refused = check_subscription(exchange)) {
        return refuse(exchange, *refused);
      }
    }
    if (!scopes_.empty() && std::ranges::none_of(scopes_, [&](const std::string& s) {
          return principal->has_scope(s);
        })) {
      return refuse(exchange, failure(AuthFailure::scope_not_allowed,
                                      "the resource needs one of the scopes: " + scope_list()));
    }
    // The caller's credentials are not forwarded: the API's forwarding rules remove them on
    // every resource, `auth: none` ones too (proxy/forwarding.h).
    exchange.principal = std::move(principal);
    if (backend_jwt_) add_backend_jwt(exchange, credentials);
    return Verdict::proceed;
  }

  std::optional<AuthError> check_api_key(const Exchange& exchange,
                                         const tokens::ApiKeyClaims& key) const {
    if (!key.subscribed_to(api_label_)) {
      return failure(AuthFailure::resource_forbidden,
                     "the API key is not subscribed to " + api_label_);
    }
    if (!key.allows_ip(exchange.client_address)) {
      return failure(AuthFailure::resource_forbidden,
                     "the API key does not allow requests from this address");
    }
    const http::Header* referer = http::find_header(exchange.request->headers, "Referer");
    if (!key.allows_referrer(referer ? referer->value : std::string_view())) {
      return failure(AuthFailure::resource_forbidden,
                     "the API key does not allow requests from this referrer");
    }
    return std::nullopt;
  }

  // The signed JWT about the caller that the backend receives, one signature per caller and
  // JWT lifetime (cached per worker by the caller's credential).
  void add_backend_jwt(Exchange& exchange, const auth::Credentials& credentials) const {
    const security::Principal& principal = *exchange.principal;
    const std::string_view credential =
        credentials.kind == auth::CredentialKind::basic
            ? http::find_header(exchange.request->headers, "Authorization")->value
            : credentials.token;
    const tokens::BackendJwtCache::Key key{jose::sha256(credential), api_index_,
                                           exchange.subscriptions->generation()};
    const int64_t now = security::epoch_seconds();
    tokens::BackendJwtCache& cache = state_->backend_jwt_cache();
    // Added, not set: a received field of that name never reaches the backend anyway
    // (proxy/forwarding.h), and only CORS policies run before this one.
    if (const std::string* jwt = cache.find(key, now)) {
      exchange.request_edits.add.emplace_back(backend_jwt_->header, *jwt);
      return;
    }
    const identity::SubscriptionStore& store = *exchange.subscriptions;
    const tokens::ApiCall call{
        .name = api_name_,
        .version = api_version_,
        .context = api_context_,
        .subscription_tier = exchange.subscription ? store.tier_name(exchange.subscription->tier)
                                                   : std::string_view(),
        .application_tier = exchange.caller.application
                                ? store.tier_name(exchange.caller.application->tier)
                                : std::string_view()};
    const tokens::Caller caller{.subject = principal.subject,
                                .application = exchange.caller.application,
                                .key_type = exchange.caller.type,
                                .expires_at = principal.expires_at,
                                .claims = principal.claims.get()};
    auto jwt = state_->backend_jwt_builder()->build(caller, call, *backend_jwt_, now);
    if (!jwt) return;  // signing failed: the backend gets no JWT rather than the caller an error
    exchange.request_edits.add.emplace_back(backend_jwt_->header, jwt->jwt);
    cache.put(key, std::move(*jwt), now);
  }

  std::optional<AuthError> check_subscription(Exchange& exchange) const {
    const identity::StoredApplication* application = exchange.caller.application;
    if (!application) {
      return failure(AuthFailure::resource_forbidden,
                     "the token's client is not a registered application");
    }
    const identity::Admission admission =
        exchange.subscriptions->admit(application->index, api_id_, exchange.caller.type);
    switch (admission) {
      case identity::Admission::allowed:
        break;
      case identity::Admission::not_subscribed:
        return failure(AuthFailure::resource_forbidden,
                       "the application is not subscribed to " + api_label_);
      case identity::Admission::blocked:
        return failure(AuthFailure::api_blocked,
                       "the subscription to " + api_label_ + " is blocked");
      case identity::Admission::inactive:
        return failure(AuthFailure::subscription_inactive,
                       "the subscription to " + api_label_ + " is not active");
    }
    if (exchange.caller.type == identity::KeyType::sandbox && !has_sandbox_) {
      return failure(AuthFailure::wrong_token_type,
                     "a sandbox key, and " + api_label_ + " has no sandbox endpoints");
    }
    if (!application->allows_ip(exchange.client_address)) {
      return failure(AuthFailure::resource_forbidden,
                     "the application does not allow requests from this address");
    }
    const http::Header* referer = http::find_header(exchange.request->headers, "Referer");
    if (!application->allows_referrer(referer ? referer->value : std::string_view())) {
      return failure(AuthFailure::resource_forbidden,
                     "the application does not allow requests from this referrer");
    }
    exchange.subscription = exchange.subscriptions->find_subscription(application->index, api_id_);
    return std::nullopt;
  }

  bool accepts_key_manager(std::string_view name) const {
    return std::ranges::any_of(allowed_,
                               [&](const security::KeyManager* k) { return k->name() == name; });
  }

  std::string scope_list() const {
    std::string list;
    for (const std::string& scope : scopes_) list += (list.empty() ? "" : ", ") + scope;
    return list;
  }

  Verdict refuse(Exchange& exchange, const AuthError& error) const {
    exchange.auth_error = error.reason;
    exchange.local_response = pipeline::LocalResponse::from_error(security::to_api_error(error));
    const std::string challenge = challenge_scheme_.empty()
                                      ? std::string()
                                      : security::www_authenticate(error, challenge_scheme_);
    if (!challenge.empty())
      exchange.local_response->headers.emplace_back("WWW-Authenticate", challenge);
    return Verdict::respond;
  }

  std::shared_ptr<const security::SecurityState> state_;
  std::shared_ptr<const security::ClientCertificateTrust> certificates_;  // null: no mutual TLS
  std::shared_ptr<const security::Revocations> revocations_;              // null: none checked
  bool application_mandatory_ = true;
  bool mutual_tls_mandatory_ = false;
  std::string missing_message_;
  std::string api_name_;
  std::string api_version_;
  std::string api_context_;
  uint32_t api_index_;
  std::optional<config::BackendJwtConfig> backend_jwt_;
  std::string api_label_;
  identity::ApiId api_id_;
  std::vector<std::string> scopes_;
  bool has_sandbox_;
  auth::CredentialSources sources_;
  std::string_view challenge_scheme_;  // empty: no WWW-Authenticate
  std::vector<const security::KeyManager*> allowed_;
  std::vector<const security::KeyManager*> introspectors_;
};

}  // namespace

std::unique_ptr<const Policy> make_auth_policy(const AuthSettings& settings) {
  return std::make_unique<const AuthPolicy>(settings);
}

}  // namespace gatehouse::policies
