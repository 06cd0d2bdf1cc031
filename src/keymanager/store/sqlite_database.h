// The grant store's SQLite file, opened as the store needs it: created mode 0600 (it holds
// private signing keys), WAL journal, full sync (a crash loses no acknowledged write), a busy
// timeout, and its schema brought to the current version.
#pragma once

#include <memory>
#include <string>

#include "keymanager/store/grant_store.h"

struct sqlite3;

namespace gatehouse::keymanager {

struct CloseDatabase {
  void operator()(sqlite3* db) const;
};
using Database = std::unique_ptr<sqlite3, CloseDatabase>;

// One connection, for one thread at a time: it is opened without SQLite's own mutexes.
StoreResult<Database> open_database(const std::string& path);

}  // namespace gatehouse::keymanager
