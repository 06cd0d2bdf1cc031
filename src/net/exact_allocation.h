// Plain operator new for the operation a handler completes, in the exact size it needs.
//
// Asio takes an operation's memory from a per-thread cache that hands out whatever cached block
// is big enough, often several times the operation's size. That suits the operations of the busy
// path, which end within microseconds. For an operation that may wait as long as an idle
// connection does, holding such a block for minutes per connection costs more than the malloc.
#pragma once

#include <boost/asio/bind_allocator.hpp>

#include <cstddef>
#include <memory_resource>
#include <utility>

namespace gatehouse::net {

template <typename Handler>
auto with_exact_allocation(Handler&& handler) {
  return boost::asio::bind_allocator(
      std::pmr::polymorphic_allocator<std::byte>(std::pmr::new_delete_resource()),
      std::forward<Handler>(handler));
}

}  // namespace gatehouse::net
