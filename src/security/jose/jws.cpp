#include "security/jose/jws.h"

#include "security/jose/base64url.h"
#include "security/jose/strict_json.h"

namespace gatehouse::jose {

namespace {

namespace json = boost::json;

Result<json::object> decode_object(std::string_view part) {
  std::string text;
  if (auto decoded = base64url_decode(part, text); !decoded)
    return std::unexpected(decoded.error());
  return parse_object_strict(text);
}

Result<Alg> check_header(const json::object& header) {
  const json::value* alg = header.if_contains("alg");
  if (alg == nullptr || !alg->is_string()) return std::unexpected(Error::malformed);
  const Result<Alg> parsed = parse_alg(alg->get_string());
  if (!parsed) return parsed;
  // RFC 7515 section 4.1.11: a recipient that does not understand every listed extension must
  // refuse the token; this layer understands none.
  if (header.contains("crit")) return std::unexpected(Error::crit_unsupported);
  if (const json::value* b64 = header.if_contains("b64"); b64 != nullptr && *b64 != true) {
    return std::unexpected(Error::b64_unsupported);
  }
  for (const char* name : {"kid", "typ"}) {
    const json::value* value = header.if_contains(name);
    if (value != nullptr && !value->is_string()) return std::unexpected(Error::malformed);
  }
  return parsed;
}

}  // namespace

std::string_view Jws::string_header(std::string_view name) const {
  const json::value* value = header_.if_contains(name);
  return value != nullptr && value->is_string() ? std::string_view(value->get_string())
                                                : std::string_view();
}

Result<Jws> decode_jws(std::string_view token, const DecodeLimits& limits) {
  if (token.size() > limits.max_token_bytes) return std::unexpected(Error::too_large);
  const size_t first_dot = token.find('.');
  const size_t second_dot =
      first_dot == std::string_view::npos ? first_dot : token.find('.', first_dot + 1);
  if (second_dot == std::string_view::npos ||
      token.find('.', second_dot + 1) != std::string_view::npos) {
    return std::unexpected(Error::malformed);
  }
  Jws jws;
  Result<json::object> header = decode_object(token.substr(0, first_dot));
  if (!header) return std::unexpected(header.error());
  const Result<Alg> alg = check_header(*header);
  if (!alg) return std::unexpected(alg.error());
  Result<json::object> payload =
      decode_object(token.substr(first_dot + 1, second_dot - first_dot - 1));
  if (!payload) return std::unexpected(payload.error());
  if (auto signature = base64url_decode(token.substr(second_dot + 1), jws.signature_); !signature) {
    return std::unexpected(signature.error());
  }
  jws.alg_ = *alg;
  jws.header_ = std::move(*header);
  jws.payload_ = std::move(*payload);
  jws.signing_input_ = token.substr(0, second_dot);
  return jws;
}

}  // namespace gatehouse::jose
