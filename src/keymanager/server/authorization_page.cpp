#include "keymanager/server/authorization_page.h"

namespace gatehouse::keymanager {

namespace {

constexpr std::string_view style = R"css(
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;
  font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f3f4f6;color:#1f2937}
main{background:#fff;border-radius:10px;box-shadow:0 2px 10px rgba(0,0,0,.12);padding:2rem;
  width:100%;max-width:23rem;box-sizing:border-box}
h1{font-size:1.35rem;margin:0 0 1.2rem}
label{display:block;margin:.9rem 0 .3rem;font-weight:600;font-size:.95rem}
input{width:100%;box-sizing:border-box;padding:.6rem;border:1px solid #b8bfca;border-radius:6px;
  font-size:1rem}
input:focus{outline:2px solid #2563eb;border-color:#2563eb}
.error{background:#fdecec;color:#8a1c1c;padding:.7rem;border-radius:6px;margin:0 0 1rem}
.who{color:#4b5563}
ul{margin:.4rem 0 0;padding-left:1.3rem}
code{background:#f3f4f6;padding:.1rem .3rem;border-radius:4px}
.buttons{display:flex;gap:.7rem;margin-top:1.5rem}
button{flex:1;padding:.65rem;font-size:1rem;border-radius:6px;border:1px solid #2563eb;cursor:pointer}
button[value=allow]{background:#2563eb;color:#fff}
button[value=deny]{background:#fff;color:#2563eb}
)css";

}  // namespace

OAuthAnswer html_page(int status, std::string_view title, const std::string& content) {
  std::string body =
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>";
  body += html_escape(title);
  body += "</title><style>";
  body += style;
  body += "</style></head>\n<body><main>\n";
  body += content;
  body += "</main></body></html>\n";
  OAuthAnswer answer{.status = status, .content_type = "text/html; charset=utf-8", .body = body};
  answer.headers = {
      {"Content-Security-Policy",
       "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"},
      {"X-Frame-Options", "DENY"},
      {"Cache-Control", "no-store"},
      {"Pragma", "no-cache"},
      {"Referrer-Policy", "no-referrer"},
      {"X-Content-Type-Options", "nosniff"},
  };
  return answer;
}

namespace {

std::string scope_list(const AuthorizationPage& page) {
  const std::string client = "<strong>" + html_escape(page.client_id) + "</strong>";
  if (page.scopes.empty()) return "<p>" + client + " asks to know who you are.</p>\n";
  std::string list = "<p>" + client + " asks for:</p>\n<ul>";
  for (const std::string& scope : page.scopes)
    list += "<li><code>" + html_escape(scope) + "</code></li>";
  return list + "</ul>\n";
}

}  // namespace

OAuthAnswer authorization_page(const AuthorizationPage& page) {
  const std::string title = page.ask_login ? "Sign in" : "Authorize " + std::string(page.client_id);
  std::string content = "<h1>" + html_escape(title) + "</h1>\n";
  if (!page.error.empty()) {
    content += "<p class=\"error\" role=\"alert\">" + html_escape(page.error) + "</p>\n";
  }
  if (!page.note.empty()) content += "<p>" + html_escape(page.note) + "</p>\n";
  content += "<form method=\"post\" action=\"" + html_escape(page.action) +
             "\">\n<input type=\"hidden\" name=\"";
  content += pending_request_field;
  content += "\" value=\"" + html_escape(page.pending) + "\">\n";
  if (page.ask_login) {
    content +=
        "<label for=\"username\">User name</label>"
        "<input id=\"username\" name=\"username\" autocomplete=\"username\" required autofocus>\n"
        "<label for=\"password\">Password</label>"
        "<input id=\"password\" name=\"password\" type=\"password\" "
        "autocomplete=\"current-password\" required>\n";
  } else {
    content +=
        "<p class=\"who\">Signed in as <strong>" + html_escape(page.subject) + "</strong></p>\n";
  }
  content += scope_list(page);
  // formnovalidate: denying needs no password.
  content +=
      "<div class=\"buttons\">"
      "<button type=\"submit\" name=\"decision\" value=\"allow\">Allow</button>"
      "<button type=\"submit\" name=\"decision\" value=\"deny\" formnovalidate>Deny</button>"
      "</div>\n</form>\n";
  return html_page(200, title, content);
}

OAuthAnswer authorization_error_page(std::string_view message) {
  const std::string content =
      "<h1>The authorization request cannot be served</h1>\n"
      "<p class=\"error\" role=\"alert\">" +
      html_escape(message) + "</p>\n<p>Go back to the application and try again.</p>\n";
  return html_page(400, "Authorization error", content);
}

std::string html_escape(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      case '\'':
        escaped += "&#39;";
        break;
      default:
        escaped += c;
    }
  }
  return escaped;
}

}  // namespace gatehouse::keymanager
