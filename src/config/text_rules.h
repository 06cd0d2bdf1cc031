// The rule every string of the config obeys, whatever its key: UTF-8 text without control
// characters. Config strings become API names in logs and metrics, header values, paths matched
// by the router and parts of JWTs; a NUL, a CR or a stray byte in any of them would cut, split or
// garble what they end up in.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gatehouse::config {

// The offset of the first byte that breaks the rule: a byte that does not start or continue a
// well-formed UTF-8 sequence (RFC 3629: no overlong forms, no surrogates, nothing above
// U+10FFFF), or a control character (U+0000-U+001F but tab, which YAML and HTTP field values
// allow, and U+007F-U+009F; so line breaks too). nullopt when the text is fine.
std::optional<size_t> find_text_violation(std::string_view text);

// `text` as a message may quote it: well-formed UTF-8 without control characters as it is, any
// other byte (and tab) as \xNN, cut after `max_bytes` bytes with "...", so that an error message
// never carries what it reports.
std::string printable(std::string_view text, size_t max_bytes = 120);

}  // namespace gatehouse::config
