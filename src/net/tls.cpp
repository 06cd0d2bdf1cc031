#include "net/tls.h"

#include <boost/beast/core/detail/base64.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace gatehouse::net {

namespace ssl = boost::asio::ssl;
namespace base64 = boost::beast::detail::base64;

namespace {

std::string openssl_error(const std::string& what) {
  const unsigned long code = ERR_get_error();
  char text[256] = "unknown error";
  if (code != 0) ERR_error_string_n(code, text, sizeof text);
  ERR_clear_error();
  return what + ": " + text;
}

// Offers only http/1.1 (the codec this build speaks); a client that asks for h2 alone gets no
// ALPN agreement and the handshake fails, as RFC 7301 requires.
int select_alpn(SSL*, const unsigned char** out, unsigned char* out_length, const unsigned char* in,
                unsigned int in_length, void*) {
  static const unsigned char supported[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, out_length, supported, sizeof supported, in, in_length) !=
      OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_ALERT_FATAL;
  }
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

// Mozilla's "intermediate" profile (ssl-config.mozilla.org, version 5.7), without the DHE
// suites: TLS 1.2 offers only ECDHE key exchange with AES-GCM or ChaCha20-Poly1305, so every
// session has forward secrecy and an AEAD cipher; static RSA key exchange, CBC and SHA-1 MACs
// are refused. TLS 1.3 keeps OpenSSL's default suites, which are all of that kind.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
constexpr const char* kGroups = "X25519:P-256:P-384";

}  // namespace

std::expected<std::shared_ptr<ssl::context>, std::string> make_server_tls(
    const TlsServerConfig& config) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* ctx = context->native_handle();
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  // Every suite offered is strong, so the client's order decides (a phone without AES
  // instructions picks ChaCha20), as the profile recommends.
  SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION);
  if (SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1 ||
      SSL_CTX_set1_groups_list(ctx, kGroups) != 1) {
    return std::unexpected(openssl_error("cannot set the TLS cipher profile"));
  }
  if (SSL_CTX_use_certificate_chain_file(ctx, config.cert_file.c_str()) != 1) {
    return std::unexpected(openssl_error("cannot load certificate " + config.cert_file));
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, config.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    return std::unexpected(openssl_error("cannot load private key " + config.key_file));
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    return std::unexpected(openssl_error("private key does not match certificate"));
  }
  // Session resumption: both the server-side cache (session IDs) and stateless tickets. The
  // session id context must be set, or resumption fails once client certificates are requested.
  static const unsigned char session_context[] = "gatehouse";
  SSL_CTX_set_session_id_context(ctx, session_context, sizeof session_context - 1);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER);
  SSL_CTX_set_alpn_select_cb(ctx, select_alpn, nullptr);

  if (config.verifies_client_certificates()) {
    if (SSL_CTX_load_verify_locations(ctx, config.client_ca_file.c_str(), nullptr) != 1) {
      return std::unexpected(openssl_error("cannot load client CA " + config.client_ca_file));
    }
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(config.client_ca_file.c_str());
    if (names != nullptr) SSL_CTX_set_client_CA_list(ctx, names);
  }
  switch (config.client_auth) {
    case ClientAuth::none:
      break;
    case ClientAuth::optional:
      SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
      break;
    case ClientAuth::required:
      SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
      break;
    case ClientAuth::optional_no_ca:
      // The chain is still checked, and its result kept for SSL_get_verify_result; the callback
      // only keeps a failure from ending the handshake.
      SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, [](int, X509_STORE_CTX*) { return 1; });
      break;
  }
  return context;
}

std::expected<std::shared_ptr<ssl::context>, std::string> make_client_tls(
    const std::string& ca_file, bool verify) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
  SSL_CTX* ctx = context->native_handle();
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  if (verify) {
    const int loaded = ca_file.empty()
                           ? SSL_CTX_set_default_verify_paths(ctx)
                           : SSL_CTX_load_verify_locations(ctx, ca_file.c_str(), nullptr);
    if (loaded != 1) return std::unexpected(openssl_error("cannot load backend CA " + ca_file));
  }
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT);
  return context;
}

std::string x509_name_text(X509_NAME* name) {
  BIO* bio = BIO_new(BIO_s_mem());
  X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  std::string text(data, static_cast<size_t>(length));
  BIO_free(bio);
  return text;
}

X509Ptr parse_der_certificate(std::string_view der) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(der.data());
  return X509Ptr(d2i_X509(nullptr, &bytes, static_cast<long>(der.size())), &X509_free);
}

std::string certificate_der_from_base64(std::string_view text) {
  // Room for a last group without padding: decoded_size() assumes whole groups of four, and a
  // value cut short of its '=' once made decode() write past the end.
  std::string der((text.size() + 3) / 4 * 3, '\0');
  const auto [written, read] = base64::decode(der.data(), text.data(), text.size());
  der.resize(written);
  const bool only_padding = text.substr(read).find_first_not_of('=') == std::string_view::npos;
  // Every byte is the certificate's: no text left over, nothing after its DER.
  const auto* bytes = reinterpret_cast<const unsigned char*>(der.data());
  const X509Ptr certificate(d2i_X509(nullptr, &bytes, std::ssize(der)), &X509_free);
  const bool whole =
      certificate && bytes == reinterpret_cast<const unsigned char*>(der.data()) + der.size();
  return only_padding && whole ? der : std::string();
}

PeerCertificate peer_certificate(SSL* ssl) {
  PeerCertificate peer;
  X509* cert = SSL_get0_peer_certificate(ssl);
  if (cert == nullptr) return peer;
  peer.verified = SSL_get_verify_result(ssl) == X509_V_OK;
  peer.subject = x509_name_text(X509_get_subject_name(cert));
  peer.issuer = x509_name_text(X509_get_issuer_name(cert));
  unsigned char* der = nullptr;
  const int length = i2d_X509(cert, &der);
  if (length > 0) {
    peer.der.assign(reinterpret_cast<const char*>(der), static_cast<size_t>(length));
    OPENSSL_free(der);
  }
  return peer;
}

}  // namespace gatehouse::net
