// The ports file of `gatehouse run --ports-file PATH`: where each listener and the admin listener
// are bound, for whoever started the gateway with port 0 in its config (a test, a script, a
// supervisor) and must learn which ports the system chose. One JSON object:
//   {"listeners": {"http": "127.0.0.1:41234", "https": "[::1]:41235"}, "admin": "127.0.0.1:41236"}
// ("admin" only when the config has one). It is written once, when the gateway serves, and by
// rename, so that a reader never sees half a file.
#pragma once

#include <boost/asio/ip/tcp.hpp>

#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "server/worker.h"

namespace gatehouse::server {

std::string ports_json(const std::vector<BoundListener>& listeners,
                       const std::optional<boost::asio::ip::tcp::endpoint>& admin);

// Writes `text` to PATH.tmp, then renames it to PATH.
std::expected<void, std::string> write_ports_file(const std::string& path, const std::string& text);

// Removes a ports file left by an earlier run (or ours, at exit); no error when there is none.
void remove_ports_file(const std::string& path);

}  // namespace gatehouse::server
