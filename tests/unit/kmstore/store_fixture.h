// What the grant store's tests share: a temporary directory for the SQLite file, opening a
// store in it, and records that differ only where a test says.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>

#include "keymanager/store/sqlite_grant_store.h"
#include "support/temp_dir.h"

namespace gatehouse::keymanager::fixtures {

using test_support::TempDir;

// Opens the store at `path`; a failure throws, which fails the test.
inline std::unique_ptr<SqliteGrantStore> open_store(const std::string& path) {
  auto store = SqliteGrantStore::open(path);
  if (!store) throw std::runtime_error("opening the store failed: " + store.error().describe());
  return std::move(*store);
}

inline RefreshTokenRecord refresh_token(std::string hash, std::string family = "family-1",
                                        UnixSeconds expires_at = 2'000'000'000) {
  return RefreshTokenRecord{.token_hash = std::move(hash),
                            .family = std::move(family),
                            .client_id = "client-1",
                            .subject = "alice",
                            .scope = "openid profile",
                            .context = R"({"auth_time":1700000000})",
                            .issued_at = 1'700'000'000,
                            .expires_at = expires_at};
}

inline AuthorizationCodeRecord authorization_code(std::string hash,
                                                  UnixSeconds expires_at = 2'000'000'000) {
  return AuthorizationCodeRecord{.code_hash = std::move(hash),
                                 .client_id = "client-1",
                                 .redirect_uri = "https://app.example/callback",
                                 .subject = "alice",
                                 .scope = "openid",
                                 .code_challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
                                 .code_challenge_method = "S256",
                                 .nonce = "n-0S6_WzA2Mj",
                                 .expires_at = expires_at,
                                 .auth_time = 1'700'000'000};
}

inline DeviceCodeRecord device_code(std::string hash, std::string user_code_hash,
                                    UnixSeconds expires_at = 2'000'000'000) {
  return DeviceCodeRecord{.device_code_hash = std::move(hash),
                          .user_code_hash = std::move(user_code_hash),
                          .client_id = "client-1",
                          .scope = "openid profile",
                          .expires_at = expires_at};
}

inline OpaqueTokenRecord opaque_token(std::string hash, std::string jti,
                                      UnixSeconds expires_at = 2'000'000'000) {
  return OpaqueTokenRecord{.token_hash = std::move(hash),
                           .jti = jti,
                           .claims = R"({"sub":"alice","jti":")" + jti + R"("})",
                           .expires_at = expires_at};
}

inline ClientRecord registered_client(std::string client_id, std::string application_id,
                                      std::string key_type = "PRODUCTION") {
  return ClientRecord{.client_id = std::move(client_id),
                      .application_id = std::move(application_id),
                      .key_type = std::move(key_type),
                      .secret_hash = "sha256:" + std::string(64, 'a'),
                      .grant_types = "client_credentials refresh_token",
                      .scopes = "read write",
                      .redirect_uris = "",
                      .access_token_format = "jwt",
                      .access_token_lifetime = 3600,
                      .refresh_token_lifetime = 86400,
                      .created_at = 100};
}

inline SigningKeyRecord signing_key(std::string kid, UnixSeconds created_at) {
  return SigningKeyRecord{.kid = std::move(kid),
                          .alg = "ES256",
                          .private_pem = "-----BEGIN PRIVATE KEY-----\n...\n",
                          .created_at = created_at};
}

}  // namespace gatehouse::keymanager::fixtures
