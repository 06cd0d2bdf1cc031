// libFuzzer target: a token introspection answer (RFC 7662) as a key manager's introspection
// endpoint could send it, read the way the gateway does: read_introspection_answer, then what the
// bearer validation takes from an accepted answer (subject, client id, jti, scopes, exp) and the
// token cache entry it makes. Input: [flags] answer...; flags bit 0: audiences configured,
// bit 1: no leeway.
//
// Checked: an answer that is no JSON object means "the key manager could not be asked", any other
// refusal "invalid token"; an accepted answer is the object sent, says "active": true, and holds
// exp, nbf and aud to the rules; and a token accepted now is served from the cache now and gone
// from it once its exp has passed.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "fuzz_require.h"
#include "security/auth/idp_answers.h"
#include "security/auth/principal.h"
#include "security/auth/token_cache.h"
#include "security/jose/claims.h"

using namespace gatehouse;
using namespace gatehouse::security;

namespace {

using gatehouse::fuzz::require;

constexpr int64_t now = 1'700'000'000;
const TokenCache::Clock::time_point steady_now{std::chrono::hours(1000)};

config::KeyManagerConfig key_manager(uint8_t flags) {
  config::KeyManagerConfig config;
  config.name = "idp";
  config.issuer = "https://idp.test";
  if (flags & 1) config.audiences = {"gateway", "api://shop"};
  if (flags & 2) config.leeway = std::chrono::milliseconds(0);
  return config;
}

bool for_audience(const boost::json::value* aud, const std::vector<std::string>& audiences) {
  auto wanted = [&](const boost::json::value& value) {
    return value.is_string() && std::find(audiences.begin(), audiences.end(),
                                          std::string_view(value.get_string())) != audiences.end();
  };
  if (aud == nullptr) return false;
  if (aud->is_array()) {
    return std::any_of(aud->get_array().begin(), aud->get_array().end(), wanted);
  }
  return wanted(*aud);
}

// What the bearer validation makes of an accepted answer, and checks on the cache entry.
void cache(const boost::json::object& answer, int64_t leeway) {
  const jose::Claims claims(answer);
  auto principal = std::make_shared<Principal>();
  principal->subject = claims.sub();
  principal->client_id = claims.string_claim("client_id");
  principal->token_id = claims.jti();
  principal->expires_at = claims.time_claim("exp").value_or(0);
  const auto scopes = claims.scopes("scope");
  if (!scopes) return;  // refused: the scope member is malformed
  // A space-separated string gives its words; an array (scp) gives its strings as they are.
  const boost::json::value* scope = answer.if_contains("scope");
  if (scope && scope->is_string()) {
    for (std::string_view word : *scopes) {
      require(!word.empty() && word.find(' ') == std::string_view::npos, "scopes are words");
    }
  }
  require(principal->expires_at == 0 || principal->expires_at > now - leeway,
          "an accepted token has not expired beyond the leeway");

  TokenCache tokens(16, std::chrono::minutes(15));
  const TokenDigest digest{1};
  const auto expires = cache_expiry(principal->expires_at, now, steady_now);
  tokens.insert(digest, principal, expires, steady_now);
  const bool live = principal->expires_at == 0 || principal->expires_at > now;
  require((tokens.find(digest, steady_now) != nullptr) == live,
          "a token whose exp is still ahead is served from the cache, and only such a token");
  if (live && principal->expires_at != 0 && principal->expires_at - now < 600) {
    const auto at_exp = steady_now + std::chrono::seconds(principal->expires_at - now);
    require(tokens.find(digest, at_exp) == nullptr, "the cache forgets a token at its exp");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const config::KeyManagerConfig config = key_manager(data[0]);
  const int64_t leeway = std::chrono::duration_cast<std::chrono::seconds>(config.leeway).count();
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);

  const auto answer = read_introspection_answer(text, config, now);
  boost::system::error_code error;
  const boost::json::value sent = boost::json::parse(text, error);
  const bool object = !error && sent.is_object();
  if (!answer) {
    require((answer.error().failure == AuthFailure::key_manager_unreachable) == !object,
            "only an answer that is no JSON object means the key manager could not be asked");
    require(answer.error().failure == AuthFailure::key_manager_unreachable ||
                answer.error().failure == AuthFailure::invalid_credentials,
            "any other refusal is an invalid token");
    return 0;
  }
  // Compared as text: a number Boost.JSON reads as NaN ("0e900") is unequal to itself.
  require(object && boost::json::serialize(*answer) == boost::json::serialize(sent),
          "the claims are the answer sent");
  const boost::json::value* active = answer->if_contains("active");
  require(active && active->is_bool() && active->get_bool(), "an accepted token is active");
  const jose::Claims claims(*answer);
  if (const auto exp = claims.time_claim("exp")) {
    require(now < *exp || now - *exp < leeway, "an accepted token is within its exp");
  }
  if (const auto nbf = claims.time_claim("nbf")) {
    require(*nbf <= now + leeway, "an accepted token is within its nbf");
  }
  if (!config.audiences.empty()) {
    require(for_audience(answer->if_contains("aud"), config.audiences),
            "an accepted token is for a configured audience");
  }
  cache(*answer, leeway);
  return 0;
}
