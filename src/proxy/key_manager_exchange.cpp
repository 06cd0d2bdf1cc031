#include "proxy/key_manager_exchange.h"

#include <algorithm>

namespace gatehouse::proxy {

namespace {

std::string_view field(const http::RequestHead& head, std::string_view name) {
  const auto found = std::ranges::find_if(
      head.headers, [&](const http::Header& h) { return http::iequals(h.name, name); });
  return found == head.headers.end() ? std::string_view() : found->value;
}

}  // namespace

keymanager::OAuthRequest oauth_request(const ExchangeRun& run) {
  keymanager::OAuthRequest request{.method = run.head.method,
                                   .path = run.head.path,
                                   .content_type = field(run.head, "Content-Type"),
                                   .authorization = field(run.head, "Authorization"),
                                   .body = run.exchange.request_body.value_or(std::string_view()),
                                   .client_ip = run.exchange.client_address,
                                   .query = run.head.query,
                                   .cookies = {}};
  for (const http::Header& header : run.head.headers) {
    if (http::iequals(header.name, "Cookie")) request.cookies.push_back(header.value);
  }
  if (const pipeline::ClientTls* tls = run.exchange.tls) {
    request.client_certificate = tls->certificate_der;
    request.client_certificate_subject = tls->subject;
    request.client_certificate_verified = tls->verified_client_cert;
  }
  return request;
}

pipeline::LocalResponse local_response_of(keymanager::OAuthAnswer answer) {
  return {.status = answer.status,
          .headers = std::move(answer.headers),
          .body = std::move(answer.body),
          .content_type = std::move(answer.content_type)};
}

}  // namespace gatehouse::proxy
