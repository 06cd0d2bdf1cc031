// libFuzzer target: RequestParser on arbitrary bytes cut into arbitrary reads.
// Input: [head read size][body read size] message...
#include "fuzz_driver.h"

using namespace gatehouse::http;

namespace {

fuzz::Outcome parse(std::string_view wire, size_t head_step, size_t body_step) {
  return fuzz::run<RequestParser, RequestHead>(
      wire, head_step, body_step,
      [] { return std::make_unique<RequestParser>(fuzz::small_limits()); },
      [](const RequestHead& head, std::string_view buffer) {
        fuzz::require(fuzz::inside(buffer, head.method) && !head.method.empty(), "method");
        fuzz::require(fuzz::inside(buffer, head.target) && !head.target.empty(), "target");
        fuzz::require(fuzz::inside(buffer, head.query) && fuzz::inside(buffer, head.host),
                      "query and host");
        fuzz::require(fuzz::inside(buffer, head.path) || head.path == "/", "path");
        fuzz::require(head.version_minor == 0 || head.version_minor == 1, "version");
        fuzz::require(head.headers.size() <= fuzz::small_limits().max_headers, "field count");
        fuzz::require(head.framing != BodyFraming::until_close, "requests never read to close");
        fuzz::check_fields(head.headers, buffer);
      });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const std::string_view wire(reinterpret_cast<const char*>(data) + 2, size - 2);
  const fuzz::Outcome whole = parse(wire, 0, 0);
  const fuzz::Outcome cut = parse(wire, data[0] % 32 + 1, data[1] % 32 + 1);
  fuzz::require_same(whole, cut);
  return 0;
}
