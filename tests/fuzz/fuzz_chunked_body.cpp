// libFuzzer target: a chunked message body (chunk sizes, extensions, data, last chunk, trailers)
// after a fixed request or response head, decoded the way the body relay does it: parse_body on
// what has arrived, the unconsumed rest offered again with the next read.
// Input: [flags][4 read sizes] body...; flags bit 0: a response's body (else a request's), bit 1:
// small limits, so that the size limits are reachable within an input.
//
// Checked: each call consumes at most what it was given and hands out pieces inside it; a decoded
// body is never longer than the bytes it came from; reads of any size give the same decision,
// body and trailers as the whole body at once; and what the relay sends on (the body as one
// chunk, then the trailers) decodes to the same body and trailers.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fuzz_require.h"
#include "http/parser.h"

using namespace gatehouse::http;

namespace {

using gatehouse::fuzz::require;

bool inside(std::string_view outer, std::string_view inner) {
  return inner.empty() || (inner.data() >= outer.data() &&
                           inner.data() + inner.size() <= outer.data() + outer.size());
}

// The gateway's defaults (config::LimitsConfig): a client's request as they are, a backend's
// response with four times the header bytes and twice the fields (proxy/upstream_call.cpp).
ParserLimits limits_for(bool response, bool small) {
  ParserLimits limits;
  if (small) {
    limits.max_header_bytes = 256;
    limits.max_headers = 8;
  }
  if (response) {
    limits.max_header_bytes *= 4;
    limits.max_headers *= 2;
  }
  return limits;
}

// A parser positioned at the start of a chunked body.
class Body {
 public:
  Body(bool response, bool small) {
    const ParserLimits limits = limits_for(response, small);
    if (response) {
      static const std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
      response_ = std::make_unique<ResponseParser>(limits, "GET");
      ResponseHead parsed;
      require(response_->parse_head(head, parsed).status == ParseStatus::done, "response head");
    } else {
      static const std::string head =
          "POST /upload HTTP/1.1\r\nHost: gateway.test\r\nTransfer-Encoding: chunked\r\n\r\n";
      request_ = std::make_unique<RequestParser>(limits);
      RequestHead parsed;
      require(request_->parse_head(head, parsed).status == ParseStatus::done, "request head");
    }
  }

  BodyResult parse(std::string_view data, std::vector<std::string_view>& pieces) {
    return request_ ? request_->parse_body(data, pieces) : response_->parse_body(data, pieces);
  }
  const std::vector<Header>& trailers() const {
    return request_ ? request_->trailers() : response_->trailers();
  }

 private:
  std::unique_ptr<RequestParser> request_;
  std::unique_ptr<ResponseParser> response_;
};

struct Decoded {
  bool error = false;
  bool complete = false;
  size_t consumed = 0;  // of the whole input
  std::string body;
  std::vector<std::pair<std::string, std::string>> trailers;
};

// Feeds `wire` in reads of the given sizes (cycling; empty: all at once), keeping the unconsumed
// rest for the next call as the relay does.
Decoded decode(bool response, bool small, std::string_view wire, const std::vector<size_t>& reads) {
  Decoded out;
  Body body(response, small);
  std::string pending;
  size_t offered = 0;
  size_t read = 0;
  do {
    const size_t take =
        reads.empty() ? wire.size() : std::min(reads[read++ % reads.size()], wire.size() - offered);
    pending.append(wire.substr(offered, take));
    offered += take;
    // A fresh copy per call, so that ASan sees a piece that points into an earlier buffer.
    const auto data = std::make_unique<std::string>(pending);
    std::vector<std::string_view> pieces;
    const BodyResult result = body.parse(*data, pieces);
    require(result.consumed <= data->size(), "consumed within what was offered");
    size_t decoded = 0;
    for (std::string_view piece : pieces) {
      require(inside(*data, piece), "a piece points into what was offered");
      decoded += piece.size();
      out.body.append(piece);
    }
    require(decoded <= result.consumed, "no more decoded than consumed");
    if (result.error) {
      require(result.error->status == (response ? 502 : 400), "framing errors are 400 or 502");
      out.error = true;
      return out;
    }
    out.consumed += result.consumed;
    pending.erase(0, result.consumed);
    if (result.complete) {
      out.complete = true;
      for (const Header& h : body.trailers()) {
        require(inside(*data, h.name) && inside(*data, h.value), "a trailer points into the data");
        require(!h.name.empty(), "trailer names are not empty");
        out.trailers.emplace_back(h.name, h.value);
      }
      return out;
    }
  } while (offered < wire.size());
  return out;
}

// What the relay writes on for a complete body: one chunk, the last chunk with the trailers.
std::string reframe(const Decoded& decoded) {
  char size[32];
  std::string out;
  if (!decoded.body.empty()) {
    std::snprintf(size, sizeof size, "%zx\r\n", decoded.body.size());
    out.append(size).append(decoded.body).append("\r\n");
  }
  out.append("0\r\n");
  for (const auto& [name, value] : decoded.trailers) out.append(name + ": " + value + "\r\n");
  return out.append("\r\n");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 5) return 0;
  const bool response = (data[0] & 1) != 0;
  const bool small = (data[0] & 2) != 0;
  const std::vector<size_t> reads = {size_t{data[1]} + 1, size_t{data[2]} + 1, size_t{data[3]} + 1,
                                     size_t{data[4]} + 1};
  const std::string_view wire(reinterpret_cast<const char*>(data) + 5, size - 5);

  const Decoded whole = decode(response, small, wire, {});
  require(whole.consumed <= wire.size() && whole.body.size() <= wire.size(),
          "a decoded body is never longer than its input");
  const Decoded cut = decode(response, small, wire, reads);
  require(whole.error == cut.error, "same decision however the body is cut into reads");
  if (whole.error) return 0;
  require(whole.complete == cut.complete, "same completion however the body is cut");
  require(whole.body == cut.body, "same body however the body is cut");
  if (!whole.complete) return 0;
  require(whole.consumed == cut.consumed, "the body ends at the same byte however it is cut");
  require(whole.trailers == cut.trailers, "same trailers however the body is cut");

  const std::string relayed = reframe(whole);
  const Decoded again = decode(response, small, relayed, {});
  require(!again.error && again.complete, "what the relay sends on is a valid chunked body");
  require(again.consumed == relayed.size(), "and it ends where it was written to end");
  require(again.body == whole.body && again.trailers == whole.trailers,
          "and it carries the same body and trailers");
  return 0;
}
