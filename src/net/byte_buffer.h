// A growable contiguous byte buffer for one connection direction. The bytes of a message head stay
// where they were read for the whole exchange (parsed views point at them); body bytes pass through
// the window after the head and are discarded as soon as they are written on.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>

namespace gatehouse::net {

class ByteBuffer {
 public:
  explicit ByteBuffer(size_t initial_capacity = 4096) : capacity_(initial_capacity) {}

  // Bytes read and not yet consumed: [begin, end).
  std::string_view readable() const { return {data_.get() + begin_, end_ - begin_}; }
  std::string_view all() const { return {data_.get(), end_}; }
  size_t size() const { return end_ - begin_; }
  bool empty() const { return begin_ == end_; }
  size_t begin_offset() const { return begin_; }

  // Space to read into, at least `min` bytes, growing the buffer (views into it become invalid
  // only if it grows, which happens only while a head is incomplete).
  char* prepare(size_t min, size_t& available) {
    if (!data_) data_ = std::make_unique_for_overwrite<char[]>(capacity_);
    if (capacity_ - end_ < min) grow(end_ + min);
    available = capacity_ - end_;
    return data_.get() + end_;
  }
  void commit(size_t n) { end_ += n; }
  void consume(size_t n) { begin_ += n; }

  size_t capacity() const { return capacity_; }
  // Makes room for `total` bytes in all; returns true if the bytes moved (views became invalid).
  bool reserve(size_t total) {
    if (total <= capacity_) return false;
    if (!data_) {
      capacity_ = total;
      return false;
    }
    grow(total);
    return true;
  }

  // Drops consumed bytes down to `keep` (the head's length, whose bytes must stay in place),
  // moving unconsumed bytes to just after them.
  void compact_to(size_t keep) {
    const size_t unread = end_ - begin_;
    if (begin_ != keep && unread > 0)
      std::memmove(data_.get() + keep, data_.get() + begin_, unread);
    begin_ = keep;
    end_ = keep + unread;
  }
  // Starts a new message: unconsumed bytes (a pipelined request) move to the front.
  void restart() { compact_to(0); }

  // Frees the memory of an idle connection that holds no unread bytes.
  void release_if_empty() {
    if (begin_ == end_) {
      data_.reset();
      begin_ = end_ = 0;
    }
  }

 private:
  void grow(size_t needed) {
    size_t capacity = capacity_ * 2;
    while (capacity < needed) capacity *= 2;
    auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
    std::memcpy(bigger.get(), data_.get(), end_);
    data_ = std::move(bigger);
    capacity_ = capacity;
  }

  std::unique_ptr<char[]> data_;
  size_t capacity_;
  size_t begin_ = 0;
  size_t end_ = 0;
};

}  // namespace gatehouse::net
