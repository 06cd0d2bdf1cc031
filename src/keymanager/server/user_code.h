// The user code of a device authorization (RFC 8628 section 6.1): what a user reads on a device's
// screen and types on another. Eight characters of twenty consonants, which read alike in any case
// and spell no word (no vowels), shown as XXXX-XXXX: 20^8, about 2^34.6 codes, of which a guesser
// must hit one of the few pending within their 10 minutes.
//
// Typed codes are compared case-insensitively, without the dash or spaces: normalise_user_code()
// gives the form that is hashed for the store.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gatehouse::keymanager {

// Eight random characters of the alphabet, normalised (no dash).
std::string new_user_code();

// XXXX-XXXX, for display.
std::string display_user_code(std::string_view normalised);

// The code upper-cased, without dashes and spaces; nullopt unless that is eight characters of the
// alphabet.
std::optional<std::string> normalise_user_code(std::string_view typed);

}  // namespace gatehouse::keymanager
