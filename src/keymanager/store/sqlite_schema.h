// The grant store's tables, and the steps that bring an older file's schema up to date.
#pragma once

#include "keymanager/store/grant_store.h"

struct sqlite3;

namespace gatehouse::keymanager {

// Brings the file's schema to the version this build knows (PRAGMA user_version counts the steps
// applied; a new file has had none), in one transaction. A file from a newer build is refused
// rather than written with an older idea of its tables.
StoreResult<void> migrate(sqlite3* db);

}  // namespace gatehouse::keymanager
