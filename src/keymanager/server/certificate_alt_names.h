// The subjectAltName entries of a client certificate (RFC 5280 section 4.2.1.6) that
// tls_client_auth can register (RFC 8705 section 2.1.2): dNSName, uniformResourceIdentifier,
// iPAddress and rfc822Name.
#pragma once

#include <string_view>
#include <vector>

#include "keymanager/server/client.h"

namespace gatehouse::keymanager {

// The entries of those four types of the DER certificate `der`, in its order, each as a
// CertificateName of the matching san_* type (an iPAddress as its 4 or 16 bytes); the other
// types are left out. None for a certificate without the extension, or bytes that are no
// certificate.
std::vector<CertificateName> certificate_alt_names(std::string_view der);

}  // namespace gatehouse::keymanager
