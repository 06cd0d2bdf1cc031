// A Lua script run by its SHA-1 (EVALSHA), so that each call sends the digest, not the source.
// Redis forgets its scripts when it restarts (or on SCRIPT FLUSH, or on a failover to a replica
// that never saw them): a NOSCRIPT reply is answered by sending the source once with EVAL, which
// runs it and caches it again for the next EVALSHA.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <span>
#include <string>
#include <string_view>

#include "redis/connection.h"

namespace gatehouse::redis {

class Script {
 public:
  explicit Script(std::string source);

  const std::string& source() const { return source_; }
  const std::string& sha1() const { return sha1_; }  // lowercase hex, as Redis names scripts

  // EVALSHA sha1 #keys keys... args...; on NOSCRIPT, EVAL with the source. Each of the two
  // commands has its own deadline. `keys` and `args` are read before the first wait ends (await
  // the call in the expression that makes it).
  boost::asio::awaitable<Connection::Result> run(Connection& connection,
                                                 std::span<const std::string_view> keys,
                                                 std::span<const std::string_view> args) const;

 private:
  std::string source_;
  std::string sha1_;
};

}  // namespace gatehouse::redis
