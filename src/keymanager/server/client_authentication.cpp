#include "keymanager/server/client_authentication.h"

#include <openssl/evp.h>

#include <boost/url/encoding_opts.hpp>
#include <boost/url/grammar/ci_string.hpp>
#include <boost/url/pct_string_view.hpp>

#include <optional>
#include <string>

#include "keymanager/server/assertion_replay.h"
#include "keymanager/server/attempt_limits.h"
#include "keymanager/server/client_assertion.h"
#include "keymanager/server/client_secret.h"
#include "keymanager/server/endpoint_paths.h"
#include "keymanager/server/tls_client_auth.h"

namespace gatehouse::keymanager {

namespace {

namespace urls = boost::urls;

struct Credentials {
  std::string client_id;
  std::string secret;
};

OAuthError invalid_client(std::string description) {
  return OAuthError{OAuthErrorCode::invalid_client, std::move(description)};
}

// Standard base64 with padding (RFC 7617 takes RFC 4648 section 4); nullopt when malformed.
std::optional<std::string> base64_decode(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) return std::nullopt;
  std::string decoded(text.size() / 4 * 3, '\0');
  const int size = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(decoded.data()),
                                   reinterpret_cast<const unsigned char*>(text.data()),
                                   static_cast<int>(text.size()));
  if (size < 0) return std::nullopt;
  // EVP_DecodeBlock counts the padding as zero bytes.
  const size_t padding = text.ends_with("==") ? 2 : text.ends_with('=') ? 1 : 0;
  decoded.resize(static_cast<size_t>(size) - padding);
  return decoded;
}

// RFC 6749 section 2.3.1: the id and secret are form-urlencoded before Basic encodes them.
std::optional<std::string> form_decode(std::string_view text) {
  const auto encoded = urls::make_pct_string_view(text);
  if (!encoded) return std::nullopt;
  urls::encoding_opts form_encoding;
  form_encoding.space_as_plus = true;
  return encoded->decode(form_encoding);
}

std::expected<Credentials, OAuthError> basic_credentials(std::string_view authorization) {
  constexpr std::string_view scheme = "Basic ";
  if (authorization.size() <= scheme.size() ||
      !urls::grammar::ci_is_equal(authorization.substr(0, scheme.size()), scheme)) {
    return std::unexpected(invalid_client("the Authorization header must use the Basic scheme"));
  }
  const size_t start = authorization.find_first_not_of(' ', scheme.size());
  const std::optional<std::string> decoded =
      start == std::string_view::npos ? std::nullopt : base64_decode(authorization.substr(start));
  const size_t colon = decoded ? decoded->find(':') : std::string::npos;
  if (colon == std::string::npos) {
    return std::unexpected(invalid_client("the Basic credentials are malformed"));
  }
  std::optional<std::string> id = form_decode(std::string_view(*decoded).substr(0, colon));
  std::optional<std::string> secret = form_decode(std::string_view(*decoded).substr(colon + 1));
  if (!id || !secret || id->empty()) {
    return std::unexpected(invalid_client("the Basic credentials are malformed"));
  }
  return Credentials{std::move(*id), std::move(*secret)};
}

// The credentials the request presents by whichever one method it uses; an empty secret for a
// public client's client_id alone.
std::expected<Credentials, OAuthError> presented_credentials(const OAuthRequest& request,
                                                             const Form& form) {
  const std::optional<std::string_view> form_id = form.get("client_id");
  const std::optional<std::string_view> form_secret = form.get("client_secret");
  if (!request.authorization.empty()) {
    if (form_secret) {
      return std::unexpected(OAuthError{OAuthErrorCode::invalid_request,
                                        "the client authenticated by more than one method"});
    }
    auto basic = basic_credentials(request.authorization);
    if (basic && form_id && *form_id != basic->client_id) {
      return std::unexpected(OAuthError{OAuthErrorCode::invalid_request,
                                        "client_id differs from the Basic credentials"});
    }
    return basic;
  }
  if (!form_id) return std::unexpected(invalid_client("the client did not authenticate"));
  return Credentials{std::string(*form_id), std::string(form_secret.value_or(""))};
}

}  // namespace

