// What the key manager's tests share: a real SQLite grant store in a temporary directory on its
// StoreThread, a ServerContext with six clients and one user, a clock the test moves, requests
// as a client library sends them, and the tokens' verification by jose against the published JWKS.
#pragma once

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <exception>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "keymanager/server/client_secret.h"
#include "keymanager/server/oauth_message.h"
#include "keymanager/server/server_context.h"
#include "keymanager/server/signing_key.h"
#include "keymanager/store/sqlite_grant_store.h"
#include "keymanager/store/store_thread.h"
#include "security/identity/password_hash.h"
#include "security/identity/user_store.h"
#include "security/jose/claims.h"
#include "security/jose/jwk.h"
#include "security/jose/jws.h"
#include "security/jose/verify.h"
#include "support/temp_dir.h"

namespace gatehouse::keymanager::fixture {

namespace asio = boost::asio;
namespace json = boost::json;

inline constexpr std::string_view issuer = "https://km.example";
inline constexpr std::string_view downscope = "urn:gatehouse:grant-type:downscope";
// RFC 7636 appendix B's PKCE pair, and the app client's first redirect URI.
inline constexpr std::string_view verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
inline constexpr std::string_view challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
inline constexpr std::string_view app_uri = "https://app.example/cb";

// Runs a coroutine to its end on a fresh io_context (the store thread resumes it there).
template <class T>
T run(asio::awaitable<T> task) {
  asio::io_context io;
  std::optional<T> result;
  std::exception_ptr failure;
  asio::co_spawn(io, std::move(task), [&](std::exception_ptr error, T value) {
    failure = error;
    if (!error) result = std::move(value);
  });
  io.run();
  if (failure) std::rethrow_exception(failure);
  return std::move(*result);
}

inline void run(asio::awaitable<void> task) {
  asio::io_context io;
  std::exception_ptr failure;
  asio::co_spawn(io, std::move(task), [&](std::exception_ptr error) { failure = error; });
  io.run();
  if (failure) std::rethrow_exception(failure);
}

// application/x-www-form-urlencoded, as a client library writes it ('+' for spaces).
inline std::string form(
    std::initializer_list<std::pair<std::string_view, std::string_view>> fields) {
  boost::urls::url url;
  boost::urls::encoding_opts opts;
  opts.space_as_plus = true;
  for (const auto& [name, value] : fields) url.params(opts).append({name, value});
  return std::string(url.encoded_query());
}

inline std::string basic(std::string_view id, std::string_view secret) {
  const std::string credentials = std::string(id) + ":" + std::string(secret);
  std::string encoded(4 * ((credentials.size() + 2) / 3) + 1, '\0');
  const int size = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()),
                                   reinterpret_cast<const unsigned char*>(credentials.data()),
                                   static_cast<int>(credentials.size()));
  encoded.resize(static_cast<size_t>(size));
  return "Basic " + encoded;
}

// A request whose views point into its own strings.
struct Request {
  std::string body;
  std::string authorization;
  std::string content_type = "application/x-www-form-urlencoded";
  std::string method = "POST";
  std::string query;
  std::string cookie;  // one Cookie header field; empty: none
  std::string client_ip = "192.0.2.1";
  // The TLS client certificate (DER) and its subject; empty: none. Verified by the listener's
  // client CA unless said otherwise (an optional_no_ca listener's).
  std::string client_certificate;
  std::string client_certificate_subject;
  bool client_certificate_verified = true;

  OAuthRequest view() const {
    OAuthRequest request{.method = method,
                         .content_type = content_type,
                         .authorization = authorization,
                         .body = body,
                         .client_ip = client_ip,
                         .query = query,
                         .cookies = {},
                         .client_certificate = client_certificate,
                         .client_certificate_subject = client_certificate_subject,
                         .client_certificate_verified = client_certificate_verified};
    if (!cookie.empty()) request.cookies.push_back(cookie);
    return request;
  }
};

inline json::object body_of(const OAuthAnswer& answer) {
  return json::parse(answer.body).as_object();
}

inline std::string header(const OAuthAnswer& answer, std::string_view name) {
  for (const auto& [key, value] : answer.headers) {
    if (key == name) return value;
  }
  return {};
}

