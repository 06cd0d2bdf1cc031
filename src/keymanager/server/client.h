// An OAuth2 client of the key manager: an application's consumer key, its secret's hash, and what
// it may ask for. Plain data: a later step fills it from the config file and the admin listener.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "security/identity/records.h"
#include "security/jose/jwk.h"

namespace gatehouse::keymanager {

// What a client's access tokens are: self-contained JWTs (RFC 9068) that anyone with the JWKS
// verifies, or opaque random strings that only this key manager (and the gateway in the same
// process) can resolve, which reveal nothing to whoever holds them.
enum class AccessTokenFormat : uint8_t { jwt, opaque };

// How a tls_client_auth client's certificate must name it (RFC 8705 section 2.1.2): by its subject
// or by one of its subjectAltName entries.
enum class CertificateNameType : uint8_t { subject_dn, san_dns, san_uri, san_ip, san_email };

struct CertificateName {
  CertificateNameType type = CertificateNameType::subject_dn;
  // subject_dn: RFC 2253 text (OpenSSL's XN_FLAG_RFC2253, most specific first:
  // "CN=shop,O=Example"), compared exactly. san_dns: a DNS name, compared without regard to case.
  // san_uri, san_email: compared exactly. san_ip: the address's 4 (IPv4) or 16 (IPv6) bytes, as the
  // certificate holds it.
  std::string value;
};

// A client that registered itself (RFC 7591), and manages its registration with the token it got
// then (RFC 7592).
struct SelfRegistration {
  std::string token_hash;  // "sha256:<hex>" of its registration access token
  std::string metadata;    // the metadata it registered, a JSON object
  int64_t issued_at = 0;   // client_id_issued_at: seconds since the epoch
};

struct Client {
  std::string client_id;
  // "sha256:<hex>" of the secret; empty for a public client. Secrets are long random strings that
  // the key manager generates (client_secret.h), so guessing one is as hopeless against a fast
  // hash as against a slow one, and a fast hash keeps every token request cheap.
  std::string secret_hash;
  bool public_client = false;  // authenticates with its client_id alone (token_endpoint_auth none)
  // private_key_jwt (RFC 7523 section 2.2): present, the client authenticates only by a JWT
  // signed with one of these public keys, and has neither secret nor public_client.
  std::optional<jose::KeySet> assertion_keys;
  // tls_client_auth (RFC 8705 section 2.1.2): present, the client authenticates only by a client
  // certificate that has this name; no secret, no assertion.
  std::optional<CertificateName> tls_client_auth;
  // self_signed_tls_client_auth (RFC 8705 section 2.2): not empty, the client authenticates only
  // by a client certificate with one of these x5t#S256 thumbprints, whoever issued it; no
  // secret, no assertion, no certificate name.
  std::vector<std::string> self_signed_thumbprints;
  // RFC 8705 section 3: its access tokens carry the thumbprint of the client certificate of the
  // connection it asked on (`cnf`), so that only that certificate's holder can use them. Always so
  // for both tls_client_auth methods.
  bool certificate_bound_access_tokens = false;
  std::vector<std::string> grant_types;    // "client_credentials", "refresh_token"...
  std::vector<std::string> scopes;         // what it may be granted
  std::vector<std::string> redirect_uris;  // exact matches, for the authorization code grant
  // What a token exchange may address its tokens to (RFC 8693 audience or resource), besides the
  // key manager's own audience.
  std::vector<std::string> audiences;
  std::chrono::seconds access_token_lifetime = std::chrono::hours(1);
  std::chrono::seconds refresh_token_lifetime = std::chrono::days(14);
  AccessTokenFormat access_token_format = AccessTokenFormat::jwt;
  std::string application_id;  // the application whose key this is (identity::Application::id)
  identity::KeyType key_type = identity::KeyType::production;
  // Present for a client that registered itself at /oauth2/register.
  std::optional<SelfRegistration> self_registration;

  bool may_use(std::string_view grant_type) const {
    return std::ranges::find(grant_types, grant_type) != grant_types.end();
  }
};

}  // namespace gatehouse::keymanager
