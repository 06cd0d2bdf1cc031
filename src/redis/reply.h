// A Redis reply as a small owning value, and the reader that cuts replies out of the bytes a
// connection receives. The RESP parsing is hiredis' (its reader); a reply is copied out of
// hiredis' object, which is freed at once, so nothing of hiredis leaks past this file.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct redisReader;  // hiredis

namespace gatehouse::redis {

struct Reply {
  enum class Type : uint8_t { nil, integer, string, status, error, array };

  Type type = Type::nil;
  int64_t integer = 0;          // integer
  std::string text;             // string, status ("OK"), error ("NOSCRIPT No matching script...")
  std::vector<Reply> elements;  // array

  bool is_error() const { return type == Type::error; }
  // The error's code, its first word: "ERR", "NOSCRIPT", "READONLY", "WRONGTYPE"...; empty for
  // a reply that is not an error.
  std::string_view error_code() const;
};

// Incremental: feed() what the socket gave, then take whole replies with next() until it has
// none. A stream that is not RESP (or nests arrays deeper than hiredis' 7 levels) is an error,
// after which the reader is unusable and the connection must be dropped.
class ReplyReader {
 public:
  ReplyReader();
  ~ReplyReader();
  ReplyReader(const ReplyReader&) = delete;
  ReplyReader& operator=(const ReplyReader&) = delete;

  // false: out of memory (hiredis' only failure here).
  bool feed(std::string_view bytes);
  // The next whole reply; nullopt when more bytes are needed; the parser's reason on an error.
  std::expected<std::optional<Reply>, std::string> next();

 private:
  redisReader* reader_;
};

}  // namespace gatehouse::redis
