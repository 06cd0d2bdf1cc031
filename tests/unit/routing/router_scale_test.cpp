// The router's promises about size: the number of APIs changes neither correctness nor whether
// a match allocates.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "router_test_support.h"
#include "routing/router.h"

namespace {
std::atomic<size_t> allocations{0};
}  // namespace

// Counts every allocation of this test executable, so a test can check that a call made none.
void* operator new(size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* memory = std::malloc(size == 0 ? 1 : size)) return memory;
  throw std::bad_alloc();
}
// GCC takes these replacements, once inlined, for a free() of memory from new and warns.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void operator delete(void* memory) noexcept {
  std::free(memory);
}
void operator delete(void* memory, size_t) noexcept {
  std::free(memory);
}
#pragma GCC diagnostic pop

namespace gatehouse::routing {
namespace {

using test_support::build_router;
using test_support::route;

std::string api_prefix(size_t api) {
  return "/api" + std::to_string(api) + "/1.0.0";
}

Router many_apis(size_t count) {
  std::vector<RouteSpec> routes;
  for (size_t api = 0; api < count; ++api) {
    auto id = static_cast<uint32_t>(api);
    routes.push_back(route(api_prefix(api), "/menu", {"GET"}, id, 0));
    routes.push_back(route(api_prefix(api), "/order", {"POST"}, id, 1));
    routes.push_back(route(api_prefix(api), "/order/{orderId}", {"GET", "PUT"}, id, 2));
  }
  return build_router(std::move(routes));
}

TEST(RouterScale, TenThousandApisEachRouteToTheirOwnResources) {
  constexpr size_t kApis = 10'000;
  Router router = many_apis(kApis);
  for (size_t api = 0; api < kApis; ++api) {
    std::string prefix = api_prefix(api);
    Match menu = router.match("h", "GET", prefix + "/menu");
    ASSERT_EQ(menu.status, MatchStatus::found) << prefix;
    ASSERT_EQ(menu.api, api);
    ASSERT_EQ(menu.resource, 0u);

    ASSERT_EQ(router.match("h", "POST", prefix + "/order").resource, 1u) << prefix;

    std::string order_path = prefix + "/order/" + std::to_string(api * 7);
    Match order = router.match("h", "PUT", order_path);
    ASSERT_EQ(order.api, api);
    ASSERT_EQ(order.resource, 2u);
    ASSERT_EQ(order.params.size(), 1u);
    ASSERT_EQ(order.params[0].value, std::to_string(api * 7));

    ASSERT_EQ(router.match("h", "DELETE", order_path).allow, "GET, HEAD, PUT") << prefix;
  }
  EXPECT_EQ(router.match("h", "GET", api_prefix(kApis) + "/menu").status, MatchStatus::not_found);
}

TEST(RouterScale, AMatchWithParametersOrWithoutDoesNotAllocate) {
  Router router = many_apis(100);
  router.match("h", "GET", api_prefix(1) + "/order/1");  // warm up lazily initialised state
  std::string menu = api_prefix(42) + "/menu";
  std::string order = api_prefix(42) + "/order/1234";
  std::string missing = api_prefix(42) + "/drinks";

  size_t before = allocations.load();
  Match found_menu = router.match("h", "GET", menu);
  Match found_order = router.match("h", "GET", order);
  Match not_found = router.match("h", "GET", missing);
  size_t after = allocations.load();

  EXPECT_EQ(found_menu.status, MatchStatus::found);
  EXPECT_EQ(found_order.params.size(), 1u);
  EXPECT_EQ(not_found.status, MatchStatus::not_found);
  EXPECT_EQ(after - before, 0u);
}

}  // namespace
}  // namespace gatehouse::routing
