// The verification page's other views (the consent view is authorization_page.h's, posting to
// /oauth2/device): the form where the user types the code their device shows, and what the page
// says once they answered. Same look, escaping and headers as the authorization page.
//
// The code form posts `user_code` to /oauth2/device; browser tests drive it by that name.
#pragma once

#include <string_view>

#include "keymanager/server/oauth_message.h"

namespace gatehouse::keymanager {

inline constexpr std::string_view user_code_field = "user_code";

// 200 with the form; `error` (empty: none) says why the code typed before was not taken.
OAuthAnswer device_code_page(std::string_view error);

// 200, telling the user to go back to the device, which now gets its tokens or a refusal.
OAuthAnswer device_answered_page(bool approved);

}  // namespace gatehouse::keymanager
