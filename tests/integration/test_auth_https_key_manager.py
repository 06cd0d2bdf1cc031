"""A key manager reached over HTTPS (`ca_file`, `verify_tls` in docs/config.md): oidc-provider
serves TLS with a certificate from a test CA made by openssl at test time (conftest.Pki); the
gateway finds its keys by discovery and introspects over that connection when it trusts the CA,
and refuses to use a key manager whose certificate it cannot verify (500 900900, at once)."""

import time

import pytest
import requests

from harness import api
from oidc_server import OidcServer
from security_support import assert_wso2_error


@pytest.fixture(scope="module")
def tls_oidc(tmp_path_factory, pki):
    tls = (pki.path("server.pem"), pki.path("server.key"), pki.path("ca.pem"))
    with OidcServer(tmp_path_factory.mktemp("oidc-tls"), tls=tls) as server:
        assert server.issuer.startswith("https://")
        yield server


def start_gateway(gateway_factory, backend, server, **tls_options):
    shop = api(name="Shop", version="1.0", context="/shop", endpoints=[backend.url + "/echo"],
               security={"schemes": ["oauth2"]}, resources=[{"method": "GET", "path": "/items"}])
    key_manager = {"name": "oidc", "issuer": server.issuer, "discovery": server.discovery_url,
                   "audiences": [OidcServer.JWT_RESOURCE, OidcServer.OPAQUE_RESOURCE],
                   "timeout": "2s",
                   "introspection": {"url": server.introspection_endpoint,
                                     "client_id": "gateway-client",
                                     "client_secret": "gateway-secret"}, **tls_options}
    return gateway_factory(
        [shop], key_managers=[key_manager],
        applications=[{"id": "app", "keys": [{"key_manager": "oidc",
                                               "consumer_key": "app-client"}]}],
        subscriptions=[{"application": "app", "api": "Shop:1.0"}])


def call(gateway, token):
    return requests.get(gateway.url("/shop/1.0/items"),
                        headers={"Authorization": "Bearer " + token}, timeout=30)


def tokens(server):
    return {"jwt": server.token(scope="read", resource=OidcServer.JWT_RESOURCE),
            "opaque": server.token(scope="read", resource=OidcServer.OPAQUE_RESOURCE)}


def test_a_key_manager_verified_against_its_ca(gateway_factory, backend, tls_oidc, pki):
    gateway = start_gateway(gateway_factory, backend, tls_oidc, ca_file=str(pki.path("ca.pem")))
    jwks_before = tls_oidc.requests_received("GET /jwks")
    introspections_before = tls_oidc.requests_received("POST /token/introspection")
    for kind, token in tokens(tls_oidc).items():
        response = call(gateway, token)
        assert response.status_code == 200, (kind, response.text)
    # The keys and the introspection answer came over the verified connection.
    assert tls_oidc.requests_received("GET /jwks") > jwks_before
    assert tls_oidc.requests_received("POST /token/introspection") == introspections_before + 1


@pytest.mark.parametrize("tls_options", [
    {"ca_file": "other-ca.pem"},  # another CA than the one that issued the server's certificate
    {},                            # the system store, which does not know the test CA
], ids=["another-ca", "system-store"])
def test_a_key_manager_whose_certificate_does_not_verify_is_not_used(
        gateway_factory, backend, tls_oidc, pki, tls_options):
    options = {key: str(pki.path(value)) for key, value in tls_options.items()}
    gateway = start_gateway(gateway_factory, backend, tls_oidc, **options)
    jwks_before = tls_oidc.requests_received("GET /jwks")
    introspections_before = tls_oidc.requests_received("POST /token/introspection")
    for kind, token in tokens(tls_oidc).items():
        started = time.monotonic()
        response = call(gateway, token)
        assert time.monotonic() - started < 5, kind
        assert_wso2_error(response, 500, 900900)
    # The handshake failed: no request reached the server.
    assert tls_oidc.requests_received("GET /jwks") == jwks_before
    assert tls_oidc.requests_received("POST /token/introspection") == introspections_before
    assert "TLS handshake failed" in gateway.logs(), gateway.output()


def test_verify_tls_false_accepts_any_certificate(gateway_factory, backend, tls_oidc, pki):
    gateway = start_gateway(gateway_factory, backend, tls_oidc,
                            ca_file=str(pki.path("other-ca.pem")), verify_tls=False)
    for kind, token in tokens(tls_oidc).items():
        response = call(gateway, token)
        assert response.status_code == 200, (kind, response.text)
