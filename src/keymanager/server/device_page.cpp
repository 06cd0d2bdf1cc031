#include "keymanager/server/device_page.h"

#include <string>

#include "keymanager/server/authorization_page.h"

namespace gatehouse::keymanager {

OAuthAnswer device_code_page(std::string_view error) {
  std::string content = "<h1>Connect a device</h1>\n";
  if (!error.empty()) {
    content += "<p class=\"error\" role=\"alert\">" + html_escape(error) + "</p>\n";
  }
  content +=
      "<form method=\"post\" action=\"device\">\n"
      "<label for=\"user_code\">Enter the code shown on your device</label>"
      "<input id=\"user_code\" name=\"";
  content += user_code_field;
  content +=
      "\" autocomplete=\"off\" autocapitalize=\"characters\" spellcheck=\"false\" "
      "placeholder=\"XXXX-XXXX\" required autofocus>\n"
      "<div class=\"buttons\"><button type=\"submit\" value=\"allow\">Continue</button></div>\n"
      "</form>\n";
  return html_page(200, "Connect a device", content);
}

OAuthAnswer device_answered_page(bool approved) {
  const std::string_view title = approved ? "Device connected" : "Access denied";
  std::string content = "<h1>" + html_escape(title) + "</h1>\n<p>";
  content += approved ? "The device may now act for you. You can close this window."
                      : "The device was refused. You can close this window.";
  content += "</p>\n";
  return html_page(200, title, content);
}

}  // namespace gatehouse::keymanager
