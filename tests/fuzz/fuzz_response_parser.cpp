// libFuzzer target: ResponseParser on arbitrary bytes cut into arbitrary reads, answering GET or
// HEAD. Input: [head read size][body read size][method: even GET, odd HEAD] message...
#include "fuzz_driver.h"

using namespace gatehouse::http;

namespace {

fuzz::Outcome parse(std::string_view wire, std::string_view method, size_t head_step,
                    size_t body_step) {
  return fuzz::run<ResponseParser, ResponseHead>(
      wire, head_step, body_step,
      [&] { return std::make_unique<ResponseParser>(fuzz::small_limits(), method); },
      [&](const ResponseHead& head, std::string_view buffer) {
        fuzz::require(head.status >= 100 && head.status <= 599, "status");
        fuzz::require(fuzz::inside(buffer, head.reason), "reason");
        fuzz::require(head.version_minor == 0 || head.version_minor == 1, "version");
        fuzz::require(method != "HEAD" || head.framing == BodyFraming::none, "HEAD has no body");
        fuzz::require(head.framing != BodyFraming::until_close || !head.keep_alive,
                      "a body read to close ends the connection");
        fuzz::check_fields(head.headers, buffer);
      });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  const std::string_view wire(reinterpret_cast<const char*>(data) + 3, size - 3);
  const std::string_view method = data[2] % 2 == 0 ? "GET" : "HEAD";
  const fuzz::Outcome whole = parse(wire, method, 0, 0);
  const fuzz::Outcome cut = parse(wire, method, data[0] % 32 + 1, data[1] % 32 + 1);
  fuzz::require_same(whole, cut);
  return 0;
}
