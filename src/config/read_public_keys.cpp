// `jwks` or `jwks_file`: the public keys of a key manager client (private_key_jwt; or the
// certificates of a self_signed_tls_client_auth one) or of a trusted issuer, checked here so that
// a key that cannot verify anything is a config error at its line rather than a refused token
// later.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <fstream>
#include <iterator>

#include "config/sections.h"
#include "net/tls.h"
#include "security/jose/jwk.h"

namespace gatehouse::config {
namespace {

namespace json = boost::json;

// Far beyond any key set; a bigger file is a mistake (a log, a dump), not keys.
constexpr std::streamsize max_jwks_file_bytes = 1 << 20;

// A JWK written in YAML: members that are strings, or lists of strings (key_ops, x5c).
std::optional<json::object> yaml_jwk(const Node& node, ConfigErrors& errors) {
  if (!node.is_map()) {
    errors.push_back({node.location(), "an item of 'jwks' must be a map (a JWK)"});
    return std::nullopt;
  }
  json::object jwk;
  for (const auto& [key, value] : node.entries()) {
    if (value.is_scalar()) {
      jwk[key.scalar()] = value.scalar();
      continue;
    }
    json::array items;
    for (const Node& item : value.items()) {
      if (item.is_scalar()) items.emplace_back(item.scalar());
    }
    if (!value.is_sequence() || items.size() != value.size()) {
      errors.push_back({value.location(), "'" + std::string(key.scalar()) +
                                              "' of a JWK must be a string or a list of strings"});
      return std::nullopt;
    }
    jwk[key.scalar()] = std::move(items);
  }
  return jwk;
}

// Why a JWK cannot serve to verify others' signatures; nullopt when it can.
std::optional<std::string> public_key_problem(const json::object& jwk) {
  // Who holds a private or shared key could sign as the client or issuer: it has no place here.
  if (jwk.contains("d") || jwk.contains("k")) {
    return std::string("is a private or symmetric key: only public keys belong here");
  }
  if (const auto* use = jwk.if_contains("use");
      use && (!use->is_string() || use->get_string() != "sig")) {
    return std::string("is not a signing key (use)");
  }
  if (const auto key = jose::parse_jwk(jwk); !key) {
    return "cannot be used: " + std::string(jose::to_string(key.error()));
  }
  return std::nullopt;
}

std::optional<json::array> jwks_file_keys(const Node& value, const std::string& path,
                                          ConfigErrors& errors) {
  std::ifstream file(path, std::ios::binary);
  std::string text;
  text.resize(max_jwks_file_bytes + 1);
  file.read(text.data(), max_jwks_file_bytes + 1);
  text.resize(static_cast<size_t>(file.gcount()));
  boost::system::error_code failed;
  json::value document = json::parse(text, failed);
  const json::value* keys = !failed && document.is_object() && text.size() <= max_jwks_file_bytes
                                ? document.get_object().if_contains("keys")
                                : nullptr;
  if (keys == nullptr || !keys->is_array()) {
    errors.push_back(
        value_error(value, "jwks_file", "must be a JWKS: a JSON object with \"keys\""));
    return std::nullopt;
  }
  return keys->get_array();
}

}  // namespace

std::optional<PublicKeysConfig> read_public_keys(MapReader& map, std::string_view owner,
                                                 Presence presence, ReadContext& context) {
  const std::optional<Node> inline_keys = map.get("jwks");
  std::string path;
  read_file_path(map, "jwks_file", path, Presence::optional, context);
  const std::optional<Location> file_location = map.key_location("jwks_file");
  if (inline_keys && file_location) {
    context.errors.push_back(
        {*file_location, std::string(owner) + ": write only one of 'jwks' and 'jwks_file'"});
    return std::nullopt;
  }
  if (!inline_keys && !file_location) {
    if (presence == Presence::required) {
      context.errors.push_back(
          {map.location(), std::string(owner) + " needs 'jwks' or 'jwks_file'"});
    }
    return std::nullopt;
  }

  const size_t errors_before = context.errors.size();
  json::array keys;
  if (inline_keys) {
    const auto items = read_list(*inline_keys, "jwks", context.errors);
    if (!items) return std::nullopt;
    for (const Node& item : *items) {
      std::optional<json::object> jwk = yaml_jwk(item, context.errors);
      if (!jwk) continue;
      if (const auto problem = public_key_problem(*jwk)) {
        context.errors.push_back({item.location(), "this JWK " + *problem});
        continue;
      }
      keys.emplace_back(std::move(*jwk));
    }
  } else if (!path.empty()) {
    const Node value = *map.get("jwks_file");
    const auto file_keys = jwks_file_keys(value, path, context.errors);
    if (!file_keys) return std::nullopt;
    for (size_t i = 0; i < file_keys->size(); ++i) {
      const json::value& jwk = (*file_keys)[i];
      const auto problem = jwk.is_object() ? public_key_problem(jwk.get_object())
                                           : std::optional<std::string>("is not a JSON object");
      if (problem) {
        context.errors.push_back(
            value_error(value, "jwks_file", "key " + std::to_string(i + 1) + " " + *problem));
        continue;
      }
      keys.push_back(jwk);
    }
  }
  if (context.errors.size() != errors_before) return std::nullopt;
  const Location where = inline_keys ? inline_keys->location() : *file_location;
  if (keys.empty()) {
    context.errors.push_back({where, std::string(owner) + " has no public key"});
    return std::nullopt;
  }
  return PublicKeysConfig{.jwks_json = json::serialize(json::object{{"keys", std::move(keys)}}),
                          .location = where};
}

std::vector<std::string> read_x5c_certificates(const PublicKeysConfig& keys, std::string_view owner,
                                               ReadContext& context) {
  std::vector<std::string> certificates;
  const json::value document = json::parse(keys.jwks_json);
  const json::array& jwks = document.at("keys").as_array();
  for (size_t i = 0; i < jwks.size(); ++i) {
    const json::value* x5c = jwks[i].as_object().if_contains("x5c");
    const bool listed =
        x5c && x5c->is_array() && !x5c->get_array().empty() && x5c->get_array().front().is_string();
    std::string der = listed
                          ? net::certificate_der_from_base64(x5c->get_array().front().get_string())
                          : std::string();
    if (der.empty()) {
      context.errors.push_back(
          {keys.location, std::string(owner) + ": key " + std::to_string(i + 1) +
                              " needs 'x5c', whose first item is its certificate in base64 DER"});
      continue;
    }
    certificates.push_back(std::move(der));
  }
  return certificates;
}

}  // namespace gatehouse::config
