// JWS compact serialization (RFC 7515 section 7.1), decoded but not yet verified. Decoding is
// strict: exactly three parts, canonical base64url, header and payload JSON objects without
// repeated member names, a known "alg", no "crit" (no extension is understood) and no "b64": false.
#pragma once

#include <boost/json/object.hpp>

#include <string>
#include <string_view>

#include "security/jose/alg.h"
#include "security/jose/error.h"

namespace gatehouse::jose {

struct DecodeLimits {
  // Checked first, before any decoding: an oversized token costs nothing.
  size_t max_token_bytes = 16 * 1024;
};

class Jws {
 public:
  Alg alg() const { return alg_; }
  // Empty when the header has none.
  std::string_view kid() const { return string_header("kid"); }
  std::string_view typ() const { return string_header("typ"); }
  const boost::json::object& header() const { return header_; }
  const boost::json::object& payload() const { return payload_; }
  // "header.payload" as sent: a view into the token given to decode_jws, which must outlive this.
  std::string_view signing_input() const { return signing_input_; }
  std::string_view signature() const { return signature_; }

 private:
  friend Result<Jws> decode_jws(std::string_view token, const DecodeLimits& limits);
  std::string_view string_header(std::string_view name) const;

  Alg alg_ = Alg::RS256;
  boost::json::object header_;
  boost::json::object payload_;
  std::string_view signing_input_;
  std::string signature_;
};

Result<Jws> decode_jws(std::string_view token, const DecodeLimits& limits = {});

}  // namespace gatehouse::jose
