// Mutual TLS: the client certificate, from the TLS connection or a trusted proxy's header,
// against the API's CA or pinned certificates. The authentication step asks it before the other
// schemes: it is WSO2's second group, which may be required beside them or admit on its own
// (`mutual_tls_security`, `application_security`).
#include "policies/auth/authenticator.h"

namespace gatehouse::policies {
namespace {

class MutualTls final : public Authenticator {
 public:
  explicit MutualTls(const AuthSettings& settings) : certificates_(settings.certificates) {}

  config::Scheme scheme() const override { return config::Scheme::mutual_tls; }

  Authentication authenticate(const pipeline::Exchange& exchange, PendingCheck&) const override {
    // Null when the API's trust failed to compile, which fails the snapshot anyway.
    if (!certificates_) return Authentication::absent();
    // `presented` outlives the exchange's steps (the connection's TLS facts, the request head):
    // it is the caller's credential for the caches kept per caller.
    std::string_view presented;
    std::string from_header;
    std::string_view der;
    if (exchange.tls && !exchange.tls->certificate_der.empty()) {
      der = presented = exchange.tls->certificate_der;
    } else if (const http::Header* header =
                   http::find_header(exchange.request->headers, certificates_->header())) {
      from_header = certificates_->from_header(exchange.client_address, header->value);
      der = from_header;
      presented = header->value;
    }
    if (der.empty()) return Authentication::absent();
    auto trusted = certificates_->check(der);
    if (!trusted) {
      return Authentication::refused(security::AuthFailure::invalid_credentials,
                                     std::move(trusted.error()));
    }
    auto principal = std::make_shared<security::Principal>();
    principal->scheme = config::Scheme::mutual_tls;
    principal->subject = std::move(trusted->subject);
    return Authentication::authenticated(std::move(principal), presented);
  }

  std::string expected_credential() const override { return "a trusted client certificate"; }

 private:
  std::shared_ptr<const security::ClientCertificateTrust> certificates_;
};

}  // namespace

std::unique_ptr<const Authenticator> make_mutual_tls_authenticator(const AuthSettings& settings) {
  return std::make_unique<const MutualTls>(settings);
}

}  // namespace gatehouse::policies
