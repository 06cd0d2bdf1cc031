#include "security/jose/alg.h"

#include <array>

namespace gatehouse::jose {

namespace {

constexpr std::array<std::string_view, 13> names = {"RS256", "RS384", "RS512", "PS256", "PS384",
                                                    "PS512", "ES256", "ES384", "ES512", "EdDSA",
                                                    "HS256", "HS384", "HS512"};

}  // namespace

Result<Alg> parse_alg(std::string_view name) {
  // Names are case-sensitive (RFC 7515 section 4.1.1): "None" is just an unknown alg.
  if (name == "none") return std::unexpected(Error::alg_none);
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<Alg>(i);
  }
  return std::unexpected(Error::alg_unsupported);
}

std::string_view to_string(Alg alg) {
  return names[static_cast<size_t>(alg)];
}

AlgFamily family(Alg alg) {
  switch (alg) {
    case Alg::RS256:
    case Alg::RS384:
    case Alg::RS512:
      return AlgFamily::rsa_pkcs1;
    case Alg::PS256:
    case Alg::PS384:
    case Alg::PS512:
      return AlgFamily::rsa_pss;
    case Alg::ES256:
    case Alg::ES384:
    case Alg::ES512:
      return AlgFamily::ecdsa;
    case Alg::EdDSA:
      return AlgFamily::eddsa;
    case Alg::HS256:
    case Alg::HS384:
    case Alg::HS512:
      return AlgFamily::hmac;
  }
  return AlgFamily::hmac;
}

size_t hash_size(Alg alg) {
  switch (alg) {
    case Alg::RS256:
    case Alg::PS256:
    case Alg::ES256:
    case Alg::HS256:
      return 32;
    case Alg::RS384:
    case Alg::PS384:
    case Alg::ES384:
    case Alg::HS384:
      return 48;
    case Alg::RS512:
    case Alg::PS512:
    case Alg::ES512:
    case Alg::HS512:
      return 64;
    case Alg::EdDSA:
      return 0;
  }
  return 0;
}

}  // namespace gatehouse::jose