inline std::string string_member(const json::object& object, std::string_view name) {
  const json::value* value = object.if_contains(name);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

// What the browser pages hand back, as a browser reads them.
// The parameters of a redirect's Location; "" for a header named so but absent.
inline std::map<std::string, std::string> location_parameters(const OAuthAnswer& answer) {
  std::map<std::string, std::string> parameters;
  const std::string location = header(answer, "Location");
  const auto url = boost::urls::parse_uri(location);
  if (!url) return parameters;
  for (const auto& parameter : url->params()) parameters[parameter.key] = parameter.value;
  parameters["(target)"] = std::string(url->scheme()) + "://" +
                           std::string(url->encoded_host_and_port()) +
                           std::string(url->encoded_path());
  return parameters;
}

// The hidden pending request of a page.
inline std::string pending_of(const OAuthAnswer& page) {
  const std::string marker = "name=\"authorization_request\" value=\"";
  const size_t start = page.body.find(marker);
  if (start == std::string::npos) return {};
  const size_t from = start + marker.size();
  return page.body.substr(from, page.body.find('"', from) - from);
}

// "gatehouse_session=..." of a Set-Cookie, as the browser sends it back.
inline std::string cookie_of(const OAuthAnswer& answer) {
  const std::string set = header(answer, "Set-Cookie");
  return set.substr(0, set.find(';'));
}

class KeyManagerTest : public ::testing::Test {
 protected:
  struct Secrets {
    ClientSecret service = generate_client_secret();
    ClientSecret web = generate_client_secret();
    ClientSecret app = generate_client_secret();
  };

  KeyManagerTest() { start(); }

  // Opens the store (again, after a restart) and builds the context on it. A new store gets the
  // process's one RSA key, made at now_: generating one is most of what a start costs, and the
  // key manager makes its first key itself only when the store has none.
  void start() {
    context_.reset();
    store_.reset();
    auto opened = SqliteGrantStore::open(dir_.file("grants.db"));
    if (!opened) throw std::runtime_error(opened.error().describe());
    if (shares_signing_key_ && (*opened)->signing_keys()->empty()) {
      static const SigningKeyRecord shared = *generate_signing_key(jose::Alg::RS256, 0);
      SigningKeyRecord key = shared;
      key.created_at = now_;
      if (!(*opened)->put_signing_key(key)) throw std::runtime_error("no signing key stored");
    }
    store_ = std::make_unique<StoreThread>(std::move(*opened));
    auto context = ServerContext::create(
        settings(), *store_,
        [this](std::string_view jti, UnixSeconds expires_at) -> boost::asio::awaitable<void> {
          revoked_.emplace_back(std::string(jti), expires_at);
          co_return;
        },
        [this] { return now_; });
    if (!context) throw std::runtime_error(context.error());
    context_ = std::move(*context);
  }

  Settings settings() const {
    Settings settings{.issuer = std::string(issuer)};
    settings.users = &users_;
    settings.clients = {
        Client{.client_id = "service",
               .secret_hash = secrets_.service.hash,
               .grant_types = {"client_credentials", std::string(downscope)},
               .scopes = {"orders:read", "orders:write"}},
        Client{.client_id = "web",
               .secret_hash = secrets_.web.hash,
               .grant_types = {"password", "refresh_token"},
               .scopes = {"profile", "orders:read"}},
        Client{.client_id = "spa",
               .public_client = true,
               .grant_types = {"client_credentials", "refresh_token"},
               .scopes = {"profile"}},
        // The device authorization grant: a television, public.
        Client{.client_id = "tv",
               .public_client = true,
               .grant_types = {"urn:ietf:params:oauth:grant-type:device_code", "refresh_token"},
               .scopes = {"profile"}},
        // The authorization code grant: a confidential web application and a public native one.
        Client{.client_id = "app",
               .secret_hash = secrets_.app.hash,
               .grant_types = {"authorization_code", "refresh_token"},
               .scopes = {"profile", "orders:read"},
               .redirect_uris = {"https://app.example/cb", "https://app.example/cb?second=1"}},
        Client{.client_id = "native",
               .public_client = true,
               .grant_types = {"authorization_code"},
               .scopes = {"profile"},
               .redirect_uris = {"http://127.0.0.1:7000/cb"}},
    };
    settings.clients.insert(settings.clients.end(), extra_clients_.begin(), extra_clients_.end());
    settings.trusted_issuers = trusted_issuers_;
    settings.signing_key_rotation = signing_key_rotation_;
    settings.signing_alg = signing_alg_;
    return settings;
  }

  ServerContext& context() { return *context_; }

  // The claims of an access token, verified as a resource server would: its signature by the
  // published JWKS, its issuer and times.
  std::optional<json::object> verified_claims(const std::string& token) const {
    const auto keys = jose::parse_jwks(json::serialize(context_->keys()->jwks()));
    const auto jws = jose::decode_jws(token);
    if (!keys || !jws || !jose::verify(*jws, *keys)) return std::nullopt;
    if (!jose::check_claims(jws->payload(), {.issuer = std::string(issuer)}, now_)) {
      return std::nullopt;
    }
    return jws->payload();
  }

  // Hashed once per process: Argon2id is slow by design, and every test builds the store.
  static identity::UserStore make_users() {
    static const std::string hash = *identity::hash_password_argon2id("wonderland");
    auto users = identity::UserStore::build(
        {identity::User{.name = "alice", .password_hash = hash, .roles = {"buyer"}}});
    return std::move(*users);
  }

  test_support::TempDir dir_;
  Secrets secrets_;
  identity::UserStore users_ = make_users();
  UnixSeconds now_ = system_now();
  std::vector<std::pair<std::string, UnixSeconds>> revoked_;
  // A test's own clients and trusted issuers, beside the five above: set, then start() again.
  std::vector<Client> extra_clients_;
  std::vector<TrustedIssuer> trusted_issuers_;
  std::optional<std::chrono::seconds> signing_key_rotation_;
  jose::Alg signing_alg_ = jose::Alg::RS256;
  bool shares_signing_key_ = true;  // false: an empty store's key is the key manager's to make
  std::unique_ptr<StoreThread> store_;
  std::unique_ptr<ServerContext> context_;
};

}  // namespace gatehouse::keymanager::fixture
