// The `tls_client_auth_*` keys of an oauth2_server client (RFC 8705 section 2.1.2): the name its
// client certificate must have, one key of five for a tls_client_auth client, none for another.
#include <array>

#include "config/oauth2_server_model.h"
#include "config/sections.h"
#include "config/units.h"

namespace gatehouse::config {
namespace {

constexpr std::array<std::string_view, 5> certificate_name_keys{
    "tls_client_auth_subject_dn", "tls_client_auth_san_dns", "tls_client_auth_san_uri",
    "tls_client_auth_san_ip", "tls_client_auth_san_email"};
constexpr std::array<CertificateNameKind, 5> certificate_name_kinds{
    CertificateNameKind::subject_dn, CertificateNameKind::san_dns, CertificateNameKind::san_uri,
    CertificateNameKind::san_ip, CertificateNameKind::san_email};

}  // namespace

std::optional<CertificateNameConfig> read_tls_client_auth_name(MapReader& map, bool by_certificate,
                                                               ReadContext& context) {
  if (!by_certificate) {
    for (const std::string_view key : certificate_name_keys) {
      map.allow(key);
      if (const std::optional<Location> at = map.key_location(key)) {
        std::string message = "'";
        message.append(key).append("' is for 'token_endpoint_auth_method: tls_client_auth'");
        context.errors.push_back({*at, std::move(message)});
      }
    }
    return std::nullopt;
  }
  const auto one = read_one_of(map, certificate_name_keys, "tls_client_auth client", context);
  if (!one) return std::nullopt;
  const auto& [index, node] = *one;
  const std::string_view key = certificate_name_keys[index];
  std::optional<std::string> value = read_string(node, key, context.errors);
  if (!value) return std::nullopt;
  if (value->empty()) {
    context.errors.push_back({node.location(), "'" + std::string(key) + "' must not be empty"});
    return std::nullopt;
  }
  const CertificateNameKind kind = certificate_name_kinds[index];
  if (kind == CertificateNameKind::san_ip) {
    // Compared as the certificate holds it: "2001:db8::1" is 16 bytes, however it is written.
    std::expected<std::string, std::string> address = parse_ip_address(*value);
    if (!address) {
      context.errors.push_back(value_error(node, key, address.error()));
      return std::nullopt;
    }
    value = std::move(*address);
  }
  return CertificateNameConfig{.kind = kind, .value = std::move(*value)};
}

}  // namespace gatehouse::config
