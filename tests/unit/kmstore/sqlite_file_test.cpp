// The store's file: what survives closing it, who may read it, and what a bad file gives.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <fstream>
#include <string>

#include "keymanager/store/sqlite_grant_store.h"
#include "store_fixture.h"

namespace gatehouse::keymanager {
namespace {

using fixtures::authorization_code;
using fixtures::open_store;
using fixtures::refresh_token;
using fixtures::signing_key;

mode_t permissions_of(const std::string& path) {
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0) return 0;
  return status.st_mode & 0777;
}

// Runs SQL on the file through a connection of its own, as another program would; returns the
// first column of its first row ("" without one).
std::string run_sql(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  sqlite3_stmt* statement = nullptr;
  std::string value;
  if (sqlite3_open(path.c_str(), &db) == SQLITE_OK &&
      sqlite3_prepare_v2(db, sql, -1, &statement, nullptr) == SQLITE_OK &&
      sqlite3_step(statement) == SQLITE_ROW) {
    value = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return value;
}

// The schema version this build writes.
constexpr std::string_view current_version = "8";

// A store file as a build of schema `version` left it: one of this build's, `undo` run on it (the
// later steps' tables and columns taken away, what the old file held put in), its version set.
std::string older_file(const fixtures::TempDir& dir, int version,
                       std::initializer_list<const char*> undo) {
  const std::string path = dir.file("grants.db");
  open_store(path).reset();
  for (const char* sql : undo) run_sql(path, sql);
  run_sql(path, ("PRAGMA user_version=" + std::to_string(version)).c_str());
  return path;
}

TEST(SqliteFileTest, EverythingSurvivesClosingAndReopening) {
  fixtures::TempDir dir;
  const std::string path = dir.file("grants.db");
  {
    auto store = open_store(path);
    ASSERT_TRUE(store->put_refresh_token(refresh_token("hash-1")));
    ASSERT_TRUE(*store->rotate_refresh_token("hash-1", refresh_token("hash-2")));
    ASSERT_TRUE(store->put_code(authorization_code("code-1")));
    ASSERT_TRUE(store->redeem_code("code-1"));
    ASSERT_TRUE(store->put_consent({"alice", "client-1", "openid", 100}));
    ASSERT_TRUE(store->put_revocation({"jti-1", 2000}));
    ASSERT_TRUE(store->put_opaque_token(fixtures::opaque_token("opaque-1", "jti-2")));
    ASSERT_TRUE(store->put_signing_key(signing_key("kid-1", 100)));
    ASSERT_TRUE(store->retire_signing_key("kid-1", 150));
  }

  auto store = open_store(path);
  EXPECT_TRUE((*store->find_refresh_token("hash-1"))->used);
  EXPECT_FALSE((*store->find_refresh_token("hash-2"))->used);
  EXPECT_TRUE((*store->redeem_code("code-1"))->used);
  EXPECT_EQ((*store->find_consent("alice", "client-1"))->scope, "openid");
  EXPECT_EQ(store->revocations(0)->size(), 1u);
  EXPECT_EQ(store->opaque_tokens(0)->size(), 1u);
  auto keys = store->signing_keys();
  ASSERT_TRUE(keys);
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ((*keys)[0].retired_at, 150);
}

TEST(SqliteFileTest, FilesAreOwnerOnly) {
  fixtures::TempDir dir;
  const std::string path = dir.file("grants.db");
  auto store = open_store(path);
  ASSERT_TRUE(store->put_refresh_token(refresh_token("hash-1")));

  EXPECT_EQ(permissions_of(path), 0600u);
  // The WAL and its index hold the same data until a checkpoint.
  EXPECT_EQ(permissions_of(path + "-wal"), 0600u);
  EXPECT_EQ(permissions_of(path + "-shm"), 0600u);
}

TEST(SqliteFileTest, AnExistingFileIsMadeOwnerOnly) {
  fixtures::TempDir dir;
  const std::string path = dir.file("grants.db");
  open_store(path).reset();
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);

  auto store = open_store(path);
  EXPECT_EQ(permissions_of(path), 0600u);
}

TEST(SqliteFileTest, TheJournalIsWal) {
  fixtures::TempDir dir;
  const std::string path = dir.file("grants.db");
  open_store(path).reset();
  // WAL mode is recorded in the file: a fresh connection finds it.
  EXPECT_EQ(run_sql(path, "PRAGMA journal_mode"), "wal");
}

TEST(SqliteFileTest, BadPathGivesAnErrorNamingIt) {
  fixtures::TempDir dir;
  const std::string path = dir.file("missing-directory/grants.db");

  auto store = SqliteGrantStore::open(path);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().kind(), ErrorKind::internal);
  EXPECT_EQ(store.error().source(), ErrorSource::gateway);
  EXPECT_NE(store.error().describe().find(path), std::string::npos) << store.error().describe();
  EXPECT_NE(store.error().describe().find("No such file"), std::string::npos);
}

