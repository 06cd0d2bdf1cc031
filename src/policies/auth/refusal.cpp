#include "policies/auth/refusal.h"

namespace gatehouse::policies {

pipeline::Verdict refuse(pipeline::Exchange& exchange, const security::AuthError& error,
                         std::string_view challenge_scheme) {
  exchange.auth_error = error.reason;
  exchange.local_response = pipeline::LocalResponse::from_error(security::to_api_error(error));
  if (!challenge_scheme.empty()) {
    std::string challenge = security::www_authenticate(error, challenge_scheme);
    if (!challenge.empty()) {
      exchange.local_response->headers.emplace_back("WWW-Authenticate", std::move(challenge));
    }
  }
  return pipeline::Verdict::respond;
}

}  // namespace gatehouse::policies
