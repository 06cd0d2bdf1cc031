// libFuzzer target: an OpenID discovery document as a key manager's `discovery` URL could serve
// it, followed the way the key manager follows it: jwks_uri_from_discovery for its issuer, then
// the request that fetches the keys from that URI (outbound::parse_url, outbound::request_head).
// Input: the document.
//
// Checked: a jwks_uri is taken only from a JSON object that names exactly the configured issuer,
// and is that object's jwks_uri; and the request written for it is one well-formed HTTP/1.1
// request (the gateway's own parser reads it whole) for the URI's path and host, whatever the
// identity provider put in the URI.
#include <boost/json/parse.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz_require.h"
#include "http/parser.h"
#include "outbound/fetch.h"
#include "outbound/request_head.h"
#include "outbound/url.h"
#include "security/auth/idp_answers.h"

using namespace gatehouse;

namespace {

using gatehouse::fuzz::require;

constexpr std::string_view issuer = "https://idp.test";

void check_fetch(const std::string& uri) {
  const auto target = outbound::parse_url(uri);
  if (!target) return;  // the fetch fails with this reason
  require(!target->host.empty() && target->port != 0, "a target has a host and a port");
  require(target->path.starts_with('/'), "the request target is in origin-form");
  const outbound::Request request{.url = uri, .headers = {{"Accept", "application/json"}}};
  const auto head = outbound::request_head(request, *target);
  if (!head) return;

  http::RequestParser parser(http::ParserLimits{});
  http::RequestHead parsed;
  const http::HeadResult result = parser.parse_head(*head, parsed);
  require(result.status == http::ParseStatus::done, "the request to the jwks_uri is valid HTTP");
  require(result.consumed == head->size(), "and it is one request, nothing after it");
  require(parsed.method == "GET" && parsed.target == target->path, "for the URI's path");
  require(parsed.host == target->host_header, "at the URI's host");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view document(reinterpret_cast<const char*>(data), size);
  const auto uri = security::jwks_uri_from_discovery(document, issuer);
  if (!uri) return 0;

  boost::system::error_code error;
  const boost::json::value parsed = boost::json::parse(document, error);
  require(!error && parsed.is_object(), "a document that is followed is a JSON object");
  const boost::json::value* named = parsed.get_object().if_contains("issuer");
  require(named && named->is_string() && named->get_string() == issuer, "for the issuer");
  const boost::json::value* jwks_uri = parsed.get_object().if_contains("jwks_uri");
  require(jwks_uri && jwks_uri->is_string() && jwks_uri->get_string() == *uri,
          "and its jwks_uri is what is fetched");
  check_fetch(*uri);
  return 0;
}
