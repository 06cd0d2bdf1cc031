// Listening sockets: one per worker per listener, all bound to the same address with
// SO_REUSEPORT so that the kernel spreads new connections across workers without a shared queue.
#pragma once

#include <boost/asio/ip/tcp.hpp>

#include <expected>
#include <string>

#include "config/model.h"

namespace gatehouse::net {

std::expected<boost::asio::ip::tcp::endpoint, std::string> resolve_listen_address(
    const config::HostPort& address);

std::expected<boost::asio::ip::tcp::acceptor, std::string> open_acceptor(
    boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint);

}  // namespace gatehouse::net
