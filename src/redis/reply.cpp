#include "redis/reply.h"

#include <hiredis/hiredis.h>

#include <memory>
#include <new>

namespace gatehouse::redis {

namespace {

Reply copy_of(const redisReply& from) {
  Reply to;
  switch (from.type) {
    case REDIS_REPLY_INTEGER:
      to.type = Reply::Type::integer;
      to.integer = from.integer;
      break;
    case REDIS_REPLY_STRING:
      to.type = Reply::Type::string;
      to.text.assign(from.str, from.len);
      break;
    case REDIS_REPLY_STATUS:
      to.type = Reply::Type::status;
      to.text.assign(from.str, from.len);
      break;
    case REDIS_REPLY_ERROR:
      to.type = Reply::Type::error;
      to.text.assign(from.str, from.len);
      break;
    case REDIS_REPLY_ARRAY:
      to.type = Reply::Type::array;
      to.elements.reserve(from.elements);
      for (size_t i = 0; i < from.elements; ++i) to.elements.push_back(copy_of(*from.element[i]));
      break;
    default:  // REDIS_REPLY_NIL
      break;
  }
  return to;
}

struct FreeReply {
  void operator()(void* reply) const { freeReplyObject(reply); }
};

}  // namespace

std::string_view Reply::error_code() const {
  if (type != Type::error) return {};
  const std::string_view all = text;
  return all.substr(0, all.find(' '));
}

ReplyReader::ReplyReader() : reader_(redisReaderCreate()) {
  if (reader_ == nullptr) throw std::bad_alloc();
}

ReplyReader::~ReplyReader() {
  redisReaderFree(reader_);
}

bool ReplyReader::feed(std::string_view bytes) {
  return redisReaderFeed(reader_, bytes.data(), bytes.size()) == REDIS_OK;
}

std::expected<std::optional<Reply>, std::string> ReplyReader::next() {
  void* raw = nullptr;
  if (redisReaderGetReply(reader_, &raw) != REDIS_OK) {
    return std::unexpected(std::string(reader_->errstr));
  }
  if (raw == nullptr) return std::nullopt;
  const std::unique_ptr<void, FreeReply> owned(raw);
  return copy_of(*static_cast<const redisReply*>(raw));
}

}  // namespace gatehouse::redis
