// Values the key manager hands to a browser and must get back unchanged: the pending
// authorization request in the login and consent page's form, and the login session's cookie.
// Each is a JWS (HS256) under a key drawn at random when the key manager starts and never stored:
// nothing outside this process can make one, and a restart voids them all (users log in again,
// an open page is sent again). Its `typ` says what it is, so that one is never taken for the
// other, and its `exp` bounds it. Signed, not encrypted: they hold nothing the browser's user may
// not read (the request the page shows, the user's own name).
#pragma once

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "keymanager/store/grant_store.h"
#include "security/jose/jwk.h"

namespace gatehouse::keymanager {

class HmacSigner {
 public:
  HmacSigner();  // with a new random key

  // `claims` with `exp` set to `expires_at`, signed.
  std::string sign(boost::json::object claims, std::string_view typ, UnixSeconds expires_at) const;

  // The claims of a value this signer made with this `typ`, not expired at `now`; nullopt for
  // anything else (forged, altered, another typ, expired, malformed).
  std::optional<boost::json::object> verify(std::string_view value, std::string_view typ,
                                            UnixSeconds now) const;

 private:
  jose::KeySet keys_;  // the one key
};

}  // namespace gatehouse::keymanager