std::expected<ClientPtr, OAuthError> authenticate_client(const OAuthRequest& request,
                                                         const Form& form,
                                                         const ClientDirectory& clients) {
  auto credentials = presented_credentials(request, form);
  if (!credentials) return std::unexpected(std::move(credentials.error()));
  const ClientPtr client = clients.find(credentials->client_id);
  if (client == nullptr) return std::unexpected(invalid_client("unknown client"));
  if (client->assertion_keys) {
    return std::unexpected(invalid_client("the client must authenticate with private_key_jwt"));
  }
  if (uses_tls_client_auth(*client)) {
    // RFC 8705 section 2: the client_id in the form names it, its certificate proves it.
    auto checked = check_tls_client_auth(request, *client, !credentials->secret.empty());
    if (!checked) return std::unexpected(std::move(checked.error()));
    return client;
  }
  if (client->public_client) {
    // A public client has no secret: one presented is a confusion of clients, not a credential.
    if (!credentials->secret.empty()) {
      return std::unexpected(invalid_client("a public client has no secret"));
    }
    return client;
  }
  if (credentials->secret.empty()) {
    return std::unexpected(invalid_client("the client must authenticate with its secret"));
  }
  if (!client_secret_matches(credentials->secret, client->secret_hash)) {
    return std::unexpected(invalid_client("client authentication failed"));
  }
  return client;
}

namespace {

// The client a request names, proven or not, whose failures it counts: the Basic or form
// client_id, else (private_key_jwt) the assertion's, which names it only in its unchecked
// payload and is counted under the address alone.
std::string claimed_client_id(const OAuthRequest& request, const Form& form) {
  const auto credentials = presented_credentials(request, form);
  return credentials ? credentials->client_id : std::string(form.get("client_id").value_or(""));
}

// private_key_jwt: the assertion checked, and then its jti recorded so that it is never taken
// again.
boost::asio::awaitable<std::expected<ClientPtr, OAuthError>> authenticate_by_assertion(
    const OAuthRequest& request, const Form& form, ServerContext& context) {
  if (!request.authorization.empty() || form.contains("client_secret")) {
    co_return std::unexpected(OAuthError{OAuthErrorCode::invalid_request,
                                         "the client authenticated by more than one method"});
  }
  // RFC 7523 section 3: the aud identifies this server; the token endpoint's URL does too, and
  // OpenID Connect clients send it, for the introspection and revocation endpoints as well.
  std::vector<std::string> audiences{
      context.settings().issuer, std::string(context.endpoint_base()) + std::string(paths::token)};
  const UnixSeconds now = context.now();
  auto checked = check_client_assertion(form, *context.clients(), std::move(audiences), now);
  if (!checked) co_return std::unexpected(std::move(checked.error()));
  const auto consumed =
      co_await consume_assertion(context, checked->assertion, now, OAuthErrorCode::invalid_client);
  if (!consumed) co_return std::unexpected(consumed.error());
  co_return checked->client;
}

}  // namespace

boost::asio::awaitable<std::expected<ClientRequest, OAuthError>> read_client_request(
    const OAuthRequest& request, std::string_view endpoint, ServerContext& context) {
  if (request.method != "POST") {
    co_return std::unexpected(OAuthError{OAuthErrorCode::invalid_request,
                                         "the " + std::string(endpoint) + " endpoint takes POST"});
  }
  auto form = parse_form(request);
  if (!form) co_return std::unexpected(std::move(form.error()));
  // Guessing a client's secret is slowed per address and per client (attempt_limits.h).
  const std::string claimed_id = claimed_client_id(request, *form);
  const std::string claimed = claimed_id.empty() ? std::string() : client_key(claimed_id);
  if (const int64_t wait = attempt_wait(context, request.client_ip, claimed); wait > 0) {
    co_return std::unexpected(shut_out_error(wait));
  }
  std::expected<ClientPtr, OAuthError> client;
  if (uses_client_assertion(*form)) {
    client = co_await authenticate_by_assertion(request, *form, context);
  } else {
    client = authenticate_client(request, *form, *context.clients());
  }
  if (!client) {
    if (client.error().code == OAuthErrorCode::invalid_client) {
      count_failure(context, request.client_ip, claimed);
    }
    co_return std::unexpected(client.error());
  }
  if (!claimed.empty()) context.failed_attempts().succeeded(claimed);
  co_return ClientRequest{std::move(*form), *client,
                          bound_certificate_thumbprint(request, **client)};
}

}  // namespace gatehouse::keymanager
