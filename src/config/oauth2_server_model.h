// The `oauth2_server` section as written: the built-in key manager (WSO2's Resident Key Manager)
// that the gateway serves on its listeners, and the clients it issues tokens to. Plain data with
// its defaults, like model.h; the server layer turns it into the key manager's own settings, so
// that config knows nothing of the key manager.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/location.h"
#include "security/identity/records.h"

namespace gatehouse::config {

// The name under which the built-in key manager joins `key_managers`: what an application's keys
// and an API's `key_managers` write to accept its tokens.
inline constexpr std::string_view resident_key_manager = "resident";

// Public keys that sign JWTs given to the key manager, written inline (`jwks`: a list of JWKs)
// or in a file (`jwks_file`: a JWKS document), kept as the JSON text of a JWKS. Checked when read:
// every key a usable public key, none private or symmetric.
struct PublicKeysConfig {
  std::string jwks_json;  // {"keys": [...]}
  Location location;      // of `jwks` or `jwks_file`
};

// `trusted_issuers`: whose JWTs the JWT bearer grant and token exchange take as a user's identity.
struct TrustedIssuerConfig {
  std::string issuer;
  PublicKeysConfig keys;  // jwks or jwks_file; empty with jwks_uri
  std::string jwks_uri;   // where its keys are fetched from, in place of `keys`
  std::string audience;   // what their aud must contain; empty: the key manager's issuer
  std::string subject_claim = "sub";
  // How far ahead a JWT's exp may be: a longer-lived one is refused.
  std::chrono::milliseconds max_token_lifetime = std::chrono::hours(1);
  Location location;
};

// `access_token_format`: self-contained JWTs, or opaque strings that only this process resolves.
enum class AccessTokenFormat : uint8_t { jwt, opaque };

// The algorithm of the signing keys the key manager makes (its first, and at each rotation).
enum class SigningAlg : uint8_t { rs256, es256 };

// The one `tls_client_auth_*` key of a tls_client_auth client (RFC 8705 section 2.1.2): its
// certificate's subject (`subject_dn`, RFC 2253 text, compared exactly) or a subjectAltName entry
// of the type written (`san_dns`: compared without regard to case; `san_uri`, `san_email`:
// exactly; `san_ip`: as an address).
enum class CertificateNameKind : uint8_t { subject_dn, san_dns, san_uri, san_ip, san_email };

struct CertificateNameConfig {
  CertificateNameKind kind = CertificateNameKind::subject_dn;
  std::string value;  // as written; for san_ip the address's 4 (IPv4) or 16 (IPv6) bytes
};

struct OAuth2ClientConfig {
  std::string client_id;
  std::string secret_hash;     // "sha256:<64 hex>"; empty for a public client
  bool public_client = false;  // `public: true`: authenticates with its client_id alone
  // `token_endpoint_auth_method: private_key_jwt` with its `jwks` or `jwks_file`.
  std::optional<PublicKeysConfig> assertion_keys;
  // `token_endpoint_auth_method: tls_client_auth` with the name its certificate must have.
  std::optional<CertificateNameConfig> tls_client_auth;
  // `token_endpoint_auth_method: self_signed_tls_client_auth` (RFC 8705 section 2.2): the
  // certificates (DER) it may present, the x5c of its `jwks` or `jwks_file`.
  std::vector<std::string> self_signed_certificates;
  // RFC 8705 section 3; implied by either tls_client_auth method.
  bool certificate_bound_access_tokens = false;
  std::vector<std::string> audiences;  // a token exchange may address tokens to these
  std::vector<std::string> grant_types;
  std::vector<std::string> scopes;
  std::vector<std::string> redirect_uris;  // for the authorization_code grant, compared exactly
  std::string application;                 // the id of the application whose key this client is
  identity::KeyType key_type = identity::KeyType::production;
  std::optional<std::chrono::milliseconds> access_token_lifetime;   // absent: the section's
  std::optional<std::chrono::milliseconds> refresh_token_lifetime;  // absent: the section's
  AccessTokenFormat access_token_format = AccessTokenFormat::jwt;
  Location location;
};

// `registration`: clients that register themselves (RFC 7591) and manage their registration
// (RFC 7592) at /oauth2/register.
struct ClientRegistrationConfig {
  // The SHA-256 (32 bytes) of each initial access token that may register a client.
  std::vector<std::string> initial_token_digests;
  bool open = false;  // anyone may register, without an initial access token
  // What a registered client may ask for.
  std::vector<std::string> grant_types{"authorization_code", "refresh_token"};
  std::vector<std::string> scopes;
  // How many clients may have registered themselves at once: open registration is open to anyone.
  size_t max_clients = 1000;
  Location location;
};

struct OAuth2ServerConfig {
  std::string issuer;  // an http or https URL
  // The SQLite file of grants and signing keys, resolved against the config's directory.
  std::string store;
  std::chrono::milliseconds access_token_lifetime{3'600'000};
  std::chrono::milliseconds refresh_token_lifetime{86'400'000};
  // How long a device authorization's client waits between polls (RFC 8628 section 3.2).
  std::chrono::milliseconds device_code_interval{5'000};
  // How long a signing key signs before a new one replaces it; nullopt: never on schedule.
  std::optional<std::chrono::milliseconds> signing_key_rotation;
  SigningAlg signing_alg = SigningAlg::rs256;
  std::vector<OAuth2ClientConfig> clients;
  std::vector<TrustedIssuerConfig> trusted_issuers;
  std::optional<ClientRegistrationConfig> registration;  // absent: /oauth2/register is not served
  Location location;
};

}  // namespace gatehouse::config
