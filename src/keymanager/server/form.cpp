#include "keymanager/server/form.h"

#include <boost/url/encoding_opts.hpp>
#include <boost/url/parse_query.hpp>

#include <algorithm>

#include "http/message.h"

namespace gatehouse::keymanager {

namespace {

namespace urls = boost::urls;

OAuthError invalid_request(std::string description) {
  return OAuthError{OAuthErrorCode::invalid_request, std::move(description)};
}

}  // namespace

std::optional<std::string_view> Form::get(std::string_view name) const {
  const auto found =
      std::ranges::find(parameters_, name, &std::pair<std::string, std::string>::first);
  if (found == parameters_.end()) return std::nullopt;
  return found->second;
}

std::expected<Form, OAuthError> parse_form(const OAuthRequest& request) {
  if (!http::has_media_type(request.content_type, "application/x-www-form-urlencoded")) {
    return std::unexpected(invalid_request("the body must be application/x-www-form-urlencoded"));
  }
  return parse_form_encoded(request.body);
}

std::expected<Form, OAuthError> parse_form_encoded(std::string_view encoded) {
  // Boost.URL 1.81 reads the last parameter of a parsed query up to a NUL, past the end of the
  // view it was given: a query that is a view into the request head would take in the rest of
  // the head. A string of its own ends where the query does.
  const std::string terminated(encoded);
  const auto parsed = urls::parse_query(terminated);
  if (!parsed) return std::unexpected(invalid_request("the parameters are not form-encoded"));
  urls::encoding_opts form_encoding;
  form_encoding.space_as_plus = true;
  Form form;
  for (const urls::param_pct_view& parameter : *parsed) {
    if (!parameter.has_value || parameter.value.empty()) continue;
    std::string name = parameter.key.decode(form_encoding);
    if (form.contains(name)) {
      // Not named: a name is whatever the client sent, and a description never repeats input.
      return std::unexpected(invalid_request("a parameter is repeated"));
    }
    form.parameters_.emplace_back(std::move(name), parameter.value.decode(form_encoding));
  }
  return form;
}

}  // namespace gatehouse::keymanager
