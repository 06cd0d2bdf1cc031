// The grant store in one SQLite file (libsqlite3): the single-node store, embedded in the
// gateway's process.
//
// One connection, made for one thread: every call must come from the same thread at a time
// (the StoreThread, store_thread.h), as the connection is opened without SQLite's mutexes.
// Each call is one transaction, committed and synced before it returns.
#pragma once

#include <expected>
#include <memory>
#include <string>

#include "core/error.h"
#include "keymanager/store/grant_store.h"
#include "keymanager/store/sqlite_database.h"

namespace gatehouse::keymanager {

class SqliteGrantStore final : public GrantStore {
 public:
  // Opens the file at `path`, creating it (mode 0600) and its tables when missing.
  static std::expected<std::unique_ptr<SqliteGrantStore>, Error> open(const std::string& path);
  ~SqliteGrantStore() override;

  SqliteGrantStore(const SqliteGrantStore&) = delete;
  SqliteGrantStore& operator=(const SqliteGrantStore&) = delete;

  StoreResult<bool> put_refresh_token(const RefreshTokenRecord& record) override;
  StoreResult<std::optional<RefreshTokenRecord>> find_refresh_token(
      std::string_view token_hash) override;
  StoreResult<bool> rotate_refresh_token(std::string_view used_hash,
                                         const RefreshTokenRecord& next) override;
  StoreResult<bool> put_family_access_token(const FamilyAccessTokenRecord& record) override;
  StoreResult<RevokedFamily> revoke_family(std::string_view family) override;

  StoreResult<void> put_opaque_token(const OpaqueTokenRecord& record) override;
  StoreResult<std::vector<OpaqueTokenRecord>> opaque_tokens(UnixSeconds now) override;

  StoreResult<void> put_code(const AuthorizationCodeRecord& record) override;
  StoreResult<std::optional<AuthorizationCodeRecord>> redeem_code(
      std::string_view code_hash) override;
  StoreResult<void> set_code_family(std::string_view code_hash, std::string_view family) override;

  StoreResult<void> put_device_code(const DeviceCodeRecord& record) override;
  StoreResult<std::optional<DeviceCodeRecord>> find_device_code(
      std::string_view device_code_hash) override;
  StoreResult<std::optional<DeviceCodeRecord>> find_device_code_by_user_code(
      std::string_view user_code_hash) override;
  StoreResult<bool> decide_device_code(std::string_view user_code_hash, DeviceCodeStatus decision,
                                       std::string_view subject, UnixSeconds auth_time) override;
  StoreResult<void> record_device_poll(std::string_view device_code_hash, UnixSeconds polled_at,
                                       UnixSeconds interval, DeviceCodeStatus status) override;

  StoreResult<void> put_consent(const ConsentRecord& record) override;
  StoreResult<std::optional<ConsentRecord>> find_consent(std::string_view subject,
                                                         std::string_view client_id) override;

  StoreResult<void> put_revocation(const RevocationRecord& record) override;
  StoreResult<std::vector<RevocationRecord>> revocations(UnixSeconds now) override;

  StoreResult<bool> use_assertion(const UsedAssertionRecord& record, UnixSeconds now) override;

  StoreResult<void> put_signing_key(const SigningKeyRecord& record) override;
  StoreResult<std::vector<SigningKeyRecord>> signing_keys() override;
  StoreResult<void> retire_signing_key(std::string_view kid, UnixSeconds at) override;
  StoreResult<void> remove_signing_key(std::string_view kid) override;

  StoreResult<bool> put_client(const ClientRecord& record) override;
  StoreResult<bool> replace_client(const ClientRecord& record) override;
  StoreResult<bool> remove_client(std::string_view client_id) override;
  StoreResult<std::vector<ClientRecord>> clients() override;

  StoreResult<bool> put_application(const ApplicationRecord& record) override;
  StoreResult<bool> remove_application(std::string_view application_id) override;
  StoreResult<std::vector<ApplicationRecord>> applications() override;

  StoreResult<void> put_subscription_change(const SubscriptionChangeRecord& record) override;
  StoreResult<std::vector<SubscriptionChangeRecord>> subscription_changes() override;

  StoreResult<size_t> purge_expired(UnixSeconds now) override;

  // Every statement the calls run, prepared once at open (defined in the .cpp).
  struct Statements;

 private:
  SqliteGrantStore(Database db, std::unique_ptr<Statements> statements);

  // Runs `body` between BEGIN IMMEDIATE and COMMIT; rolls back when it fails.
  template <class Body>
  auto in_transaction(Body body) -> decltype(body());

  Database db_;                             // declared first: closed after the statements
  std::unique_ptr<Statements> statements_;  // never null
};

}  // namespace gatehouse::keymanager
