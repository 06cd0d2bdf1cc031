"""RFC 8705 against the real binary: a client of the built-in key manager that authenticates by
its TLS client certificate (tls_client_auth) on a listener that asks for one, and the access
token bound to that certificate (cnf x5t#S256), which the Shop API accepts only over a
connection with the same certificate. Such a client registers its certificate's subject, or one
of its subject alternative names (RFC 8705 section 2.1.2). Certificates: the session's test CA
(conftest's Pki), with more leaves of it: one of the same subject and another key, one of another
subject, and some with subject alternative names.

Then self_signed_tls_client_auth (section 2.2): a device registers its self-signed certificate as
the x5c of its JWKS and asks on a listener with `client_auth: optional_no_ca`, which takes a
certificate no CA verified; there a tls_client_auth client still needs a CA-verified one."""

import base64
import hashlib
import json
import ssl
import subprocess

import pytest
import requests
from cryptography import x509
from jwt.algorithms import ECAlgorithm

import key_manager_support as km
from harness import free_port

CLIENT_DN = "CN=test-client,O=Gatehouse Tests"  # conftest's client.pem, as RFC 2253 text
PARTNER = "partner"
# Clients registered by a subject alternative name, each with the certificate that has it.
BY_NAME = {
    "partner-dns": ("tls_client_auth_san_dns", "Partner.Example", "san-dns"),
    "partner-uri": ("tls_client_auth_san_uri", "spiffe://example.org/partner", "san-uri"),
    "partner-ip": ("tls_client_auth_san_ip", "2001:db8::1", "san-ip"),
}
# The leaves beside conftest's: name, CN, subjectAltName (none when empty).
LEAVES = (
    ("impostor", "test-client", ""),  # the client's subject, its own key
    ("outsider", "outsider", ""),  # another subject
    ("san-dns", "partner", "DNS:www.example,DNS:partner.example"),
    ("san-uri", "partner", "URI:spiffe://example.org/partner"),
    ("san-ip", "partner", "IP:10.0.0.1,IP:2001:db8:0:0:0:0:0:1"),
    # Each of those names but one character, and the DNS name as another type.
    ("san-other", "partner", "DNS:partner.example.org,URI:spiffe://example.org/partners,"
                             "IP:2001:db8::2,email:partner.example"),
)


@pytest.fixture(scope="module")
def certificates(pki):
    """pki, with LEAVES, all issued by the listener's CA."""
    for name, cn, alt_names in LEAVES:
        if not pki.path(name + ".pem").exists():
            extensions = "subjectAltName=" + alt_names + "\n" if alt_names else ""
            pki.make_leaf(name, "ca", cn, extensions + "extendedKeyUsage=clientAuth\n")
    return pki


DEVICE = "device-42"


def make_self_signed(pki, name, subject):
    """A self-signed certificate and its key, as a device makes them, unless made already."""
    if not pki.path(name + ".pem").exists():
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:P-256", "-nodes", "-days", "30", "-subj", subject,
                        "-keyout", name + ".key", "-out", name + ".pem"],
                       cwd=pki.dir, check=True, capture_output=True)


def x5c_jwk(pki, name):
    """The public JWK of `name`'s certificate, with the certificate itself as x5c."""
    der = ssl.PEM_cert_to_DER_cert(pki.path(name + ".pem").read_text())
    public_key = x509.load_der_x509_certificate(der).public_key()
    return dict(json.loads(ECAlgorithm.to_jwk(public_key)), x5c=[base64.b64encode(der).decode()])


@pytest.fixture
def gateway(gateway_factory, backend_factory, tmp_path, certificates):
    make_self_signed(certificates, "device", "/CN=" + DEVICE)
    make_self_signed(certificates, "rogue-device", "/CN=" + DEVICE)
    # The subject tls_client_auth registers, without the CA that vouches for it.
    make_self_signed(certificates, "self-made-client", "/O=Gatehouse Tests/CN=test-client")
    port = free_port()
    device = {"client_id": DEVICE, "token_endpoint_auth_method": "self_signed_tls_client_auth",
              "jwks": [x5c_jwk(certificates, "device")], "grant_types": ["client_credentials"],
              "scopes": ["read"], "application": "shop-app"}
    partner = {"client_id": PARTNER, "token_endpoint_auth_method": "tls_client_auth",
               "tls_client_auth_subject_dn": CLIENT_DN, "grant_types": ["client_credentials"],
               "scopes": ["read"], "application": "shop-app"}
    by_name = [{"client_id": client, "token_endpoint_auth_method": "tls_client_auth", key: value,
                "grant_types": ["client_credentials"], "scopes": ["read"],
                "application": "shop-app"} for client, (key, value, _) in BY_NAME.items()]
    config = km.config(tmp_path / "access.log", backend_factory("shop"), port,
                       tmp_path / "oauth2.db", [partner, device] + by_name)
    server = {"cert": str(certificates.path("server.pem")),
              "key": str(certificates.path("server.key")),
              "client_ca": str(certificates.path("ca.pem"))}
    config["listeners"] += [
        {"name": "https", "address": "127.0.0.1:0", "tls": dict(server, client_auth="optional")},
        {"name": "devices", "address": "127.0.0.1:0",
         "tls": dict(server, client_auth="optional_no_ca")}]
    return gateway_factory(config=config)


def https(gateway, method, path, pki, cert=None, listener="https", **kwargs):
    """A request on a TLS listener, with the client certificate `cert` of pki, or none."""
    client = (str(pki.path(cert + ".pem")), str(pki.path(cert + ".key"))) if cert else None
    return requests.request(method, gateway.url(path, listener), cert=client,
                            verify=str(pki.path("ca.pem")), timeout=10, **kwargs)


