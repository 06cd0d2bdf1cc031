#include "security/jose/error.h"

namespace gatehouse::jose {

std::string_view to_string(Error error) {
  switch (error) {
    case Error::malformed:
      return "malformed token";
    case Error::too_large:
      return "token too large";
    case Error::bad_base64:
      return "invalid base64url";
    case Error::bad_json:
      return "invalid JSON";
    case Error::duplicate_key:
      return "duplicate JSON member";
    case Error::alg_none:
      return "alg none refused";
    case Error::alg_unsupported:
      return "unsupported alg";
    case Error::crit_unsupported:
      return "crit header not supported";
    case Error::b64_unsupported:
      return "unencoded payload not supported";
    case Error::key_type_mismatch:
      return "key type does not fit alg";
    case Error::key_alg_mismatch:
      return "key alg differs from token alg";
    case Error::unknown_kid:
      return "no key for token";
    case Error::bad_signature:
      return "invalid signature";
    case Error::bad_key:
      return "invalid key";
    case Error::weak_key:
      return "key too weak";
    case Error::unsupported_key:
      return "unsupported key";
    case Error::expired:
      return "token expired";
    case Error::not_yet_valid:
      return "token not yet valid";
    case Error::bad_claim:
      return "claim of wrong type";
    case Error::missing_exp:
      return "exp claim missing";
    case Error::wrong_issuer:
      return "wrong issuer";
    case Error::wrong_audience:
      return "wrong audience";
    case Error::io_error:
      return "cannot read key file";
    case Error::crypto_failure:
      return "crypto library failure";
  }
  return "unknown error";
}

}  // namespace gatehouse::jose
