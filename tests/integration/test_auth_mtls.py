"""Mutual TLS per API: the client certificates an API trusts (its CA, or pinned certificates),
mandatory or optional beside OAuth2 (WSO2's two groups), and the certificate a trusted TLS-
terminating proxy passes in X-WSO2-CLIENT-CERTIFICATE. Clients: curl and openssl s_client with
client certificates."""

import json
import subprocess
import urllib.parse

import pytest
import requests

from harness import api, base_config
from security_support import ISSUER, KeySet


@pytest.fixture(scope="module")
def keys():
    return KeySet()


@pytest.fixture
def mtls_gateway(gateway_factory, backend, pki, keys, tmp_path):
    # The listener accepts certificates of both CAs; each API then trusts what it lists.
    bundle = tmp_path / "client-cas.pem"
    bundle.write_text(pki.path("ca.pem").read_text() + pki.path("other-ca.pem").read_text())
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps(keys.jwks()))
    server = {"cert": str(pki.path("server.pem")), "key": str(pki.path("server.key")),
              "client_ca": str(bundle), "client_auth": "optional"}
    listeners = [{"name": "http", "address": "127.0.0.1:0"},
                 {"name": "https", "address": "127.0.0.1:0", "tls": server}]
    target = [backend.url + "/echo"]
    apis = [
        api(name="Pinned", context="/pinned", endpoints=target,
            security={"schemes": ["mutual_tls"],
                      "mutual_tls": {"certificates": [str(pki.path("client.pem"))]}}),
        api(name="Both", context="/both", endpoints=target,
            security={"schemes": ["mutual_tls", "oauth2"], "mutual_tls_security": "mandatory",
                      "mutual_tls": {"ca_file": str(pki.path("ca.pem"))}}),
        api(name="Either", context="/either", endpoints=target,
            security={"schemes": ["mutual_tls", "oauth2"], "application_security": "optional",
                      "mutual_tls": {"ca_file": str(pki.path("ca.pem"))}}),
        api(name="Proxied", context="/proxied", endpoints=target,
            security={"schemes": ["mutual_tls"],
                      "mutual_tls": {"ca_file": str(pki.path("ca.pem")),
                                     "trusted_proxies": ["127.0.0.1"]}}),
        api(name="Distrusted", context="/distrusted", endpoints=target,
            security={"schemes": ["mutual_tls"],
                      "mutual_tls": {"ca_file": str(pki.path("ca.pem")),
                                     "trusted_proxies": ["10.0.0.0/8"]}}),
    ]
    config = base_config(
        tmp_path, apis, listeners=listeners,
        key_managers=[{"name": "idp", "issuer": ISSUER, "jwks_file": str(jwks)}],
        applications=[{"id": "app", "keys": [{"key_manager": "idp", "consumer_key": "client-1"}]}],
        subscriptions=[{"application": "app", "api": "Both:1.0.0"},
                       {"application": "app", "api": "Either:1.0.0"}])
    return gateway_factory(config=config)


def curl(gateway, path, pki, cert=None, token=None):
    options = ["--cacert", str(pki.path("ca.pem"))]
    if cert:
        options += ["--cert", str(pki.path(cert + ".pem")), "--key", str(pki.path(cert + ".key"))]
    if token:
        options += ["-H", "Authorization: Bearer " + token]
    result = subprocess.run(["curl", "-s", "--max-time", "20", "-o", "-", "-w", "\n%{http_code}",
                             *options, gateway.url(path, "https")],
                            capture_output=True, text=True, timeout=60)
    body, status = result.stdout.rsplit("\n", 1)
    return int(status), json.loads(body) if body.startswith("{") else body


def test_pinned_certificate_admits_and_others_do_not(mtls_gateway, pki):
    assert curl(mtls_gateway, "/pinned/1.0.0/x", pki, cert="client")[0] == 200
    status, body = curl(mtls_gateway, "/pinned/1.0.0/x", pki, cert="stranger")
    assert (status, body["code"]) == (401, 900901)
    status, body = curl(mtls_gateway, "/pinned/1.0.0/x", pki)
    assert (status, body["code"]) == (401, 900901)


