#include "keymanager/server/authorization_redirect.h"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <initializer_list>
#include <utility>

namespace gatehouse::keymanager {

namespace {

using Parameter = std::pair<std::string_view, std::string_view>;

// The redirect_uri was checked against the client's registration, which the config checked to be
// an absolute URI without a fragment.
OAuthAnswer redirect(std::string_view redirect_uri, std::initializer_list<Parameter> parameters,
                     std::string_view state, std::string_view issuer) {
  boost::urls::url target = boost::urls::parse_uri_reference(redirect_uri).value();
  for (const auto& [name, value] : parameters) target.params().append({name, value});
  if (!state.empty()) target.params().append({"state", state});
  target.params().append({"iss", issuer});
  OAuthAnswer answer{.status = 303};
  answer.headers = {{"Location", std::string(target.buffer())},
                    {"Cache-Control", "no-store"},
                    {"Referrer-Policy", "no-referrer"}};
  return answer;
}

}  // namespace

OAuthAnswer redirect_with_code(const AuthorizationRequest& request, std::string_view code,
                               std::string_view issuer) {
  return redirect(request.redirect_uri, {{"code", code}}, request.state, issuer);
}

OAuthAnswer redirect_with_error(const AuthorizationFailure& failure, std::string_view issuer) {
  return redirect(
      failure.redirect_uri,
      {{"error", to_string(failure.error.code)}, {"error_description", failure.error.description}},
      failure.state, issuer);
}

}  // namespace gatehouse::keymanager
