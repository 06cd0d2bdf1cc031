#include "admin/key_rotation_route.h"

#include <boost/json/object.hpp>

#include "admin/responses.h"
#include "keymanager/server/key_ring.h"

namespace gatehouse::admin {

AdminResponse rotate_signing_key(std::string_view method, const AdminServices& services) {
  if (method != "POST") return not_allowed(method, "POST");
  const auto ring = services.rotate_signing_key();
  if (!ring) return error_response(ApiError{500, 500, "Internal Server Error", ring.error()});
  return json_response(200,
                       boost::json::object{{"kid", (*ring)->kid()}, {"jwks", (*ring)->jwks()}});
}

}  // namespace gatehouse::admin
