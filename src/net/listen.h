// Listening sockets: one per worker per listener, all bound to the same address with
// SO_REUSEPORT so that the kernel spreads new connections across workers without a shared queue.
// Port 0 is bound once, by the first worker; the others bind the port it got (its
// local_endpoint()), since each bind of port 0 would get a port of its own.
#pragma once

#include <boost/asio/ip/tcp.hpp>

#include <expected>
#include <string>

#include "net/listener_config.h"

namespace gatehouse::net {

std::expected<boost::asio::ip::tcp::endpoint, std::string> resolve_listen_address(
    const HostPort& address);

std::expected<boost::asio::ip::tcp::acceptor, std::string> open_acceptor(
    boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint);

// "127.0.0.1:8280", "[::1]:8443": an address as the config writes it.
std::string address_text(const boost::asio::ip::tcp::endpoint& endpoint);

}  // namespace gatehouse::net
