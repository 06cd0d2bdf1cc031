#include "policies/auth/credentials.h"

#include <boost/beast/core/detail/base64.hpp>

#include <algorithm>

namespace gatehouse::policies::auth {

namespace base64 = boost::beast::detail::base64;

std::expected<BasicCredentials, std::string_view> decode_basic(std::string_view encoded) {
  // Room for a last group without padding: decoded_size() assumes whole groups of four, and
  // decode() runs before the length is checked.
  std::string decoded((encoded.size() + 3) / 4 * 3, '\0');
  const auto [written, read] = base64::decode(decoded.data(), encoded.data(), encoded.size());
  // Beast's decoder stops at the padding and does not count it as read.
  size_t padding = 0;
  while (padding < 2 && encoded.size() > padding && encoded[encoded.size() - 1 - padding] == '=') {
    ++padding;
  }
  if (read + padding != encoded.size() || encoded.size() % 4 != 0 || encoded.empty()) {
    return std::unexpected("Basic credentials are not base64");
  }
  decoded.resize(written);
  const size_t colon = decoded.find(':');
  if (colon == std::string::npos) return std::unexpected("Basic credentials have no ':'");
  return BasicCredentials{.user = decoded.substr(0, colon), .password = decoded.substr(colon + 1)};
}

std::optional<std::string_view> query_parameter(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const size_t end = std::min(query.find('&'), query.size());
    const std::string_view pair = query.substr(0, end);
    if (pair.size() > name.size() && pair.starts_with(name) && pair[name.size()] == '=') {
      return pair.substr(name.size() + 1);
    }
    query.remove_prefix(std::min(end + 1, query.size()));
  }
  return std::nullopt;
}

}  // namespace gatehouse::policies::auth
