#include "net/listen.h"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/socket_base.hpp>

#include <sys/socket.h>

namespace gatehouse::net {

using boost::asio::ip::tcp;

std::expected<tcp::endpoint, std::string> resolve_listen_address(const HostPort& address) {
  boost::system::error_code error;
  const std::string host = address.host == "localhost" ? "127.0.0.1" : address.host;
  const auto ip = boost::asio::ip::make_address(host, error);
  if (error) return std::unexpected("'" + address.host + "' is not an IP address");
  return tcp::endpoint(ip, address.port);
}

std::expected<tcp::acceptor, std::string> open_acceptor(boost::asio::io_context& io,
                                                        const tcp::endpoint& endpoint) {
  tcp::acceptor acceptor(io);
  boost::system::error_code error;
  auto fail = [&](const char* what) {
    return std::unexpected(std::string(what) + " " + address_text(endpoint) + ": " +
                           error.message());
  };
  acceptor.open(endpoint.protocol(), error);
  if (error) return fail("cannot open");
  acceptor.set_option(tcp::acceptor::reuse_address(true), error);
  const int on = 1;
  if (::setsockopt(acceptor.native_handle(), SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) != 0) {
    error.assign(errno, boost::system::system_category());
    return fail("cannot set SO_REUSEPORT on");
  }
  acceptor.bind(endpoint, error);
  if (error) return fail("cannot bind");
  acceptor.listen(boost::asio::socket_base::max_listen_connections, error);
  if (error) return fail("cannot listen on");
  return acceptor;
}

std::string address_text(const tcp::endpoint& endpoint) {
  const bool v6 = endpoint.address().is_v6();
  std::string text = v6 ? "[" : "";
  text += endpoint.address().to_string();
  text += v6 ? "]:" : ":";
  text += std::to_string(endpoint.port());
  return text;
}

}  // namespace gatehouse::net
