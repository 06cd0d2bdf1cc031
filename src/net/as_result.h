// The completion token of every awaited Asio operation in the tree: it completes with a tuple of
// the error code and the results instead of throwing, so that an expected failure (a peer gone,
// a timeout) is a value the caller tests, not an exception that unwinds the coroutine.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace gatehouse::net {

inline constexpr auto as_result = boost::asio::as_tuple(boost::asio::use_awaitable);

}  // namespace gatehouse::net
