#include "redis/script.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <new>
#include <vector>

namespace gatehouse::redis {

namespace asio = boost::asio;

namespace {

std::string sha1_hex(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha1(), nullptr) != 1) {
    throw std::bad_alloc();  // SHA-1 is built into every OpenSSL; only memory can fail it
  }
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < size; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 0xf];
  }
  return out;
}

}  // namespace

Script::Script(std::string source) : source_(std::move(source)), sha1_(sha1_hex(source_)) {}

asio::awaitable<Connection::Result> Script::run(Connection& connection,
                                                std::span<const std::string_view> keys,
                                                std::span<const std::string_view> args) const {
  // EVALSHA, the digest, the key count, the keys, the arguments; on the stack for a throttling
  // decision's few keys and arguments.
  constexpr size_t inline_args = 16;
  const size_t count = 3 + keys.size() + args.size();
  std::array<std::string_view, inline_args> inline_command;
  std::vector<std::string_view> more;
  std::span<std::string_view> command;
  if (count <= inline_args) {
    command = std::span(inline_command.data(), count);
  } else {
    more.resize(count);
    command = more;
  }
  char key_count[24];
  const char* key_count_end =
      std::to_chars(key_count, key_count + sizeof(key_count), keys.size()).ptr;
  command[0] = "EVALSHA";
  command[1] = sha1_;
  command[2] = std::string_view(key_count, key_count_end);
  std::copy(keys.begin(), keys.end(), command.begin() + 3);
  std::copy(args.begin(), args.end(), command.begin() + 3 + keys.size());

  Connection::Result result = co_await connection.command(command);
  if (!result || result->error_code() != "NOSCRIPT") co_return result;
  command[0] = "EVAL";
  command[1] = source_;
  co_return co_await connection.command(command);
}

}  // namespace gatehouse::redis