def test_both_mandatory_needs_certificate_and_token(mtls_gateway, pki, keys):
    token = keys.token()
    assert curl(mtls_gateway, "/both/1.0.0/x", pki, cert="client", token=token)[0] == 200
    status, body = curl(mtls_gateway, "/both/1.0.0/x", pki, cert="client")
    assert (status, body["code"]) == (401, 900902)
    status, body = curl(mtls_gateway, "/both/1.0.0/x", pki, token=token)
    assert (status, body["code"]) == (401, 900901)
    status, body = curl(mtls_gateway, "/both/1.0.0/x", pki, cert="stranger", token=token)
    assert (status, body["code"]) == (401, 900901)


def test_either_group_admits_when_both_are_optional(mtls_gateway, pki, keys):
    assert curl(mtls_gateway, "/either/1.0.0/x", pki, cert="client")[0] == 200
    assert curl(mtls_gateway, "/either/1.0.0/x", pki, token=keys.token())[0] == 200
    status, body = curl(mtls_gateway, "/either/1.0.0/x", pki)
    assert (status, body["code"]) == (401, 900902)


def header_certificate(pki, name="client"):
    return urllib.parse.quote_plus(pki.path(name + ".pem").read_text())


def test_certificate_from_a_trusted_proxy_header(mtls_gateway, pki):
    url = mtls_gateway.url("/proxied/1.0.0/x")
    ok = requests.get(url, headers={"X-WSO2-CLIENT-CERTIFICATE": header_certificate(pki)},
                      timeout=10)
    assert ok.status_code == 200, ok.text
    assert requests.get(url, timeout=10).status_code == 401
    stranger = requests.get(url, timeout=10, headers={
        "X-WSO2-CLIENT-CERTIFICATE": header_certificate(pki, "stranger")})
    assert stranger.status_code == 401


def test_header_from_an_untrusted_address_is_ignored(mtls_gateway, pki):
    response = requests.get(mtls_gateway.url("/distrusted/1.0.0/x"), timeout=10,
                            headers={"X-WSO2-CLIENT-CERTIFICATE": header_certificate(pki)})
    assert response.status_code == 401
    assert response.json()["code"] == 900901


def s_client(gateway, path, pki, cert=None, token=None):
    """One HTTP/1.1 request through `openssl s_client`: (status, body) as the client read them."""
    options = ["-CAfile", str(pki.path("ca.pem")), "-verify_return_error", "-quiet",
               "-connect", "127.0.0.1:%d" % gateway.listener_port("https")]
    if cert:
        options += ["-cert", str(pki.path(cert + ".pem")), "-key", str(pki.path(cert + ".key"))]
    request = "GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" % path
    if token:
        request += "Authorization: Bearer %s\r\n" % token
    result = subprocess.run(["openssl", "s_client", *options], input=request + "\r\n",
                            capture_output=True, text=True, timeout=60)
    head, _, body = result.stdout.partition("\n\n")  # text mode reads CRLF as LF
    assert head.startswith("HTTP/1.1 "), result.stdout + result.stderr
    return int(head.split()[1]), body


def test_openssl_client_with_and_without_a_certificate(mtls_gateway, pki, keys):
    assert s_client(mtls_gateway, "/pinned/1.0.0/x", pki, cert="client")[0] == 200
    status, body = s_client(mtls_gateway, "/pinned/1.0.0/x", pki)
    assert status == 401 and json.loads(body)["code"] == 900901
    # Mandatory mutual TLS plus OAuth2: the certificate alone is not enough.
    assert s_client(mtls_gateway, "/both/1.0.0/x", pki, cert="client", token=keys.token())[0] == 200
    assert s_client(mtls_gateway, "/both/1.0.0/x", pki, cert="client")[0] == 401


def test_certificate_only_api_sends_no_password_challenge(mtls_gateway, pki):
    # A Basic challenge would make a browser ask for a password the API never takes.
    result = subprocess.run(["curl", "-s", "-o", "/dev/null", "-D", "-", "--cacert",
                             str(pki.path("ca.pem")),
                             mtls_gateway.url("/pinned/1.0.0/x", "https")],
                            capture_output=True, text=True, timeout=60)
    assert result.stdout.startswith("HTTP/1.1 401"), result.stdout
    assert "www-authenticate" not in result.stdout.lower(), result.stdout
