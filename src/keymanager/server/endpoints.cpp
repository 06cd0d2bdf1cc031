#include "keymanager/server/endpoints.h"

#include "keymanager/server/discovery.h"
#include "keymanager/server/endpoint_paths.h"

namespace gatehouse::keymanager {

std::optional<EndpointId> Endpoints::find(std::string_view path) {
  if (path == paths::token) return EndpointId::token;
  if (path == paths::introspection) return EndpointId::introspection;
  if (path == paths::revocation) return EndpointId::revocation;
  if (path == paths::jwks) return EndpointId::jwks;
  if (path == paths::authorization) return EndpointId::authorization;
  if (path == paths::device_authorization) return EndpointId::device_authorization;
  if (path == paths::device_verification) return EndpointId::device_verification;
  if (path == paths::pushed_authorization) return EndpointId::pushed_authorization;
  if (path == paths::userinfo) return EndpointId::userinfo;
  if (path == paths::openid_configuration || path == paths::authorization_server_metadata) {
    return EndpointId::discovery;
  }
  if (path == paths::registration ||
      (path.starts_with(paths::registration) && path.size() > paths::registration.size() + 1 &&
       path[paths::registration.size()] == '/')) {
    return EndpointId::registration;
  }
  return std::nullopt;
}

boost::asio::awaitable<OAuthAnswer> Endpoints::handle(EndpointId endpoint,
                                                      const OAuthRequest& request) const {
  if (!takes_body(endpoint)) {
    if (request.method != "GET" && request.method != "HEAD")
      co_return method_not_allowed("GET, HEAD");
    co_return endpoint == EndpointId::jwks ? jwks_answer(context_) : discovery_answer(context_);
  }
  // A browser's pages (GET, or their forms), and userinfo (OpenID Connect Core section 5.3.1).
  if (endpoint == EndpointId::authorization || endpoint == EndpointId::device_verification ||
      endpoint == EndpointId::userinfo) {
    if (request.method != "GET" && request.method != "POST") {
      co_return method_not_allowed("GET, POST");
    }
    if (endpoint == EndpointId::userinfo) co_return userinfo_.handle(request);
    if (endpoint == EndpointId::device_verification) {
      co_return co_await device_verification_.handle(request);
    }
    co_return co_await authorization_.handle(request);
  }
  // Its own methods: POST to register, GET, PUT and DELETE on a registration.
  if (endpoint == EndpointId::registration) co_return co_await registration_.handle(request);
  if (request.method != "POST") co_return method_not_allowed("POST");
  if (endpoint == EndpointId::token) co_return co_await token_.handle(request);
  if (endpoint == EndpointId::introspection) co_return co_await introspection_.handle(request);
  if (endpoint == EndpointId::device_authorization) {
    co_return co_await device_authorization_.handle(request);
  }
  if (endpoint == EndpointId::pushed_authorization) {
    co_return co_await pushed_authorization_.handle(request);
  }
  co_return co_await revocation_.handle(request);
}

}  // namespace gatehouse::keymanager
