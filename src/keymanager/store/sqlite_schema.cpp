#include "keymanager/store/sqlite_schema.h"

#include <sqlite3.h>

#include <array>
#include <string>
#include <utility>

#include "keymanager/store/sqlite_statement.h"

namespace gatehouse::keymanager {
namespace {

// Step i takes the schema from version i to i + 1. Append new steps; never edit one that has
// shipped, as files out there have had it. STRICT: a value of the wrong type is an error, not
// silently stored.
constexpr std::array migrations = {
    R"sql(
      CREATE TABLE refresh_tokens (
        token_hash TEXT PRIMARY KEY,
        family TEXT NOT NULL,
        client_id TEXT NOT NULL,
        subject TEXT NOT NULL,
        scope TEXT NOT NULL,
        context TEXT NOT NULL,
        issued_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX refresh_tokens_by_family ON refresh_tokens (family);

      CREATE TABLE authorization_codes (
        code_hash TEXT PRIMARY KEY,
        client_id TEXT NOT NULL,
        redirect_uri TEXT NOT NULL,
        subject TEXT NOT NULL,
        scope TEXT NOT NULL,
        code_challenge TEXT NOT NULL,
        code_challenge_method TEXT NOT NULL,
        nonce TEXT NOT NULL,
        family TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        used INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE consents (
        subject TEXT NOT NULL,
        client_id TEXT NOT NULL,
        scope TEXT NOT NULL,
        granted_at INTEGER NOT NULL,
        PRIMARY KEY (subject, client_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE revocations (
        token_id TEXT PRIMARY KEY,
        expires_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;

      -- A rowid table: its rowid orders keys created in the same second.
      CREATE TABLE signing_keys (
        kid TEXT NOT NULL UNIQUE,
        alg TEXT NOT NULL,
        private_pem TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        retired_at INTEGER NOT NULL
      ) STRICT;
    )sql",
    // The access tokens issued in each family, which revoking the family revokes; and when the
    // user of a code logged in, for its ID token.
    R"sql(
      CREATE TABLE family_access_tokens (
        family TEXT NOT NULL,
        jti TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (family, jti)
      ) STRICT, WITHOUT ROWID;

      ALTER TABLE authorization_codes ADD COLUMN auth_time INTEGER NOT NULL DEFAULT 0;
    )sql",
    // The families revoked, which no token may join afterwards (a grant still issuing when its
    // code was reused); and the device authorization grant's codes (RFC 8628), by the hashes of
    // the device code and of the user code.
    R"sql(
      CREATE TABLE revoked_families (
        family TEXT PRIMARY KEY,
        expires_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE device_codes (
        device_code_hash TEXT PRIMARY KEY,
        user_code_hash TEXT NOT NULL UNIQUE,
        client_id TEXT NOT NULL,
        scope TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'denied', 'redeemed')),
        subject TEXT NOT NULL,
        auth_time INTEGER NOT NULL,
        poll_interval INTEGER NOT NULL,
        last_polled_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
    )sql",
    // The jtis of the JWT assertions accepted (private_key_jwt, the JWT bearer grant, token
    // exchange), each until its assertion expires: a replay is refused.
    R"sql(
      CREATE TABLE used_assertions (
        issuer TEXT NOT NULL,
        jti TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (issuer, jti)
      ) STRICT, WITHOUT ROWID;
    )sql",
    // Opaque access tokens, by the token's hash: the claims (JSON) only this key manager resolves
    // them to. Their jti is what a family and a revocation record, hence its index.
    R"sql(
      CREATE TABLE opaque_tokens (
        token_hash TEXT PRIMARY KEY,
        jti TEXT NOT NULL UNIQUE,
        claims TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
    )sql",
    // The clients registered through the admin listener or a command, at most one per
    // application and key type.
    R"sql(
      CREATE TABLE clients (
        client_id TEXT PRIMARY KEY,
        application_id TEXT NOT NULL,
        key_type TEXT NOT NULL CHECK (key_type IN ('PRODUCTION', 'SANDBOX')),
        secret_hash TEXT NOT NULL,
        grant_types TEXT NOT NULL,
        scopes TEXT NOT NULL,
        redirect_uris TEXT NOT NULL,
        access_token_format TEXT NOT NULL CHECK (access_token_format IN ('jwt', 'opaque')),
        access_token_lifetime INTEGER NOT NULL,
        refresh_token_lifetime INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        UNIQUE (application_id, key_type)
      ) STRICT, WITHOUT ROWID;
    )sql",
    // The applications made through the admin listener or a command, and the listener's
    // subscription changes (a subscription put, or one of the config file's removed), kept on top
    // of the config file's across restarts. An owner names each of its applications once.
    R"sql(
      CREATE TABLE applications (
        application_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        owner TEXT NOT NULL,
        tier TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        UNIQUE (owner, name)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE subscription_changes (
        application_id TEXT NOT NULL,
        api TEXT NOT NULL,
        removed INTEGER NOT NULL CHECK (removed IN (0, 1)),
        tier TEXT NOT NULL,
        state TEXT NOT NULL,
        PRIMARY KEY (application_id, api)
      ) STRICT, WITHOUT ROWID;
    )sql",
    // Clients registered by themselves (RFC 7591): public ones have no secret; the hash of the
    // registration access token that reads, updates and deletes them (RFC 7592), and the
    // metadata they registered, as JSON.
    R"sql(
      ALTER TABLE clients ADD COLUMN public_client INTEGER NOT NULL DEFAULT 0
        CHECK (public_client IN (0, 1));
      ALTER TABLE clients ADD COLUMN registration_token_hash TEXT NOT NULL DEFAULT '';
      ALTER TABLE clients ADD COLUMN registration_metadata TEXT NOT NULL DEFAULT '';
    )sql",
};

StoreResult<void> run_script(sqlite3* db, const char* sql, std::string_view doing) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
    return std::unexpected(sqlite_error(db, doing));
  }
  return {};
}

StoreResult<int64_t> schema_version(sqlite3* db) {
  auto statement = Statement::prepare(db, "PRAGMA user_version");
  if (!statement) return std::unexpected(std::move(statement.error()));
  auto execution = statement->execute();
  auto row = execution.step();
  if (!row) return std::unexpected(std::move(row.error()));
  return *row ? execution.integer(0) : 0;
}

StoreResult<void> apply_missing_steps(sqlite3* db) {
  auto version = schema_version(db);
  if (!version) return std::unexpected(std::move(version.error()));
  const auto known = static_cast<int64_t>(migrations.size());
  if (*version > known) {
    return std::unexpected(store_error(db, "reading the schema",
                                       "version " + std::to_string(*version) +
                                           " is newer than this build's (" + std::to_string(known) +
                                           ")"));
  }
  for (int64_t step = *version; step < known; ++step) {
    const std::string doing = "migrating the schema to version " + std::to_string(step + 1);
    if (auto applied = run_script(db, migrations[step], doing); !applied) return applied;
  }
  if (*version == known) return {};
  const std::string set_version = "PRAGMA user_version=" + std::to_string(known);
  return run_script(db, set_version.c_str(), "setting the schema version");
}

}  // namespace

StoreResult<void> migrate(sqlite3* db) {
  // IMMEDIATE: the version is read under the write lock, so that two processes opening a new
  // file at once do not both create its tables.
  if (auto begun = run_script(db, "BEGIN IMMEDIATE", "starting the migration"); !begun) {
    return begun;
  }
  auto migrated = apply_missing_steps(db);
  if (!migrated) {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    return migrated;
  }
  return run_script(db, "COMMIT", "committing the migration");
}

}  // namespace gatehouse::keymanager
