// Internal: JWS carries ECDSA signatures as R || S, each exactly the curve's coordinate size
// (RFC 7518 section 3.4); OpenSSL signs and verifies DER. These convert between the two.
#pragma once

#include <string>
#include <string_view>

#include "security/jose/error.h"

namespace gatehouse::jose {

// bad_signature unless `raw` is exactly 2 * coordinate_size bytes.
Result<std::string> ecdsa_raw_to_der(std::string_view raw, size_t coordinate_size);
Result<std::string> ecdsa_der_to_raw(std::string_view der, size_t coordinate_size);

}  // namespace gatehouse::jose
