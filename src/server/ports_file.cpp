#include "server/ports_file.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "net/listen.h"

namespace gatehouse::server {

std::string ports_json(const std::vector<BoundListener>& listeners,
                       const std::optional<boost::asio::ip::tcp::endpoint>& admin) {
  boost::json::object by_name;
  for (const BoundListener& listener : listeners) {
    by_name[listener.info.name] = net::address_text(listener.endpoint);
  }
  boost::json::object ports;
  ports["listeners"] = std::move(by_name);
  if (admin) ports["admin"] = net::address_text(*admin);
  return boost::json::serialize(ports) + "\n";
}

std::expected<void, std::string> write_ports_file(const std::string& path,
                                                  const std::string& text) {
  const std::string partial = path + ".tmp";
  {
    std::ofstream out(partial, std::ios::trunc);
    out << text;
    out.flush();
    if (!out) return std::unexpected("cannot write " + partial + ": " + std::strerror(errno));
  }
  std::error_code error;
  std::filesystem::rename(partial, path, error);
  if (error)
    return std::unexpected("cannot rename " + partial + " to " + path + ": " + error.message());
  return {};
}

void remove_ports_file(const std::string& path) {
  std::error_code ignored;
  std::filesystem::remove(path, ignored);
}

}  // namespace gatehouse::server
