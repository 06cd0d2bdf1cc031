// Shorthands for building routers in the routing tests.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "routing/router.h"

namespace gatehouse::routing::test_support {

inline RouteSpec route(std::string prefix, std::string path_template,
                       std::vector<std::string> methods, uint32_t api, uint32_t resource,
                       std::string host = "") {
  return RouteSpec{
      std::move(host), std::move(prefix), std::move(path_template), std::move(methods), api,
      resource};
}

inline Router build_router(std::vector<RouteSpec> routes) {
  auto router = Router::build(std::move(routes));
  if (!router) {
    ADD_FAILURE() << "route " << router.error().route << ": " << router.error().message;
    return Router();
  }
  return std::move(*router);
}

}  // namespace gatehouse::routing::test_support
