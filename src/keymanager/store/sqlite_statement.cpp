#include "keymanager/store/sqlite_statement.h"

#include <sqlite3.h>

#include <utility>

namespace gatehouse::keymanager {

Error store_error(sqlite3* db, std::string_view doing, std::string reason) {
  const char* file = sqlite3_db_filename(db, "main");
  std::string cause = "grant store ";
  cause += file != nullptr ? file : "(unknown file)";
  cause += ": ";
  cause += doing;
  return Error(ErrorKind::internal, ErrorSource::gateway, std::move(cause), std::move(reason));
}

Error sqlite_error(sqlite3* db, std::string_view doing) {
  return store_error(db, doing, sqlite3_errmsg(db));
}

Execution::Execution(sqlite3_stmt* statement) : statement_(statement), bind_status_(SQLITE_OK) {}

Execution::Execution(Execution&& other) noexcept
    : statement_(std::exchange(other.statement_, nullptr)),
      next_parameter_(other.next_parameter_),
      bind_status_(other.bind_status_) {}

Execution::~Execution() {
  if (statement_ == nullptr) return;
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
}

void Execution::bind_text(std::string_view value) {
  // SQLITE_TRANSIENT: SQLite copies the text, so a parameter may be a temporary.
  const int status = sqlite3_bind_text64(statement_, next_parameter_++, value.data(), value.size(),
                                         SQLITE_TRANSIENT, SQLITE_UTF8);
  if (bind_status_ == SQLITE_OK) bind_status_ = status;
}

void Execution::bind_integer(int64_t value) {
  const int status = sqlite3_bind_int64(statement_, next_parameter_++, value);
  if (bind_status_ == SQLITE_OK) bind_status_ = status;
}

StoreResult<bool> Execution::step() {
  sqlite3* db = sqlite3_db_handle(statement_);
  if (bind_status_ != SQLITE_OK) {
    return std::unexpected(sqlite_error(db, std::string("binding ") + sqlite3_sql(statement_)));
  }
  switch (sqlite3_step(statement_)) {
    case SQLITE_ROW:
      return true;
    case SQLITE_DONE:
      return false;
    default:
      return std::unexpected(sqlite_error(db, sqlite3_sql(statement_)));
  }
}

StoreResult<void> Execution::finish() {
  for (;;) {
    auto row = step();
    if (!row) return std::unexpected(std::move(row.error()));
    if (!*row) return {};
  }
}

int64_t Execution::changes() const {
  return sqlite3_changes64(sqlite3_db_handle(statement_));
}

std::string Execution::text(int column) const {
  const auto* bytes = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
  if (bytes == nullptr) return {};
  return std::string(bytes, static_cast<size_t>(sqlite3_column_bytes(statement_, column)));
}

int64_t Execution::integer(int column) const {
  return sqlite3_column_int64(statement_, column);
}

StoreResult<Statement> Statement::prepare(sqlite3* db, std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  // PERSISTENT: the statement lives as long as the store, and SQLite allocates it accordingly.
  if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &raw, nullptr) != SQLITE_OK) {
    return std::unexpected(sqlite_error(db, "preparing " + std::string(sql)));
  }
  Statement statement;
  statement.statement_.reset(raw);
  return statement;
}

void Statement::Finalize::operator()(sqlite3_stmt* statement) const {
  sqlite3_finalize(statement);
}

}  // namespace gatehouse::keymanager
