#include "keymanager/server/authorization_redirect.h"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <initializer_list>
#include <utility>

namespace gatehouse::keymanager {

namespace {

using Parameter = std::pair<std::string_view, std::string_view>;

// The redirect_uri was checked against the client's registration, which the config checked to be
// an absolute URI without a fragment. In the fragment (the implicit grant's), the parameters are
// encoded as in a query (RFC 6749 section 4.2.2).
OAuthAnswer redirect(std::string_view redirect_uri, std::initializer_list<Parameter> parameters,
                     std::string_view state, std::string_view issuer, bool in_fragment = false) {
  boost::urls::url target = boost::urls::parse_uri_reference(redirect_uri).value();
  boost::urls::url fragment_parameters;
  boost::urls::url& carrier = in_fragment ? fragment_parameters : target;
  for (const auto& [name, value] : parameters) carrier.params().append({name, value});
  if (!state.empty()) carrier.params().append({"state", state});
  carrier.params().append({"iss", issuer});
  if (in_fragment) target.set_encoded_fragment(fragment_parameters.encoded_query());
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

OAuthAnswer redirect_with_token(const AuthorizationRequest& request, const AccessToken& token,
                                std::string_view scope, UnixSeconds now, std::string_view issuer) {
  const std::string expires_in = std::to_string(token.expires_at - now);
  return redirect(request.redirect_uri,
                  {{"access_token", token.token},
                   {"token_type", "Bearer"},
                   {"expires_in", expires_in},
                   {"scope", scope}},
                  request.state, issuer, true);
}

OAuthAnswer redirect_with_error(const AuthorizationFailure& failure, std::string_view issuer) {
  return redirect(
      failure.redirect_uri,
      {{"error", to_string(failure.error.code)}, {"error_description", failure.error.description}},
      failure.state, issuer, failure.in_fragment);
}

}  // namespace gatehouse::keymanager