def token_request(gateway, pki, cert, client=PARTNER, listener="https"):
    return https(gateway, "POST", "/oauth2/token", pki, cert, listener=listener,
                 data={"grant_type": "client_credentials", "client_id": client})


def thumbprint(pki, name):
    der = ssl.PEM_cert_to_DER_cert(pki.path(name + ".pem").read_text())
    return base64.urlsafe_b64encode(hashlib.sha256(der).digest()).rstrip(b"=").decode()


def claims_of(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_the_certificate_bound_token_is_accepted_only_over_its_certificate(gateway, certificates):
    issued = token_request(gateway, certificates, "client")
    assert issued.status_code == 200, issued.text
    token = issued.json()["access_token"]
    assert claims_of(token)["cnf"] == {"x5t#S256": thumbprint(certificates, "client")}
    bearer = {"Authorization": "Bearer " + token}

    ok = https(gateway, "GET", km.ITEMS_PATH, certificates, "client", headers=bearer)
    assert ok.status_code == 200, ok.text
    # The same subject and CA, another key: the thumbprint differs.
    for cert in ("impostor", None):
        refused = https(gateway, "GET", km.ITEMS_PATH, certificates, cert, headers=bearer)
        assert refused.status_code == 401, (cert, refused.text)
        assert refused.json()["code"] == 900901
        assert 'error="invalid_token"' in refused.headers["WWW-Authenticate"]
    # Nor on the plain listener, which has no certificate at all.
    assert km.call_api(gateway, token).status_code == 401


def test_another_subject_or_no_certificate_is_invalid_client(gateway, certificates):
    for cert in ("outsider", None):
        refused = token_request(gateway, certificates, cert)
        assert refused.status_code == 401, (cert, refused.text)
        assert refused.json()["error"] == "invalid_client"
    plain = requests.post(gateway.url("/oauth2/token"), timeout=10,
                          data={"grant_type": "client_credentials", "client_id": PARTNER})
    assert plain.status_code == 401 and plain.json()["error"] == "invalid_client"


def test_discovery_and_introspection_tell_of_the_binding(gateway, certificates):
    document = requests.get(gateway.url("/.well-known/oauth-authorization-server"),
                            timeout=10).json()
    assert document["tls_client_certificate_bound_access_tokens"] is True
    assert "tls_client_auth" in document["token_endpoint_auth_methods_supported"]
    token = token_request(gateway, certificates, "client").json()["access_token"]
    answer = https(gateway, "POST", "/oauth2/introspect", certificates, "client",
                   data={"token": token, "client_id": PARTNER}).json()
    assert answer["active"] is True
    assert answer["cnf"] == {"x5t#S256": thumbprint(certificates, "client")}


@pytest.mark.parametrize("client", BY_NAME)
def test_a_subject_alternative_name_authenticates_its_client(gateway, certificates, client):
    cert = BY_NAME[client][2]
    issued = token_request(gateway, certificates, cert, client)
    assert issued.status_code == 200, issued.text
    token = issued.json()["access_token"]
    assert claims_of(token)["cnf"] == {"x5t#S256": thumbprint(certificates, cert)}
    ok = https(gateway, "GET", km.ITEMS_PATH, certificates, cert,
               headers={"Authorization": "Bearer " + token})
    assert ok.status_code == 200, ok.text


@pytest.mark.parametrize("client", BY_NAME)
def test_a_certificate_without_the_registered_name_is_invalid_client(gateway, certificates,
                                                                     client):
    # Names that differ by a character or by their type; and the client's subject alone.
    for cert in ("san-other", "client"):
        refused = token_request(gateway, certificates, cert, client)
        assert refused.status_code == 401, (cert, refused.text)
        assert refused.json()["error"] == "invalid_client"


def test_a_self_signed_device_certificate_authenticates_and_binds_its_token(gateway,
                                                                            certificates):
    issued = token_request(gateway, certificates, "device", DEVICE, listener="devices")
    assert issued.status_code == 200, issued.text
    token = issued.json()["access_token"]
    assert claims_of(token)["cnf"] == {"x5t#S256": thumbprint(certificates, "device")}
    bearer = {"Authorization": "Bearer " + token}
    ok = https(gateway, "GET", km.ITEMS_PATH, certificates, "device", listener="devices",
               headers=bearer)
    assert ok.status_code == 200, ok.text
    # Another self-signed certificate of the same subject does not carry the token.
    refused = https(gateway, "GET", km.ITEMS_PATH, certificates, "rogue-device",
                    listener="devices", headers=bearer)
    assert refused.status_code == 401, refused.text


def test_an_unregistered_certificate_or_none_is_not_the_device(gateway, certificates):
    for cert in ("rogue-device", "client", None):
        refused = token_request(gateway, certificates, cert, DEVICE, listener="devices")
        assert refused.status_code == 401, (cert, refused.text)
        assert refused.json()["error"] == "invalid_client"


def test_a_ca_listener_refuses_the_self_signed_certificate_in_the_handshake(gateway,
                                                                           certificates):
    with pytest.raises(requests.exceptions.RequestException):
        token_request(gateway, certificates, "device", DEVICE)


def test_tls_client_auth_needs_the_ca_even_on_a_listener_without_one(gateway, certificates):
    # The registered subject, self-made: the optional_no_ca listener takes it, the key manager
    # does not, as no CA verified it.
    refused = token_request(gateway, certificates, "self-made-client", listener="devices")
    assert refused.status_code == 401, refused.text
    assert refused.json()["error"] == "invalid_client"
    # The CA's certificate of that subject is verified there too.
    issued = token_request(gateway, certificates, "client", listener="devices")
    assert issued.status_code == 200, issued.text
