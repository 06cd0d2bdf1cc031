// The few SQLite calls the grant store makes, wrapped: a prepared statement kept for the
// connection's life, and one execution of it that binds, steps, reads columns and resets the
// statement when it ends. SQLite's own header stays in the .cpp files.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>

#include "core/error.h"
#include "keymanager/store/grant_store.h"

struct sqlite3;
struct sqlite3_stmt;

namespace gatehouse::keymanager {

// An Error about the store's file: names the file, what the store was doing, and why it failed.
Error store_error(sqlite3* db, std::string_view doing, std::string reason);
// The same for a failed SQLite call on `db`, with SQLite's message as the reason.
Error sqlite_error(sqlite3* db, std::string_view doing);

// One run of a prepared statement. The statement is reset when the execution ends, so that a
// read never holds its snapshot of the file (and with it the WAL's checkpoint) past the call.
class Execution {
 public:
  explicit Execution(sqlite3_stmt* statement);
  Execution(Execution&& other) noexcept;
  Execution(const Execution&) = delete;
  Execution& operator=(const Execution&) = delete;
  Execution& operator=(Execution&&) = delete;
  ~Execution();

  // Binds the next parameter (?1, ?2... in order). Integers and booleans as SQLite integers,
  // anything that converts to string_view as text. A failure shows at the first step.
  template <class T>
  void bind(const T& value) {
    if constexpr (std::is_integral_v<T>) {
      bind_integer(static_cast<int64_t>(value));
    } else {
      bind_text(std::string_view(value));
    }
  }

  // Steps once: true when a row is ready to read, false when the statement is done.
  StoreResult<bool> step();
  // Steps until the statement is done, for statements that change rather than read.
  StoreResult<void> finish();
  // Rows the last finished INSERT, UPDATE or DELETE changed.
  int64_t changes() const;

  // Columns of the current row, numbered from 0.
  std::string text(int column) const;
  int64_t integer(int column) const;

 private:
  void bind_text(std::string_view value);
  void bind_integer(int64_t value);

  sqlite3_stmt* statement_;
  int next_parameter_ = 1;
  int bind_status_;  // the first binding's failure, reported by step()
};

class Statement {
 public:
  Statement() = default;  // none yet: assigned a prepared one before use
  static StoreResult<Statement> prepare(sqlite3* db, std::string_view sql);

  // Starts an execution with these parameters.
  template <class... Params>
  Execution execute(const Params&... params) {
    Execution execution(statement_.get());
    (execution.bind(params), ...);
    return execution;
  }

 private:
  struct Finalize {
    void operator()(sqlite3_stmt* statement) const;
  };

  std::unique_ptr<sqlite3_stmt, Finalize> statement_;
};

}  // namespace gatehouse::keymanager
