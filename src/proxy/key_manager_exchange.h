// What passes between an exchange and the built-in key manager, which answers its paths on the
// traffic listeners: the request as the key manager reads it, and its answer as a local response
// (so that it goes through the same writing, metrics and access log as every other answer).
#pragma once

#include "keymanager/server/oauth_message.h"
#include "pipeline/local_response.h"
#include "proxy/exchange_runner.h"

namespace gatehouse::proxy {

// Views into `run`'s head and body, which outlive the key manager's handling.
keymanager::OAuthRequest oauth_request(const ExchangeRun& run);

pipeline::LocalResponse local_response_of(keymanager::OAuthAnswer answer);

}  // namespace gatehouse::proxy
