#include "outbound/response_reader.h"

#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

namespace gatehouse::outbound {

namespace http = boost::beast::http;

namespace {

constexpr size_t head_limit = 64 * 1024;
constexpr size_t read_size = 16 * 1024;

Error read_error(ErrorKind kind, std::string_view peer, const net::error_code& error) {
  return Error(kind, ErrorSource::identity_provider, std::string(peer), error.message());
}

Error parse_error(std::string_view peer, const net::error_code& error) {
  if (error == http::error::body_limit || error == http::error::header_limit) {
    return read_error(ErrorKind::too_large, peer, error);
  }
  return read_error(ErrorKind::bad_response, peer, error);
}

// A TLS peer that closes without close_notify ends the stream like a TCP FIN would; whether the
// message was complete is then the parser's call.
bool is_end_of_stream(const net::error_code& error) {
  return error == boost::asio::error::eof || error == boost::asio::ssl::error::stream_truncated;
}

Response to_response(http::response_parser<http::string_body>& parser) {
  auto message = parser.release();
  Response response;
  response.status = static_cast<int>(message.result_int());
  for (const auto& field : message) {
    response.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  response.content_type = std::string(response.header("Content-Type"));
  response.body = std::move(message.body());
  return response;
}

}  // namespace

std::string_view Response::header(std::string_view name) const {
  for (const auto& [field, value] : headers) {
    if (boost::beast::iequals(field, name)) return value;
  }
  return {};
}

boost::asio::awaitable<std::expected<Response, Error>> read_response(net::Stream& stream,
                                                                     size_t max_body_bytes,
                                                                     bool head_request,
                                                                     std::string_view peer) {
  http::response_parser<http::string_body> parser;
  parser.header_limit(head_limit);
  parser.body_limit(max_body_bytes);
  parser.eager(true);
  parser.skip(head_request);
  boost::beast::flat_buffer buffer;
  net::error_code error;

  while (!parser.is_done()) {
    auto space = buffer.prepare(read_size);
    const net::IoResult read =
        co_await stream.read_some(static_cast<char*>(space.data()), space.size());
    if (is_end_of_stream(read.error)) {
      parser.put_eof(error);
      if (error) co_return std::unexpected(parse_error(peer, error));
      break;
    }
    if (read.error) {
      co_return std::unexpected(read_error(ErrorKind::bad_response, peer, read.error));
    }
    buffer.commit(read.bytes);
    // The parser takes what it can; an incomplete head stays in the buffer for the next read.
    while (buffer.size() > 0 && !parser.is_done()) {
      const size_t used = parser.put(buffer.data(), error);
      buffer.consume(used);
      if (error == http::error::need_more) {
        error = {};
        break;
      }
      if (error) co_return std::unexpected(parse_error(peer, error));
      if (used == 0) break;
    }
  }
  co_return to_response(parser);
}

}  // namespace gatehouse::outbound
