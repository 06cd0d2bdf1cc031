#include "keymanager/store/sqlite_grant_store.h"

#include <sqlite3.h>

#include <utility>

#include "keymanager/store/sqlite_statement.h"

namespace gatehouse::keymanager {

struct SqliteGrantStore::Statements {
  Statement begin, commit, rollback;
  Statement insert_refresh_token, find_refresh_token, mark_refresh_token_used, delete_family;
  Statement insert_family_access_token, list_family_access_tokens, revoke_family_access_tokens,
      delete_family_access_tokens;
  Statement mark_family_revoked;
  Statement insert_opaque_token, list_opaque_tokens, list_family_opaque_tokens;
  Statement insert_code, find_code, mark_code_used, set_code_family;
  Statement insert_device_code, find_device_code, find_device_code_by_user_code, decide_device_code,
      record_device_poll;
  Statement upsert_consent, find_consent;
  Statement upsert_revocation, list_revocations;
  Statement insert_signing_key, list_signing_keys, retire_signing_key, delete_signing_key;
  Statement purge_refresh_tokens, purge_opaque_tokens, purge_codes, purge_revocations,
      purge_family_access_tokens, purge_device_codes, purge_revoked_families;
  Statement use_assertion, purge_used_assertions;
  Statement insert_client, replace_client, delete_client, list_clients;
  Statement insert_application, delete_application, delete_application_clients,
      delete_application_subscription_changes, list_applications;
  Statement upsert_subscription_change, list_subscription_changes;
};

namespace {

using Statements = SqliteGrantStore::Statements;

// Expired means expires_at <= now, in listing and in purging alike.
constexpr std::pair<Statement Statements::*, const char*> statement_sql[] = {
    // IMMEDIATE takes the write lock at once: a transaction that reads and then writes cannot
    // fail half-way because another process wrote in between.
    {&Statements::begin, "BEGIN IMMEDIATE"},
    {&Statements::commit, "COMMIT"},
    {&Statements::rollback, "ROLLBACK"},
    // Nothing joins a revoked family: the insert changes no row then.
    {&Statements::insert_refresh_token,
     "INSERT INTO refresh_tokens (token_hash, family, client_id, subject, scope, context, "
     "issued_at, expires_at, used) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 "
     "WHERE NOT EXISTS (SELECT 1 FROM revoked_families WHERE family = ?2)"},
    {&Statements::find_refresh_token,
     "SELECT token_hash, family, client_id, subject, scope, context, issued_at, expires_at, used "
     "FROM refresh_tokens WHERE token_hash = ?1"},
    // Only an unused token is marked: of two rotations of one token, the second changes nothing.
    {&Statements::mark_refresh_token_used,
     "UPDATE refresh_tokens SET used = 1 WHERE token_hash = ?1 AND used = 0"},
    {&Statements::delete_family, "DELETE FROM refresh_tokens WHERE family = ?1"},
    {&Statements::insert_family_access_token,
     "INSERT INTO family_access_tokens (family, jti, expires_at) SELECT ?1, ?2, ?3 "
     "WHERE NOT EXISTS (SELECT 1 FROM revoked_families WHERE family = ?1)"},
    {&Statements::list_family_access_tokens,
     "SELECT jti, expires_at FROM family_access_tokens WHERE family = ?1"},
    // As upsert_revocation, for each of the family's access tokens.
    {&Statements::revoke_family_access_tokens,
     "INSERT INTO revocations (token_id, expires_at) "
     "SELECT jti, expires_at FROM family_access_tokens WHERE family = ?1 "
     "ON CONFLICT (token_id) DO UPDATE SET expires_at = max(expires_at, excluded.expires_at)"},
    {&Statements::delete_family_access_tokens,
     "DELETE FROM family_access_tokens WHERE family = ?1"},
    // The mark only has to outlive a grant that was issuing when the family was revoked, which
    // takes seconds: a day, by the database's clock (revoke_family is not given the time).
    {&Statements::mark_family_revoked,
     "INSERT OR IGNORE INTO revoked_families (family, expires_at) "
     "VALUES (?1, CAST(strftime('%s', 'now') AS INTEGER) + 86400)"},
    {&Statements::insert_opaque_token,
     "INSERT INTO opaque_tokens (token_hash, jti, claims, expires_at) VALUES (?1, ?2, ?3, ?4)"},
    {&Statements::list_opaque_tokens,
     "SELECT token_hash, jti, claims, expires_at FROM opaque_tokens WHERE expires_at > ?1 "
     "AND NOT EXISTS (SELECT 1 FROM revocations WHERE token_id = opaque_tokens.jti)"},
    // Read before revoke_family_access_tokens' rows go.
    {&Statements::list_family_opaque_tokens,
     "SELECT token_hash FROM opaque_tokens "
     "WHERE jti IN (SELECT jti FROM family_access_tokens WHERE family = ?1)"},
    {&Statements::insert_code,
     "INSERT INTO authorization_codes (code_hash, client_id, redirect_uri, subject, scope, "
     "code_challenge, code_challenge_method, nonce, family, expires_at, used, auth_time) "
     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"},
    {&Statements::find_code,
     "SELECT code_hash, client_id, redirect_uri, subject, scope, code_challenge, "
     "code_challenge_method, nonce, family, expires_at, used, auth_time "
     "FROM authorization_codes WHERE code_hash = ?1"},
    {&Statements::mark_code_used, "UPDATE authorization_codes SET used = 1 WHERE code_hash = ?1"},
    {&Statements::set_code_family,
     "UPDATE authorization_codes SET family = ?2 WHERE code_hash = ?1"},
    {&Statements::insert_device_code,
     "INSERT INTO device_codes (device_code_hash, user_code_hash, client_id, scope, status, "
     "subject, auth_time, poll_interval, last_polled_at, expires_at) "
     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"},
    {&Statements::find_device_code,
     "SELECT device_code_hash, user_code_hash, client_id, scope, status, subject, auth_time, "
     "poll_interval, last_polled_at, expires_at FROM device_codes WHERE device_code_hash = ?1"},
    {&Statements::find_device_code_by_user_code,
     "SELECT device_code_hash, user_code_hash, client_id, scope, status, subject, auth_time, "
     "poll_interval, last_polled_at, expires_at FROM device_codes WHERE user_code_hash = ?1"},
    // Only a pending code takes an answer: the user's first answer stands.
    {&Statements::decide_device_code,
     "UPDATE device_codes SET status = ?2, subject = ?3, auth_time = ?4 "
     "WHERE user_code_hash = ?1 AND status = 'pending'"},
    {&Statements::record_device_poll,
     "UPDATE device_codes SET last_polled_at = ?2, poll_interval = ?3, status = ?4 "
     "WHERE device_code_hash = ?1"},
    {&Statements::upsert_consent,
     "INSERT INTO consents (subject, client_id, scope, granted_at) VALUES (?1, ?2, ?3, ?4) "
     "ON CONFLICT (subject, client_id) DO UPDATE "
     "SET scope = excluded.scope, granted_at = excluded.granted_at"},
    {&Statements::find_consent,
     "SELECT subject, client_id, scope, granted_at FROM consents "
     "WHERE subject = ?1 AND client_id = ?2"},
    // Revoking a token twice keeps it listed until the later of the two expiries.
    {&Statements::upsert_revocation,
     "INSERT INTO revocations (token_id, expires_at) VALUES (?1, ?2) "
     "ON CONFLICT (token_id) DO UPDATE SET expires_at = max(expires_at, excluded.expires_at)"},
    {&Statements::list_revocations,
     "SELECT token_id, expires_at FROM revocations WHERE expires_at > ?1"},
    {&Statements::insert_signing_key,
     "INSERT INTO signing_keys (kid, alg, private_pem, created_at, retired_at) "
     "VALUES (?1, ?2, ?3, ?4, ?5)"},
    {&Statements::list_signing_keys,
     "SELECT kid, alg, private_pem, created_at, retired_at FROM signing_keys "
     "ORDER BY created_at, rowid"},
    // A key keeps the time it was first retired: retiring it again must not lengthen the time
    // it stays in the JWKS.
    {&Statements::retire_signing_key,
     "UPDATE signing_keys SET retired_at = ?2 WHERE kid = ?1 AND retired_at = 0"},
    {&Statements::delete_signing_key, "DELETE FROM signing_keys WHERE kid = ?1"},
    {&Statements::purge_refresh_tokens, "DELETE FROM refresh_tokens WHERE expires_at <= ?1"},
    {&Statements::purge_opaque_tokens, "DELETE FROM opaque_tokens WHERE expires_at <= ?1"},
    {&Statements::purge_codes, "DELETE FROM authorization_codes WHERE expires_at <= ?1"},
    {&Statements::purge_revocations, "DELETE FROM revocations WHERE expires_at <= ?1"},
    {&Statements::purge_family_access_tokens,
     "DELETE FROM family_access_tokens WHERE expires_at <= ?1"},
    {&Statements::purge_device_codes, "DELETE FROM device_codes WHERE expires_at <= ?1"},
    {&Statements::purge_revoked_families, "DELETE FROM revoked_families WHERE expires_at <= ?1"},
    // Inserts a new jti, or takes over one whose assertion expired before it was purged; leaves
    // a live one alone, so that changes() is 0 for a replay.
    {&Statements::use_assertion,
     "INSERT INTO used_assertions (issuer, jti, expires_at) VALUES (?1, ?2, ?3) "
     "ON CONFLICT (issuer, jti) DO UPDATE SET expires_at = excluded.expires_at "
     "WHERE used_assertions.expires_at <= ?4"},
    {&Statements::purge_used_assertions, "DELETE FROM used_assertions WHERE expires_at <= ?1"},
    // A taken client id or key type changes no row (a bad value is still an error).
    {&Statements::insert_client,
     "INSERT INTO clients (client_id, application_id, key_type, secret_hash, grant_types, "
     "scopes, redirect_uris, access_token_format, access_token_lifetime, refresh_token_lifetime, "
     "created_at, public_client, registration_token_hash, registration_metadata) "
     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "
     "ON CONFLICT DO NOTHING"},
    // The application and key type a client id was registered for never change.
    {&Statements::replace_client,
     "UPDATE clients SET secret_hash = ?4, grant_types = ?5, scopes = ?6, redirect_uris = ?7, "
     "access_token_format = ?8, access_token_lifetime = ?9, refresh_token_lifetime = ?10, "
     "public_client = ?11, registration_token_hash = ?12, registration_metadata = ?13 "
     "WHERE client_id = ?1 AND application_id = ?2 AND key_type = ?3"},
    {&Statements::delete_client, "DELETE FROM clients WHERE client_id = ?1"},
    {&Statements::list_clients,
     "SELECT client_id, application_id, key_type, secret_hash, grant_types, scopes, "
     "redirect_uris, access_token_format, access_token_lifetime, refresh_token_lifetime, "
     "created_at, public_client, registration_token_hash, registration_metadata FROM clients "
     "ORDER BY application_id, key_type"},
    // A taken id, or an owner's taken name, changes no row.
    {&Statements::insert_application,
     "INSERT INTO applications (application_id, name, owner, tier, created_at) "
     "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING"},
    {&Statements::delete_application, "DELETE FROM applications WHERE application_id = ?1"},
    {&Statements::delete_application_clients, "DELETE FROM clients WHERE application_id = ?1"},
    {&Statements::delete_application_subscription_changes,
     "DELETE FROM subscription_changes WHERE application_id = ?1"},
    {&Statements::list_applications,
     "SELECT application_id, name, owner, tier, created_at FROM applications "
     "ORDER BY application_id"},
    {&Statements::upsert_subscription_change,
     "INSERT INTO subscription_changes (application_id, api, removed, tier, state) "
     "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (application_id, api) DO UPDATE "
     "SET removed = excluded.removed, tier = excluded.tier, state = excluded.state"},
    {&Statements::list_subscription_changes,
     "SELECT application_id, api, removed, tier, state FROM subscription_changes "
     "ORDER BY application_id, api"},
};

StoreResult<std::unique_ptr<Statements>> prepare_statements(sqlite3* db) {
  auto statements = std::make_unique<Statements>();
  for (const auto& [member, sql] : statement_sql) {
    auto prepared = Statement::prepare(db, sql);
    if (!prepared) return std::unexpected(std::move(prepared.error()));
    (*statements).*member = std::move(*prepared);
  }
  return statements;
}

RefreshTokenRecord read_refresh_token(const Execution& row) {
  return RefreshTokenRecord{
      .token_hash = row.text(0),
      .family = row.text(1),
      .client_id = row.text(2),
      .subject = row.text(3),
      .scope = row.text(4),
      .context = row.text(5),
      .issued_at = row.integer(6),
      .expires_at = row.integer(7),
      .used = row.integer(8) != 0,
  };
}

AuthorizationCodeRecord read_code(const Execution& row) {
  return AuthorizationCodeRecord{
      .code_hash = row.text(0),
      .client_id = row.text(1),
      .redirect_uri = row.text(2),
      .subject = row.text(3),
      .scope = row.text(4),
      .code_challenge = row.text(5),
      .code_challenge_method = row.text(6),
      .nonce = row.text(7),
      .family = row.text(8),
      .expires_at = row.integer(9),
      .used = row.integer(10) != 0,
      .auth_time = row.integer(11),
  };
}

std::string_view device_status_name(DeviceCodeStatus status) {
  switch (status) {
    case DeviceCodeStatus::pending:
      return "pending";
    case DeviceCodeStatus::approved:
      return "approved";
    case DeviceCodeStatus::denied:
      return "denied";
    case DeviceCodeStatus::redeemed:
      return "redeemed";
  }
  return "pending";
}

// The table's CHECK admits only the four names.
DeviceCodeStatus device_status_of(std::string_view name) {
  if (name == "approved") return DeviceCodeStatus::approved;
  if (name == "denied") return DeviceCodeStatus::denied;
  if (name == "redeemed") return DeviceCodeStatus::redeemed;
  return DeviceCodeStatus::pending;
}

DeviceCodeRecord read_device_code(const Execution& row) {
  return DeviceCodeRecord{
      .device_code_hash = row.text(0),
      .user_code_hash = row.text(1),
      .client_id = row.text(2),
      .scope = row.text(3),
      .status = device_status_of(row.text(4)),
      .subject = row.text(5),
      .auth_time = row.integer(6),
      .interval = row.integer(7),
      .last_polled_at = row.integer(8),
      .expires_at = row.integer(9),
  };
}

// Runs a statement that changes rows; returns how many it changed.
StoreResult<size_t> changed_rows(Execution execution) {
  if (auto done = execution.finish(); !done) return std::unexpected(std::move(done.error()));
  return static_cast<size_t>(execution.changes());
}

// Whether the statement changed a row.
StoreResult<bool> changed_a_row(Execution execution) {
  auto changed = changed_rows(std::move(execution));
  if (!changed) return std::unexpected(std::move(changed.error()));
  return *changed > 0;
}

StoreResult<bool> insert_refresh_token(Statement& insert, const RefreshTokenRecord& record) {
  return changed_a_row(insert.execute(record.token_hash, record.family, record.client_id,
                                      record.subject, record.scope, record.context,
                                      record.issued_at, record.expires_at, record.used));
}

// The first row of `execution` read by `read`, or nullopt when it has none.
template <class Read>
auto first_row(Execution execution, Read read)
    -> StoreResult<std::optional<decltype(read(execution))>> {
  auto row = execution.step();
  if (!row) return std::unexpected(std::move(row.error()));
  if (!*row) return std::nullopt;
  return read(execution);
}

// Every row of `execution`, each read by `read`.
template <class Read>
auto all_rows(Execution execution, Read read)
    -> StoreResult<std::vector<decltype(read(execution))>> {
  std::vector<decltype(read(execution))> rows;
  for (;;) {
    auto row = execution.step();
    if (!row) return std::unexpected(std::move(row.error()));
    if (!*row) return rows;
    rows.push_back(read(execution));
  }
}

}  // namespace

std::expected<std::unique_ptr<SqliteGrantStore>, Error> SqliteGrantStore::open(
    const std::string& path) {
  auto db = open_database(path);
  if (!db) return std::unexpected(std::move(db.error()));
  auto statements = prepare_statements(db->get());
  if (!statements) return std::unexpected(std::move(statements.error()));
  return std::unique_ptr<SqliteGrantStore>(
      new SqliteGrantStore(std::move(*db), std::move(*statements)));
}

SqliteGrantStore::SqliteGrantStore(Database db, std::unique_ptr<Statements> statements)
    : db_(std::move(db)), statements_(std::move(statements)) {}

SqliteGrantStore::~SqliteGrantStore() = default;

template <class Body>
auto SqliteGrantStore::in_transaction(Body body) -> decltype(body()) {
  if (auto begun = statements_->begin.execute().finish(); !begun) {
    return std::unexpected(std::move(begun.error()));
  }
  auto result = body();
  if (result) {
    auto committed = statements_->commit.execute().finish();
    if (committed) return result;
    result = std::unexpected(std::move(committed.error()));
  }
  // After some failures (a full disk, an I/O error) SQLite has rolled back already, and this
  // ROLLBACK finds no transaction: nothing to do then.
  (void)statements_->rollback.execute().finish();
  return result;
}

StoreResult<bool> SqliteGrantStore::put_refresh_token(const RefreshTokenRecord& record) {
  return insert_refresh_token(statements_->insert_refresh_token, record);
}

StoreResult<std::optional<RefreshTokenRecord>> SqliteGrantStore::find_refresh_token(
    std::string_view token_hash) {
  return first_row(statements_->find_refresh_token.execute(token_hash), read_refresh_token);
}

StoreResult<bool> SqliteGrantStore::rotate_refresh_token(std::string_view used_hash,
                                                         const RefreshTokenRecord& next) {
  return in_transaction([&]() -> StoreResult<bool> {
    auto marked = changed_rows(statements_->mark_refresh_token_used.execute(used_hash));
    if (!marked) return std::unexpected(std::move(marked.error()));
    if (*marked == 0) return false;  // unknown, or used already: store nothing
    // A token of a revoked family was removed with it: the mark above changed nothing then.
    return insert_refresh_token(statements_->insert_refresh_token, next);
  });
}

StoreResult<bool> SqliteGrantStore::put_family_access_token(const FamilyAccessTokenRecord& record) {
  return changed_a_row(statements_->insert_family_access_token.execute(record.family, record.jti,
                                                                       record.expires_at));
}

StoreResult<RevokedFamily> SqliteGrantStore::revoke_family(std::string_view family) {
  return in_transaction([&]() -> StoreResult<RevokedFamily> {
    RevokedFamily revoked;
    auto removed = changed_rows(statements_->delete_family.execute(family));
    if (!removed) return std::unexpected(std::move(removed.error()));
    revoked.refresh_tokens = *removed;
    auto access_tokens =
        all_rows(statements_->list_family_access_tokens.execute(family), [](const Execution& row) {
          return RevocationRecord{.token_id = row.text(0), .expires_at = row.integer(1)};
        });
    if (!access_tokens) return std::unexpected(std::move(access_tokens.error()));
    revoked.access_tokens = std::move(*access_tokens);
    auto opaque = all_rows(statements_->list_family_opaque_tokens.execute(family),
                           [](const Execution& row) { return row.text(0); });
    if (!opaque) return std::unexpected(std::move(opaque.error()));
    revoked.opaque_token_hashes = std::move(*opaque);
    for (Statement Statements::*step :
         {&Statements::revoke_family_access_tokens, &Statements::delete_family_access_tokens,
          &Statements::mark_family_revoked}) {
      if (auto done = ((*statements_).*step).execute(family).finish(); !done) {
        return std::unexpected(std::move(done.error()));
      }
    }
    return revoked;
  });
}

StoreResult<void> SqliteGrantStore::put_opaque_token(const OpaqueTokenRecord& record) {
  return statements_->insert_opaque_token
      .execute(record.token_hash, record.jti, record.claims, record.expires_at)
      .finish();
}

StoreResult<std::vector<OpaqueTokenRecord>> SqliteGrantStore::opaque_tokens(UnixSeconds now) {
  return all_rows(statements_->list_opaque_tokens.execute(now), [](const Execution& row) {
    return OpaqueTokenRecord{.token_hash = row.text(0),
                             .jti = row.text(1),
                             .claims = row.text(2),
                             .expires_at = row.integer(3)};
  });
}

StoreResult<void> SqliteGrantStore::put_code(const AuthorizationCodeRecord& record) {
  return statements_->insert_code
      .execute(record.code_hash, record.client_id, record.redirect_uri, record.subject,
               record.scope, record.code_challenge, record.code_challenge_method, record.nonce,
               record.family, record.expires_at, record.used, record.auth_time)
      .finish();
}

StoreResult<std::optional<AuthorizationCodeRecord>> SqliteGrantStore::redeem_code(
    std::string_view code_hash) {
  return in_transaction([&]() -> StoreResult<std::optional<AuthorizationCodeRecord>> {
    auto found = first_row(statements_->find_code.execute(code_hash), read_code);
    if (!found || !*found || (*found)->used) return found;
    if (auto marked = statements_->mark_code_used.execute(code_hash).finish(); !marked) {
      return std::unexpected(std::move(marked.error()));
    }
    return found;
  });
}

StoreResult<void> SqliteGrantStore::set_code_family(std::string_view code_hash,
                                                    std::string_view family) {
  return statements_->set_code_family.execute(code_hash, family).finish();
}

StoreResult<void> SqliteGrantStore::put_device_code(const DeviceCodeRecord& record) {
  return statements_->insert_device_code
      .execute(record.device_code_hash, record.user_code_hash, record.client_id, record.scope,
               device_status_name(record.status), record.subject, record.auth_time, record.interval,
               record.last_polled_at, record.expires_at)
      .finish();
}

StoreResult<std::optional<DeviceCodeRecord>> SqliteGrantStore::find_device_code(
    std::string_view device_code_hash) {
  return first_row(statements_->find_device_code.execute(device_code_hash), read_device_code);
}

StoreResult<std::optional<DeviceCodeRecord>> SqliteGrantStore::find_device_code_by_user_code(
    std::string_view user_code_hash) {
  return first_row(statements_->find_device_code_by_user_code.execute(user_code_hash),
                   read_device_code);
}

StoreResult<bool> SqliteGrantStore::decide_device_code(std::string_view user_code_hash,
                                                       DeviceCodeStatus decision,
                                                       std::string_view subject,
                                                       UnixSeconds auth_time) {
  return changed_a_row(statements_->decide_device_code.execute(
      user_code_hash, device_status_name(decision), subject, auth_time));
}

StoreResult<void> SqliteGrantStore::record_device_poll(std::string_view device_code_hash,
                                                       UnixSeconds polled_at, UnixSeconds interval,
                                                       DeviceCodeStatus status) {
  return statements_->record_device_poll
      .execute(device_code_hash, polled_at, interval, device_status_name(status))
      .finish();
}

StoreResult<void> SqliteGrantStore::put_consent(const ConsentRecord& record) {
  return statements_->upsert_consent
      .execute(record.subject, record.client_id, record.scope, record.granted_at)
      .finish();
}

StoreResult<std::optional<ConsentRecord>> SqliteGrantStore::find_consent(
    std::string_view subject, std::string_view client_id) {
  return first_row(statements_->find_consent.execute(subject, client_id), [](const Execution& row) {
    return ConsentRecord{.subject = row.text(0),
                         .client_id = row.text(1),
                         .scope = row.text(2),
                         .granted_at = row.integer(3)};
  });
}

StoreResult<void> SqliteGrantStore::put_revocation(const RevocationRecord& record) {
  return statements_->upsert_revocation.execute(record.token_id, record.expires_at).finish();
}

StoreResult<std::vector<RevocationRecord>> SqliteGrantStore::revocations(UnixSeconds now) {
  return all_rows(statements_->list_revocations.execute(now), [](const Execution& row) {
    return RevocationRecord{.token_id = row.text(0), .expires_at = row.integer(1)};
  });
}

StoreResult<bool> SqliteGrantStore::use_assertion(const UsedAssertionRecord& record,
                                                  UnixSeconds now) {
  auto changed = changed_rows(
      statements_->use_assertion.execute(record.issuer, record.jti, record.expires_at, now));
  if (!changed) return std::unexpected(std::move(changed.error()));
  return *changed == 1;
}

StoreResult<void> SqliteGrantStore::put_signing_key(const SigningKeyRecord& record) {
  return statements_->insert_signing_key
      .execute(record.kid, record.alg, record.private_pem, record.created_at, record.retired_at)
      .finish();
}

StoreResult<std::vector<SigningKeyRecord>> SqliteGrantStore::signing_keys() {
  return all_rows(statements_->list_signing_keys.execute(), [](const Execution& row) {
    return SigningKeyRecord{.kid = row.text(0),
                            .alg = row.text(1),
                            .private_pem = row.text(2),
                            .created_at = row.integer(3),
                            .retired_at = row.integer(4)};
  });
}

StoreResult<void> SqliteGrantStore::retire_signing_key(std::string_view kid, UnixSeconds at) {
  return statements_->retire_signing_key.execute(kid, at).finish();
}

StoreResult<void> SqliteGrantStore::remove_signing_key(std::string_view kid) {
  return statements_->delete_signing_key.execute(kid).finish();
}

StoreResult<bool> SqliteGrantStore::put_client(const ClientRecord& record) {
  return changed_a_row(statements_->insert_client.execute(
      record.client_id, record.application_id, record.key_type, record.secret_hash,
      record.grant_types, record.scopes, record.redirect_uris, record.access_token_format,
      record.access_token_lifetime, record.refresh_token_lifetime, record.created_at,
      record.public_client, record.registration_token_hash, record.registration_metadata));
}

StoreResult<bool> SqliteGrantStore::replace_client(const ClientRecord& record) {
  return changed_a_row(statements_->replace_client.execute(
      record.client_id, record.application_id, record.key_type, record.secret_hash,
      record.grant_types, record.scopes, record.redirect_uris, record.access_token_format,
      record.access_token_lifetime, record.refresh_token_lifetime, record.public_client,
      record.registration_token_hash, record.registration_metadata));
}

StoreResult<bool> SqliteGrantStore::remove_client(std::string_view client_id) {
  return changed_a_row(statements_->delete_client.execute(client_id));
}

StoreResult<std::vector<ClientRecord>> SqliteGrantStore::clients() {
  return all_rows(statements_->list_clients.execute(), [](const Execution& row) {
    return ClientRecord{.client_id = row.text(0),
                        .application_id = row.text(1),
                        .key_type = row.text(2),
                        .secret_hash = row.text(3),
                        .grant_types = row.text(4),
                        .scopes = row.text(5),
                        .redirect_uris = row.text(6),
                        .access_token_format = row.text(7),
                        .access_token_lifetime = row.integer(8),
                        .refresh_token_lifetime = row.integer(9),
                        .created_at = row.integer(10),
                        .public_client = row.integer(11) != 0,
                        .registration_token_hash = row.text(12),
                        .registration_metadata = row.text(13)};
  });
}

StoreResult<bool> SqliteGrantStore::put_application(const ApplicationRecord& record) {
  return changed_a_row(statements_->insert_application.execute(
      record.application_id, record.name, record.owner, record.tier, record.created_at));
}

StoreResult<bool> SqliteGrantStore::remove_application(std::string_view application_id) {
  return in_transaction([&]() -> StoreResult<bool> {
    auto removed = changed_a_row(statements_->delete_application.execute(application_id));
    // Without the application, the clients and changes of that id are another's to remove.
    if (!removed || !*removed) return removed;
    for (Statement Statements::*dependent :
         {&Statements::delete_application_clients,
          &Statements::delete_application_subscription_changes}) {
      if (auto done = ((*statements_).*dependent).execute(application_id).finish(); !done) {
        return std::unexpected(std::move(done.error()));
      }
    }
    return true;
  });
}

StoreResult<std::vector<ApplicationRecord>> SqliteGrantStore::applications() {
  return all_rows(statements_->list_applications.execute(), [](const Execution& row) {
    return ApplicationRecord{.application_id = row.text(0),
                             .name = row.text(1),
                             .owner = row.text(2),
                             .tier = row.text(3),
                             .created_at = row.integer(4)};
  });
}

StoreResult<void> SqliteGrantStore::put_subscription_change(
    const SubscriptionChangeRecord& record) {
  return statements_->upsert_subscription_change
      .execute(record.application_id, record.api, record.removed ? 1 : 0, record.tier, record.state)
      .finish();
}

StoreResult<std::vector<SubscriptionChangeRecord>> SqliteGrantStore::subscription_changes() {
  return all_rows(statements_->list_subscription_changes.execute(), [](const Execution& row) {
    return SubscriptionChangeRecord{.application_id = row.text(0),
                                    .api = row.text(1),
                                    .removed = row.integer(2) != 0,
                                    .tier = row.text(3),
                                    .state = row.text(4)};
  });
}

StoreResult<size_t> SqliteGrantStore::purge_expired(UnixSeconds now) {
  return in_transaction([&]() -> StoreResult<size_t> {
    size_t purged = 0;
    for (Statement Statements::*purge :
         {&Statements::purge_refresh_tokens, &Statements::purge_opaque_tokens,
          &Statements::purge_codes, &Statements::purge_revocations,
          &Statements::purge_family_access_tokens, &Statements::purge_device_codes,
          &Statements::purge_revoked_families, &Statements::purge_used_assertions}) {
      auto removed = changed_rows(((*statements_).*purge).execute(now));
      if (!removed) return removed;
      purged += *removed;
    }
    return purged;
  });
}

}  // namespace gatehouse::keymanager
