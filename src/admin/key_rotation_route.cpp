#include "admin/key_rotation_route.h"

#include <boost/json/object.hpp>

#include <algorithm>

#include "admin/responses.h"
#include "keymanager/server/key_ring.h"
#include "keymanager/server/server_context.h"
#include "observability/prometheus_text.h"

namespace gatehouse::admin {

AdminResponse rotate_signing_key(std::string_view method, const AdminServices& services) {
  if (method != "POST") return not_allowed(method, "POST");
  const auto ring = services.rotate_signing_key();
  if (!ring) return server_error(ring.error());
  return json_response(200,
                       boost::json::object{{"kid", (*ring)->kid()}, {"jwks", (*ring)->jwks()}});
}

std::string signing_key_metrics(const keymanager::ServerContext& context, int64_t now) {
  const auto ring = context.keys();
  const boost::json::value* keys = ring->jwks().if_contains("keys");
  const size_t listed = keys != nullptr && keys->is_array() ? keys->get_array().size() : 0;
  std::string text;
  observability::append_sample(
      text, "gatehouse_oauth2_signing_key_rotations_total", "counter",
      "Rotations of the key manager's signing key in this process, by hand or on schedule.",
      static_cast<int64_t>(context.rotations()));
  observability::append_sample(text, "gatehouse_oauth2_signing_key_age_seconds", "gauge",
                               "Since the key that signs was made.",
                               std::max<int64_t>(0, now - ring->created_at()));
  observability::append_sample(text, "gatehouse_oauth2_signing_keys", "gauge",
                               "Keys in the JWKS: the current and the retired.",
                               static_cast<int64_t>(listed));
  return text;
}

}  // namespace gatehouse::admin
