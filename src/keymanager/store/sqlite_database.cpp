#include "keymanager/store/sqlite_database.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "keymanager/store/sqlite_schema.h"
#include "keymanager/store/sqlite_statement.h"

namespace gatehouse::keymanager {
namespace {

// Another process (a `gatehouse` command beside the running gateway, a backup) may hold the
// file's lock for a moment; wait that long for it rather than fail the call.
constexpr int busy_timeout_ms = 5000;

Error open_error(const std::string& path, std::string_view doing, std::string reason) {
  return Error(ErrorKind::internal, ErrorSource::gateway,
               "grant store " + path + ": " + std::string(doing), std::move(reason));
}

// SQLite creates a database file with the process's default mode, and its -wal and -shm files
// with the database file's. Creating the file first, owner-only, keeps all three private; an
// existing file is narrowed to owner-only too, as it holds private keys.
StoreResult<void> create_private_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return std::unexpected(open_error(path, "opening", std::strerror(errno)));
  const bool narrowed = ::fchmod(fd, 0600) == 0;
  const int saved_errno = errno;
  ::close(fd);
  if (!narrowed) {
    return std::unexpected(open_error(path, "making it owner-only", std::strerror(saved_errno)));
  }
  return {};
}

StoreResult<void> pragma(sqlite3* db, const char* sql) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
    return std::unexpected(sqlite_error(db, sql));
  }
  return {};
}

// journal_mode answers with the mode it got, which is not WAL where the file system cannot
// share memory between processes.
StoreResult<void> use_wal(sqlite3* db) {
  auto statement = Statement::prepare(db, "PRAGMA journal_mode=WAL");
  if (!statement) return std::unexpected(std::move(statement.error()));
  auto execution = statement->execute();
  auto row = execution.step();
  if (!row) return std::unexpected(std::move(row.error()));
  if (!*row || execution.text(0) != "wal") {
    return std::unexpected(
        store_error(db, "switching to WAL mode", "the file system does not support it"));
  }
  return {};
}

}  // namespace

void CloseDatabase::operator()(sqlite3* db) const {
  sqlite3_close_v2(db);
}

StoreResult<Database> open_database(const std::string& path) {
  if (auto created = create_private_file(path); !created) {
    return std::unexpected(std::move(created.error()));
  }
  sqlite3* raw = nullptr;
  const int opened =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE, nullptr);
  Database db(raw);
  if (opened != SQLITE_OK) {
    return std::unexpected(
        open_error(path, "opening", db ? sqlite3_errmsg(db.get()) : sqlite3_errstr(opened)));
  }
  sqlite3_busy_timeout(db.get(), busy_timeout_ms);
  // FULL: in WAL mode, each commit is synced to the WAL before it returns, so an acknowledged
  // write survives a power cut too (NORMAL would keep it across a process crash only).
  if (auto synced = pragma(db.get(), "PRAGMA synchronous=FULL"); !synced) {
    return std::unexpected(std::move(synced.error()));
  }
  if (auto wal = use_wal(db.get()); !wal) return std::unexpected(std::move(wal.error()));
  if (auto migrated = migrate(db.get()); !migrated) {
    return std::unexpected(std::move(migrated.error()));
  }
  return db;
}

}  // namespace gatehouse::keymanager