TEST(SqliteFileTest, AFileThatIsNotADatabaseGivesAnError) {
  fixtures::TempDir dir;
  const std::string path = dir.file("grants.db");
  { std::ofstream(path) << "not a database, but long enough to look like a header of one......"; }

  auto store = SqliteGrantStore::open(path);
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().describe().find(path), std::string::npos) << store.error().describe();
}

TEST(SqliteFileTest, AFileFromANewerSchemaIsRefused) {
  fixtures::TempDir dir;
  const std::string path = dir.file("grants.db");
  open_store(path).reset();
  run_sql(path, "PRAGMA user_version=99");

  auto store = SqliteGrantStore::open(path);
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().describe().find("version 99"), std::string::npos)
      << store.error().describe();
}

TEST(SqliteFileTest, ReopeningKeepsTheSchemaVersion) {
  fixtures::TempDir dir;
  const std::string path = dir.file("grants.db");
  open_store(path).reset();
  open_store(path).reset();

  EXPECT_EQ(run_sql(path, "PRAGMA user_version"), current_version);
}

TEST(SqliteFileTest, AVersionThreeFileGetsTheUsedAssertions) {
  fixtures::TempDir dir;
  const std::string path =
      older_file(dir, 3,
                 {"DROP TABLE applications", "DROP TABLE subscription_changes",
                  "DROP TABLE clients", "DROP TABLE opaque_tokens", "DROP TABLE used_assertions"});

  auto store = open_store(path);
  EXPECT_EQ(run_sql(path, "PRAGMA user_version"), current_version);
  const auto first = store->use_assertion({"client-1", "jti-1", 2000}, 1000);
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_TRUE(*first);
}

TEST(SqliteFileTest, AVersionFourFileGetsTheOpaqueTokens) {
  fixtures::TempDir dir;
  const std::string path = older_file(dir, 4,
                                      {"DROP TABLE applications", "DROP TABLE subscription_changes",
                                       "DROP TABLE clients", "DROP TABLE opaque_tokens"});

  auto store = open_store(path);
  EXPECT_EQ(run_sql(path, "PRAGMA user_version"), current_version);
  ASSERT_TRUE(store->put_opaque_token(fixtures::opaque_token("hash-1", "jti-1")));
  EXPECT_EQ(store->opaque_tokens(1000)->size(), 1u);
}

TEST(SqliteFileTest, AVersionFiveFileGetsTheRegisteredClients) {
  fixtures::TempDir dir;
  const std::string path = older_file(
      dir, 5, {"DROP TABLE applications", "DROP TABLE subscription_changes", "DROP TABLE clients"});

  auto store = open_store(path);
  EXPECT_EQ(run_sql(path, "PRAGMA user_version"), current_version);
  ASSERT_TRUE(*store->put_client(fixtures::registered_client("client-1", "app-1")));
  EXPECT_EQ(store->clients()->size(), 1u);
}

