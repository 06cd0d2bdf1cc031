#include "admin/key_manager_route.h"

namespace gatehouse::admin {

std::optional<keymanager::EndpointId> key_manager_endpoint(const AdminServices& services,
                                                           std::string_view target) {
  if (services.key_manager == nullptr) return std::nullopt;
  return keymanager::Endpoints::find(target.substr(0, target.find('?')));
}

keymanager::OAuthRequest oauth_request_of(const AdminRequest& request) {
  const size_t question = request.target.find('?');
  return {.method = request.method,
          .path = request.target.substr(0, question),
          .content_type = request.content_type,
          .authorization = request.authorization,
          .body = request.body,
          .client_ip = {},
          .query = question == std::string_view::npos ? std::string_view()
                                                      : request.target.substr(question + 1),
          .cookies = request.cookies};
}

AdminResponse admin_response_of(keymanager::OAuthAnswer answer) {
  AdminResponse response{.status = answer.status,
                         .content_type = std::move(answer.content_type),
                         .body = std::move(answer.body)};
  for (auto& [name, value] : answer.headers) {
    if (name == "Allow") {
      response.allow = std::move(value);
    } else if (name == "WWW-Authenticate") {
      response.challenges.push_back(std::move(value));
    } else if (name != "Cache-Control") {  // written on every admin answer already
      response.headers.emplace_back(std::move(name), std::move(value));
    }
  }
  return response;
}

}  // namespace gatehouse::admin
