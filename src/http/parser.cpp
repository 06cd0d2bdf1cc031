// Beast's basic_parser, subclassed to record views and to add the RFC 9112 checks that Beast 1.81
// does not make: it accepts obs-fold (and copies the folded value to its own stack buffer), equal
// duplicate Content-Lengths and Content-Length lists, any Transfer-Encoding, requests without Host,
// targets with '#' or raw non-ASCII, and has no bound on a chunk-size line or trailer section.
// Beast is included here only.
#include "http/parser.h"

#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>

#include <algorithm>
#include <limits>
#include <string>

#include "http/head_scanner.h"
#include "http/parser_rules.h"

namespace gatehouse::http {

namespace {

namespace beast_http = boost::beast::http;
using beast_http::field;
using boost::beast::error_code;

constexpr size_t kHeadersReserve = 16;
// The shortest chunk header that can complete anything: "0\r\n\r\n", or "\r\n" + "0\r\n" + ...
// Beast asserts it has at least this much when it resumes a last chunk, so less is not offered.
constexpr size_t kMinChunkHeader = 5;

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The n-th CRLF-ended line of `section`, without its CRLF.
std::string_view nth_line(std::string_view section, size_t n) {
  for (; n > 0; --n) {
    const size_t crlf = section.find("\r\n");
    if (crlf == std::string_view::npos) return section;
    section.remove_prefix(crlf + 2);
  }
  return section.substr(0, section.find("\r\n"));
}

// Whether a line of a field section, up to its empty line, starts with a space or tab.
bool has_obs_fold(std::string_view section) {
  size_t at = 0;
  while (at < section.size()) {
    if (section[at] == ' ' || section[at] == '\t') return true;
    const size_t crlf = section.find("\r\n", at);
    if (crlf == std::string_view::npos || crlf == at) return false;
    at = crlf + 2;
  }
  return false;
}

bool contains(std::string_view outer, std::string_view inner) {
  const auto begin = reinterpret_cast<uintptr_t>(outer.data());
  const auto at = reinterpret_cast<uintptr_t>(inner.data());
  return at >= begin && at + inner.size() <= begin + outer.size();
}

// header_role() for a field Beast has already recognized: no name is compared again.
HeaderRole role_of(field f, std::string_view name) {
  switch (f) {
    case field::unknown:  // among them X-Forwarded-*, X-Request-ID and the method overrides
      return header_role(name);
    case field::connection:
      return HeaderRole::connection;
    case field::keep_alive:
    case field::proxy_connection:
    case field::te:
    case field::trailer:
    case field::transfer_encoding:
    case field::upgrade:
    case field::content_length:
      return HeaderRole::hop_by_hop;
    case field::host:
      return HeaderRole::host;
    case field::expect:
      return HeaderRole::expect;
    case field::authorization:
      return HeaderRole::authorization;
    case field::forwarded:
    case field::proxy_authorization:
      return HeaderRole::gateway_only;
    default:
      return HeaderRole::end_to_end;
  }
}

// One message's wire parse. Errors are ApiErrors with request semantics (400, 431, 501...); the
// response parser turns them into 502.
template <bool isRequest>
class WireParser final : public beast_http::basic_parser<isRequest> {
 public:
  WireParser(const ParserLimits& limits, int version_minor, std::vector<Header>& headers,
             bool skip_body)
      : limits_(limits), version_minor_(version_minor), fields_(&headers) {
    this->body_limit(boost::none);
    this->header_limit(static_cast<std::uint32_t>(
        std::min<size_t>(limits.max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
    this->skip(skip_body);
  }

  // Parses a complete head (start line to the final CRLF, already found by the HeadScanner).
  std::optional<ApiError> put_head(std::string_view head) {
    input_ = head;
    error_code ec;
    const size_t used = this->put(boost::asio::const_buffer(head.data(), head.size()), ec);
    if (ec) return diagnose_head(ec, head);
    if (!this->is_header_done() || used != head.size()) {
      return errors::bad_request("the head could not be parsed to its end");
    }
    return std::nullopt;
  }

  BodyResult put_body(std::string_view data, std::vector<std::string_view>& pieces) {
    BodyResult result;
    pieces_ = &pieces;
    bool beast_needs_more = false;
    while (result.consumed < data.size() && !this->is_done()) {
      const std::string_view rest = data.substr(result.consumed);
      if (this->chunked() && chunk_remaining_ == 0 && rest.size() < kMinChunkHeader) break;
      input_ = rest;
      error_code ec;
      const size_t used = this->put(boost::asio::const_buffer(rest.data(), rest.size()), ec);
      result.consumed += used;
      if (ec && ec != beast_http::error::need_more) {
        result.error = diagnose_body(ec, rest.substr(used));
        return result;
      }
      beast_needs_more = ec == beast_http::error::need_more;
      if (ec || used == 0) break;
    }
    result.complete = this->is_done();
    if (result.complete) return result;
    // What is left unconsumed waits for the end of a chunk-size line or of the trailer section.
    const std::string_view pending = data.substr(result.consumed);
    if (pending.size() > section_limit()) {
      result.error = section_too_large();
    } else if (beast_needs_more && chunk_remaining_ == 0 && chunk_line_overrun(pending)) {
      result.error = errors::bad_request(
          "malformed chunk extension: a quoted string runs past the end of its line");
    }
    return result;
  }

  // Beast reads a chunk extension's quoted-string up to its closing quote, past the CRLF; so when
  // it still asks for more although the line (and, for the last chunk, the trailer section) has
  // ended, an unterminated quoted-string is swallowing the body. Said at once, not at the limit.
  bool chunk_line_overrun(std::string_view pending) const {
    if (chunks_ > 0) {
      if (!pending.starts_with("\r\n")) return false;
      pending.remove_prefix(2);
    }
    const size_t crlf = pending.find("\r\n");
    if (crlf == std::string_view::npos) return false;
    const bool last_chunk =
        pending.find_first_not_of('0') >= pending.find_first_not_of("0123456789abcdefABCDEF");
    return !last_chunk || pending.find("\r\n\r\n", crlf) != std::string_view::npos;
  }

  bool keep_alive() const { return !close_ && beast_http::basic_parser<isRequest>::keep_alive(); }
  bool has_length() const { return has_length_; }
  uint64_t length() const { return length_; }
  bool host_seen() const { return host_seen_; }
  std::string_view host() const { return host_; }
  bool expect_continue() const { return expect_continue_; }
  const std::vector<Header>& trailers() const { return trailers_; }

 private:
  void on_request_impl(beast_http::verb, boost::beast::string_view, boost::beast::string_view, int,
                       error_code&) override {
    start_line_done_ = true;
  }

  void on_response_impl(int, boost::beast::string_view, int, error_code&) override {
    start_line_done_ = true;
  }

  void on_field_impl(field f, boost::beast::string_view name, boost::beast::string_view value,
                     error_code& ec) override {
    // Beast hands out a folded value from its own stack buffer; the scanner rejects folds in the
    // head, this catches any other way for a view to leave the input.
    if (!contains(input_, value)) {
      return fail(ec, errors::bad_request("obsolete line folding is not allowed"));
    }
    if (fields_->size() >= limits_.max_headers) {
      return fail(ec, too_many_fields());
    }
    if (auto error = check_field(f, name, value)) return fail(ec, std::move(*error));
    if (in_trailers_) {
      trailer_bytes_ += name.size() + value.size() + 4;  // "name: value\r\n"
      if (trailer_bytes_ > section_limit()) return fail(ec, section_too_large());
    }
    fields_->emplace_back(name, value, role_of(f, name));
  }

  void on_header_impl(error_code&) override {}

  void on_body_init_impl(const boost::optional<std::uint64_t>&, error_code&) override {}

  std::size_t on_body_impl(boost::beast::string_view body, error_code&) override {
    if (!body.empty()) pieces_->push_back(body);
    return body.size();
  }

  void on_chunk_header_impl(std::uint64_t size, boost::beast::string_view,
                            error_code& ec) override {
    // Beast calls this with input_ starting at the chunk-size line, after the CRLF that ends the
    // previous chunk's data.
    std::string_view line = input_.substr(chunks_ > 0 ? 2 : 0);
    // The same bound as for a line still arriving (put_body), also when it came whole.
    const size_t line_end = line.find("\r\n");
    if (line_end != std::string_view::npos && line_end > section_limit()) {
      return fail(ec, section_too_large());
    }
    size_t digits = 0;
    while (digits < line.size() && rules::is_hex_digit(line[digits])) ++digits;
    if (digits > 16) {
      return fail(ec, errors::bad_request("chunk size has more than 16 hexadecimal digits"));
    }
    chunk_remaining_ = size;
    if (size != 0) {
      ++chunks_;
      return;
    }
    trailer_section_ = line.substr(line.find("\r\n") + 2);
    fields_ = &trailers_;
    in_trailers_ = true;
    if (has_obs_fold(trailer_section_)) {
      return fail(ec, errors::bad_request("obsolete line folding is not allowed in trailers"));
    }
  }

  std::size_t on_chunk_body_impl(std::uint64_t, boost::beast::string_view body,
                                 error_code&) override {
    if (!body.empty()) pieces_->push_back(body);
    chunk_remaining_ -= body.size();
    return body.size();
  }

  void on_finish_impl(error_code&) override {}

  void fail(error_code& ec, ApiError error) {
    error_ = std::move(error);
    ec = beast_http::error::bad_value;
  }

  size_t section_limit() const { return std::min(limits_.max_header_bytes, kMaxChunkSectionBytes); }

  ApiError section_too_large() const {
    return errors::bad_request("a chunk-size line or the trailer section exceeds " +
                               std::to_string(section_limit()) + " bytes");
  }

  ApiError too_many_fields() const {
    if (in_trailers_) {
      return errors::bad_request("more than " + std::to_string(limits_.max_headers) +
                                 " trailer fields");
    }
    if constexpr (isRequest) return errors::headers_too_large();
    return errors::bad_request("more than " + std::to_string(limits_.max_headers) +
                               " header fields");
  }

  // The field rules Beast does not apply; run for every field Beast accepts, and again on the line
  // Beast refused, to say why.
  std::optional<ApiError> check_field(field f, std::string_view name, std::string_view value) {
    if (in_trailers_) {
      if (f == field::content_length || f == field::transfer_encoding || f == field::host) {
        return errors::bad_request("field " + rules::quote(name) +
                                   " is not allowed in a trailer section");
      }
      return std::nullopt;
    }
    switch (f) {
      case field::content_length:
        return check_content_length(value);
      case field::transfer_encoding:
        return check_transfer_encoding(value);
      case field::connection:
        // Beast lets HTTP/1.0's keep-alive win over close; RFC 9112 section 9.3 has close win.
        close_ = close_ || rules::list_has_token(value, "close");
        break;
      case field::host:
        if constexpr (isRequest) return check_host(value);
        break;
      case field::expect:
        if constexpr (isRequest) return check_expect(value);
        break;
      default:
        break;
    }
    return std::nullopt;
  }

  std::optional<ApiError> check_content_length(std::string_view value) {
    if (has_transfer_encoding_) return both_lengths();
    if (has_length_) return errors::bad_request("more than one Content-Length field");
    if (auto problem = rules::parse_content_length(value, length_)) {
      return errors::bad_request(*problem);
    }
    has_length_ = true;
    return std::nullopt;
  }

  std::optional<ApiError> check_transfer_encoding(std::string_view value) {
    if (has_length_) return both_lengths();
    if (has_transfer_encoding_) return errors::bad_request("more than one Transfer-Encoding field");
    has_transfer_encoding_ = true;
    if (version_minor_ == 0) {
      return errors::bad_request("Transfer-Encoding is not allowed in an HTTP/1.0 message");
    }
    switch (rules::classify_transfer_encoding(value)) {
      case rules::TransferCoding::chunked:
        return std::nullopt;
      case rules::TransferCoding::unsupported:
        return errors::not_implemented("Transfer-Encoding " + rules::quote(value) +
                                       " is not supported; only 'chunked' is");
      case rules::TransferCoding::not_final:
        return errors::bad_request("Transfer-Encoding " + rules::quote(value) +
                                   " does not end in 'chunked', so the body length is unknown");
      case rules::TransferCoding::malformed:
        break;
    }
    return errors::bad_request("Transfer-Encoding " + rules::quote(value) + " is malformed");
  }

  static ApiError both_lengths() {
    return errors::bad_request(
        "both Content-Length and Transfer-Encoding are present; the body length is ambiguous");
  }

  std::optional<ApiError> check_host(std::string_view value) {
    if (host_seen_) return errors::bad_request("more than one Host field");
    host_seen_ = true;
    host_ = value;
    if (!rules::is_valid_host(value)) {
      return errors::bad_request("the Host field is not a valid host[:port]");
    }
    return std::nullopt;
  }

  std::optional<ApiError> check_expect(std::string_view value) {
    // RFC 9110 section 10.1.1: a server ignores an HTTP/1.0 client's expectations.
    if (version_minor_ == 0) return std::nullopt;
    if (!iequals(value, "100-continue")) {
      return rules::expectation_failed("the only supported expectation is 100-continue");
    }
    expect_continue_ = true;
    return std::nullopt;
  }

  // Beast refused the field line `line`: say what is wrong with it.
  ApiError diagnose_field_line(error_code ec, std::string_view line) {
    if (auto problem = rules::describe_field_line(line)) return errors::bad_request(*problem);
    const size_t colon = line.find(':');
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = trim_ows(line.substr(colon + 1));
    if (auto error = check_field(beast_http::string_to_field(name), name, value)) return *error;
    return errors::bad_request("field " + rules::quote(name) + " is malformed: " + ec.message());
  }

  ApiError diagnose_head(error_code ec, std::string_view head) {
    if (error_) return *error_;
    if (!start_line_done_) {
      return errors::bad_request("malformed start line: " + ec.message());
    }
    const std::string_view fields = head.substr(head.find("\r\n") + 2);
    return diagnose_field_line(ec, nth_line(fields, fields_->size()));
  }

  ApiError diagnose_body(error_code ec, std::string_view pending) {
    if (error_) return *error_;
    if (in_trailers_) {
      ApiError error = diagnose_field_line(ec, nth_line(trailer_section_, trailers_.size()));
      error.description = "in the trailer section: " + error.description;
      return error;
    }
    if (chunks_ > 0) {
      if (!pending.starts_with("\r\n")) {
        return errors::bad_request("chunk data is not followed by CRLF");
      }
      pending.remove_prefix(2);
    }
    const std::string_view line = pending.substr(0, pending.find("\r\n"));
    if (line.find_first_of("\r\n") != std::string_view::npos) {
      return errors::bad_request("a chunk-size line contains a bare CR or LF");
    }
    if (line.empty() || !rules::is_hex_digit(line.front())) {
      return errors::bad_request(line.starts_with('-') ? "chunk size is negative"
                                                       : "chunk size is not a hexadecimal number");
    }
    if (ec == beast_http::error::bad_chunk) {
      return errors::bad_request("chunk size overflows 64 bits");
    }
    if (ec == beast_http::error::bad_chunk_extension) {
      return errors::bad_request("malformed chunk extension after the chunk size");
    }
    return errors::bad_request("malformed chunk: " + ec.message());
  }

  const ParserLimits& limits_;
  const int version_minor_;
  std::vector<Header>* fields_;  // the head's fields, then the trailers
  std::vector<Header> trailers_;
  std::vector<std::string_view>* pieces_ = nullptr;
  std::string_view input_;  // the bytes of the current put()
  std::string_view trailer_section_;
  std::optional<ApiError> error_;  // set by a callback that refused its input
  bool start_line_done_ = false;
  bool in_trailers_ = false;
  bool has_length_ = false;
  bool has_transfer_encoding_ = false;
  bool host_seen_ = false;
  bool expect_continue_ = false;
  bool close_ = false;
  uint64_t length_ = 0;
  uint64_t chunk_remaining_ = 0;
  uint64_t chunks_ = 0;
  size_t trailer_bytes_ = 0;
  std::string_view host_;
};

const std::vector<Header> kNoTrailers;

ApiError from_backend(std::string_view description) {
  return errors::bad_gateway("the backend's response is malformed: " + std::string(description));
}

HeadResult head_error(const std::optional<ApiError>& error) {
  return {ParseStatus::error, 0, error};
}

BodyResult body_error(std::optional<ApiError>& sticky, ApiError error) {
  sticky = std::move(error);
  return {0, false, sticky};
}

}  // namespace

// ---------------------------------------------------------------------------------------------

struct RequestParser::Impl {
  explicit Impl(const ParserLimits& l) : limits(l) {}

  HeadResult fail(ApiError e) {
    error = std::move(e);
    return head_error(error);
  }

  HeadResult finish_head(std::string_view buffer, RequestHead& head);

  ParserLimits limits;
  HeadScanner scanner{true};
  rules::RequestLine line;
  std::optional<WireParser<true>> wire;
  std::optional<ApiError> error;
  size_t head_length = 0;
  rules::RequestLinePrefix prefix;
};

RequestParser::RequestParser(const ParserLimits& limits) : impl_(std::make_unique<Impl>(limits)) {}
RequestParser::~RequestParser() = default;

void RequestParser::reset() {
  Impl& s = *impl_;
  s.scanner = HeadScanner(true);
  s.line = {};
  s.wire.reset();
  s.error.reset();
  s.head_length = 0;
  s.prefix = {};
}

HeadResult RequestParser::parse_head(std::string_view buffer, RequestHead& head) {
  Impl& s = *impl_;
  if (s.error) return head_error(s.error);
  if (s.head_length != 0) return {ParseStatus::done, s.head_length, std::nullopt};
  bool line_in_buffer = false;  // whether s.line points into this call's buffer
  while (true) {
    switch (s.scanner.next(buffer, s.limits.max_header_bytes)) {
      case HeadScanner::Step::bad:
        return s.fail(errors::bad_request(s.scanner.problem()));
      case HeadScanner::Step::start_line:
        if (auto e = rules::check_request_line(s.scanner.start_line(buffer),
                                               s.limits.max_uri_length, s.line)) {
          return s.fail(std::move(*e));
        }
        line_in_buffer = true;
        continue;
      case HeadScanner::Step::end:
        // Checked in an earlier call, the line's views point into a buffer that may have moved.
        if (!line_in_buffer) {
          rules::check_request_line(s.scanner.start_line(buffer), s.limits.max_uri_length, s.line);
        }
        return s.finish_head(buffer, head);
      case HeadScanner::Step::need_more:
        break;
    }
    if (!s.scanner.start_line_seen()) {
      const size_t seen = std::min(buffer.size(), s.limits.max_header_bytes);
      if (auto e = rules::check_request_line_prefix(
              buffer.substr(s.scanner.start(), seen - s.scanner.start()), s.limits.max_uri_length,
              s.prefix)) {
        return s.fail(std::move(*e));
      }
    }
    if (buffer.size() >= s.limits.max_header_bytes) return s.fail(errors::headers_too_large());
    return {ParseStatus::need_more, 0, std::nullopt};
  }
}

HeadResult RequestParser::Impl::finish_head(std::string_view buffer, RequestHead& head) {
  head.headers.clear();
  if (head.headers.capacity() < kHeadersReserve) head.headers.reserve(kHeadersReserve);
  wire.emplace(limits, line.version_minor, head.headers, false);
  const std::string_view bytes = buffer.substr(scanner.start(), scanner.end() - scanner.start());
  if (auto e = wire->put_head(bytes)) return fail(std::move(*e));
  if (line.version_minor == 1 && !wire->host_seen()) {
    return fail(errors::bad_request("an HTTP/1.1 request must have a Host field"));
  }
  head.method = line.method;
  head.target = line.target;
  head.path = line.path;
  head.query = line.query;
  head.version_minor = line.version_minor;
  head.framing = wire->chunked()      ? BodyFraming::chunked
                 : wire->has_length() ? BodyFraming::content_length
                                      : BodyFraming::none;
  head.content_length = wire->has_length() ? wire->length() : 0;
  head.keep_alive = wire->keep_alive();
  head.expect_continue = wire->expect_continue();
  // RFC 9112 section 3.2.2: an absolute-form target's authority replaces Host.
  head.host = line.authority.empty() ? wire->host() : line.authority;
  head_length = scanner.end();
  return {ParseStatus::done, head_length, std::nullopt};
}

BodyResult RequestParser::parse_body(std::string_view data, std::vector<std::string_view>& pieces) {
  Impl& s = *impl_;
  if (s.error) return {0, false, s.error};
  if (!s.wire || s.head_length == 0) {
    return body_error(s.error, errors::bad_request("the request body came before its head"));
  }
  BodyResult result = s.wire->put_body(data, pieces);
  if (result.error) s.error = result.error;
  return result;
}

const std::vector<Header>& RequestParser::trailers() const {
  return impl_->wire ? impl_->wire->trailers() : kNoTrailers;
}

// ---------------------------------------------------------------------------------------------

struct ResponseParser::Impl {
  Impl(const ParserLimits& l, std::string_view request_method)
      : limits(l), head_request(request_method == "HEAD") {}

  HeadResult fail(std::string_view description) {
    error = from_backend(description);
    return head_error(error);
  }

  HeadResult finish_head(std::string_view buffer, ResponseHead& head);

  ParserLimits limits;
  bool head_request;
  HeadScanner scanner{false};
  rules::StatusLine line;
  std::optional<WireParser<false>> wire;
  std::optional<ApiError> error;
  size_t head_length = 0;
};

ResponseParser::ResponseParser(const ParserLimits& limits, std::string_view request_method)
    : impl_(std::make_unique<Impl>(limits, request_method)) {}
ResponseParser::~ResponseParser() = default;

void ResponseParser::reset(std::string_view request_method) {
  Impl& s = *impl_;
  s.head_request = request_method == "HEAD";
  s.scanner = HeadScanner(false);
  s.line = {};
  s.wire.reset();
  s.error.reset();
  s.head_length = 0;
}

HeadResult ResponseParser::parse_head(std::string_view buffer, ResponseHead& head) {
  Impl& s = *impl_;
  if (s.error) return head_error(s.error);
  if (s.head_length != 0) return {ParseStatus::done, s.head_length, std::nullopt};
  bool line_in_buffer = false;  // whether s.line points into this call's buffer
  while (true) {
    switch (s.scanner.next(buffer, s.limits.max_header_bytes)) {
      case HeadScanner::Step::bad:
        return s.fail(s.scanner.problem());
      case HeadScanner::Step::start_line:
        if (auto problem = rules::check_status_line(s.scanner.start_line(buffer), s.line)) {
          return s.fail(*problem);
        }
        line_in_buffer = true;
        continue;
      case HeadScanner::Step::end:
        // Checked in an earlier call, the reason's view points into a buffer that may have moved.
        if (!line_in_buffer) rules::check_status_line(s.scanner.start_line(buffer), s.line);
        return s.finish_head(buffer, head);
      case HeadScanner::Step::need_more:
        break;
    }
    if (buffer.size() >= s.limits.max_header_bytes) {
      return s.fail("the head exceeds " + std::to_string(s.limits.max_header_bytes) + " bytes");
    }
    return {ParseStatus::need_more, 0, std::nullopt};
  }
}

HeadResult ResponseParser::Impl::finish_head(std::string_view buffer, ResponseHead& head) {
  head.headers.clear();
  if (head.headers.capacity() < kHeadersReserve) head.headers.reserve(kHeadersReserve);
  wire.emplace(limits, line.version_minor, head.headers, head_request);
  const std::string_view bytes = buffer.substr(0, scanner.end());
  if (auto e = wire->put_head(bytes)) return fail(e->description);
  const bool no_body =
      head_request || line.status / 100 == 1 || line.status == 204 || line.status == 304;
  head.status = line.status;
  head.reason = line.reason;
  head.version_minor = line.version_minor;
  head.framing = no_body              ? BodyFraming::none
                 : wire->chunked()    ? BodyFraming::chunked
                 : wire->has_length() ? BodyFraming::content_length
                                      : BodyFraming::until_close;
  head.content_length = head.framing == BodyFraming::content_length ? wire->length() : 0;
  head.keep_alive = wire->keep_alive();
  head_length = scanner.end();
  return {ParseStatus::done, head_length, std::nullopt};
}

BodyResult ResponseParser::parse_body(std::string_view data,
                                      std::vector<std::string_view>& pieces) {
  Impl& s = *impl_;
  if (s.error) return {0, false, s.error};
  if (!s.wire || s.head_length == 0) {
    return body_error(s.error, errors::bad_gateway("the response body came before its head"));
  }
  BodyResult result = s.wire->put_body(data, pieces);
  if (result.error) result.error = s.error = from_backend(result.error->description);
  return result;
}

BodyResult ResponseParser::finish() {
  Impl& s = *impl_;
  if (s.error) return {0, false, s.error};
  if (!s.wire || s.head_length == 0) {
    return body_error(
        s.error, errors::bad_gateway("the backend closed the connection before the response head"));
  }
  if (!s.wire->is_done()) {
    error_code ec;
    s.wire->put_eof(ec);
    if (ec) {
      return body_error(s.error, errors::bad_gateway("the backend closed the connection before "
                                                     "the end of the response body"));
    }
  }
  return {0, true, std::nullopt};
}

const std::vector<Header>& ResponseParser::trailers() const {
  return impl_->wire ? impl_->wire->trailers() : kNoTrailers;
}

}  // namespace gatehouse::http
