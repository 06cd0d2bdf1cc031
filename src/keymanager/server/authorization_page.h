// The HTML the authorization endpoint shows a browser: one page that logs the user in (when they
// have no session) and asks their consent to the client's scopes, and an error page for a request
// that cannot go back to its client. Plain HTML with inline CSS, no script; everything written
// into it is escaped.
//
// The form posts back to its endpoint (/oauth2/authorize, or /oauth2/device for a device's
// authorization): the fields `username` and `password` (when the page
// logs in), the buttons `decision` = `allow` or `deny`, and the hidden pending request. Browser
// tests drive the page by these names: keep them.
//
// Every page is sent with Content-Security-Policy "default-src 'none'; style-src 'unsafe-inline';
// frame-ancestors 'none'" (no form-action: browsers apply it to the redirect that follows the
// POST), X-Frame-Options DENY (against clickjacking by browsers that predate frame-ancestors),
// Cache-Control no-store and Referrer-Policy no-referrer (the request's URL stays here).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "keymanager/server/oauth_message.h"

namespace gatehouse::keymanager {

inline constexpr std::string_view pending_request_field = "authorization_request";

struct AuthorizationPage {
  std::string_view client_id;
  std::vector<std::string> scopes;  // what the client asks for
  std::string_view pending;         // the signed pending request, for the hidden field
  bool ask_login = true;            // false: the user has a session, as `subject`
  std::string_view subject;
  std::string_view error;                 // shown above the form; empty: none
  std::string_view note;                  // shown under the title; empty: none
  std::string_view action = "authorize";  // the endpoint the form posts to, beside this one
};

OAuthAnswer authorization_page(const AuthorizationPage& page);

// A page of `content` (HTML, escaped by the caller) with the headers above.
OAuthAnswer html_page(int status, std::string_view title, const std::string& content);

// A 400 page saying what is wrong, for a request with no client to send the browser back to.
OAuthAnswer authorization_error_page(std::string_view message);

// Text for HTML content and quoted attribute values.
std::string html_escape(std::string_view text);

}  // namespace gatehouse::keymanager
