// The built-in key manager as the admin routes reach it: a real SQLite grant store in a
// temporary directory, on its thread, and a ServerContext on it; and the routes' JSON answers,
// read back. A new store gets the process's one RSA signing key: generating one is most of what
// a context's start costs.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "admin/admin_routes.h"
#include "keymanager/server/server_context.h"
#include "keymanager/server/signing_key.h"
#include "keymanager/store/sqlite_grant_store.h"
#include "keymanager/store/store_thread.h"
#include "support/temp_dir.h"

namespace gatehouse::admin::test_support_km {

class KeyManagerContext {
 public:
  explicit KeyManagerContext(keymanager::Settings settings) {
    auto opened = keymanager::SqliteGrantStore::open(store_path());
    if (!opened) throw std::runtime_error(opened.error().describe());
    static const keymanager::SigningKeyRecord shared =
        *keymanager::generate_signing_key(jose::Alg::RS256, 0);
    if (!(*opened)->put_signing_key(shared)) throw std::runtime_error("no signing key stored");
    store_ = std::make_unique<keymanager::StoreThread>(std::move(*opened));
    auto context = keymanager::ServerContext::create(std::move(settings), *store_, {});
    if (!context) throw std::runtime_error(context.error());
    context_ = std::move(*context);
  }

  std::string store_path() const { return dir_.file("grants.db"); }
  keymanager::StoreThread* store() const { return store_.get(); }
  keymanager::ServerContext* context() const { return context_.get(); }

 private:
  test_support::TempDir dir_;
  std::unique_ptr<keymanager::StoreThread> store_;
  std::unique_ptr<keymanager::ServerContext> context_;
};

inline boost::json::object object_of(const AdminResponse& response) {
  return boost::json::parse(response.body).as_object();
}

// A string member, or "" when it is absent or not a string.
inline std::string text_of(const boost::json::object& object, std::string_view name) {
  const boost::json::value* value = object.if_contains(name);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

}  // namespace gatehouse::admin::test_support_km