TEST(SqliteFileTest, AVersionSixFileGetsTheApplicationsAndSubscriptionChanges) {
  fixtures::TempDir dir;
  const std::string path = older_file(dir, 6,
                                      {"DROP TABLE applications", "DROP TABLE subscription_changes",
                                       "ALTER TABLE clients DROP COLUMN public_client",
                                       "ALTER TABLE clients DROP COLUMN registration_token_hash",
                                       "ALTER TABLE clients DROP COLUMN registration_metadata"});

  auto store = open_store(path);
  EXPECT_EQ(run_sql(path, "PRAGMA user_version"), current_version);
  ASSERT_TRUE(*store->put_application({"app-1", "Pizza", "alice", "Unlimited", 100}));
  ASSERT_TRUE(store->put_subscription_change({"app-1", "Pizza:1.0", false, "Gold", "UNBLOCKED"}));
  EXPECT_EQ(store->applications()->size(), 1u);
  EXPECT_EQ(store->subscription_changes()->size(), 1u);
}

TEST(SqliteFileTest, AVersionSevenFileKeepsItsClientsAsAdminMade) {
  fixtures::TempDir dir;
  const std::string path = dir.file("grants.db");
  open_store(path).reset();
  run_sql(path, "ALTER TABLE clients DROP COLUMN public_client");
  run_sql(path, "ALTER TABLE clients DROP COLUMN registration_token_hash");
  run_sql(path, "ALTER TABLE clients DROP COLUMN registration_metadata");
  run_sql(path,
          "INSERT INTO clients VALUES ('client-1', 'app-1', 'PRODUCTION', 'sha256:ab', "
          "'client_credentials', '', '', 'jwt', 3600, 86400, 100)");
  run_sql(path, "PRAGMA user_version=7");

  auto store = open_store(path);
  EXPECT_EQ(run_sql(path, "PRAGMA user_version"), current_version);
  const auto clients = store->clients();
  ASSERT_TRUE(clients) << clients.error().describe();
  ASSERT_EQ(clients->size(), 1u);
  EXPECT_FALSE(clients->front().public_client);
  EXPECT_EQ(clients->front().registration_token_hash, "");
  EXPECT_EQ(clients->front().secret_hash, "sha256:ab");
}

TEST(SqliteFileTest, AVersionOneFileIsMigratedWithItsData) {
  fixtures::TempDir dir;
  const std::string path = older_file(
      dir, 1,
      {// Back to what version 1 had: no family access tokens, codes without auth_time, no used
       // assertions; nor version 3's revoked families and device codes, nor version 5's opaque
       // tokens, nor version 6's clients, nor version 7's applications.
       "DROP TABLE family_access_tokens", "DROP TABLE used_assertions",
       "ALTER TABLE authorization_codes DROP COLUMN auth_time", "DROP TABLE revoked_families",
       "DROP TABLE device_codes", "DROP TABLE opaque_tokens", "DROP TABLE clients",
       "DROP TABLE applications", "DROP TABLE subscription_changes",
       "INSERT INTO authorization_codes VALUES "
       "('code-1', 'client-1', '', 'alice', 'openid', '', '', '', '', 2000000000, 0)"});

  auto store = open_store(path);
  EXPECT_EQ(run_sql(path, "PRAGMA user_version"), current_version);
  auto code = store->redeem_code("code-1");
  ASSERT_TRUE(code && code->has_value());
  EXPECT_EQ((*code)->subject, "alice");
  EXPECT_EQ((*code)->auth_time, 0);
  ASSERT_TRUE(store->put_family_access_token({"family-1", "jti-1", 2000}));
  EXPECT_EQ(store->revoke_family("family-1")->access_tokens.size(), 1u);
  EXPECT_FALSE(*store->put_family_access_token({"family-1", "jti-2", 2000}));
  EXPECT_TRUE(store->put_device_code(fixtures::device_code("device-1", "user-1")));
}

}  // namespace
}  // namespace gatehouse::keymanager
