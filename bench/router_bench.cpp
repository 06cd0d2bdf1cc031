// Cost of one route match with 10 and with 10,000 APIs (three resources each, PizzaShack-like).
// The router promises that the cost does not grow with the number of APIs; compare the two rows.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "routing/router.h"

namespace gatehouse::routing {
namespace {

struct Request {
  std::string method;
  std::string path;
};

std::string api_prefix(size_t api) {
  return "/api" + std::to_string(api) + "/1.0.0";
}

Router many_apis(size_t count) {
  std::vector<RouteSpec> routes;
  for (size_t api = 0; api < count; ++api) {
    auto id = static_cast<uint32_t>(api);
    routes.push_back({"", api_prefix(api), "/menu", {"GET"}, id, 0});
    routes.push_back({"", api_prefix(api), "/order", {"POST"}, id, 1});
    routes.push_back({"", api_prefix(api), "/order/{orderId}", {"GET", "PUT", "DELETE"}, id, 2});
  }
  return *Router::build(std::move(routes));
}

// Requests spread over the first `apis` APIs.
std::vector<Request> requests_over(size_t apis) {
  std::mt19937 random(42);
  std::uniform_int_distribution<size_t> pick_api(0, apis - 1);
  std::vector<Request> requests;
  for (size_t i = 0; i < 4096; ++i) {
    std::string prefix = api_prefix(pick_api(random));
    switch (i % 3) {
      case 0:
        requests.push_back({"GET", prefix + "/menu"});
        break;
      case 1:
        requests.push_back({"POST", prefix + "/order"});
        break;
      case 2:
        requests.push_back({"GET", prefix + "/order/" + std::to_string(i)});
        break;
    }
  }
  return requests;
}

// Arguments: APIs routed, APIs the requests go to.
void BM_RouterMatch(benchmark::State& state) {
  auto apis = static_cast<size_t>(state.range(0));
  Router router = many_apis(apis);
  std::vector<Request> requests = requests_over(static_cast<size_t>(state.range(1)));
  size_t next = 0;
  for (auto _ : state) {
    const Request& request = requests[next];
    next = (next + 1) % requests.size();
    Match match = router.match("api.example.com", request.method, request.path);
    benchmark::DoNotOptimize(match);
    if (match.status != MatchStatus::found) {
      state.SkipWithError("a request did not match");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["apis"] = static_cast<double>(apis);
}
BENCHMARK(BM_RouterMatch)->Args({10, 10})->Args({10'000, 10})->Args({10'000, 10'000});

}  // namespace
}  // namespace gatehouse::routing
