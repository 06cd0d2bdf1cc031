"""The admin listener against the real binary with curl and requests: a DNS-rebound Host is
refused, bodies must be JSON, bearer tokens, Basic users and client certificates (made by
openssl) authenticate, the revocation list is capped and forgets revocations only once they
expire, and a network address without TLS is warned about in the log."""

import hashlib
import subprocess
import time

import pytest
import requests

import harness
from harness import Gateway, base_config, free_port, wait_until

CURL_TIMEOUT = ["--max-time", "20"]


def curl(*args):
    """curl's HTTP status (000 when no answer came), body and exit code."""
    result = subprocess.run(["curl", "-s", *CURL_TIMEOUT, "-o", "-", "-w", "\n%{http_code}", *args],
                            capture_output=True, text=True, timeout=60)
    body, _, status = result.stdout.rpartition("\n")
    return status, body, result.returncode


def admin_gateway(gateway_factory, tmp_path, **admin):
    config = base_config(tmp_path, [])
    config["admin"].update(admin)
    return gateway_factory(config=config)


# -- Host --------------------------------------------------------------------------------------

def test_a_rebound_dns_name_is_refused_before_anything_else(gateway_factory, tmp_path):
    gateway = admin_gateway(gateway_factory, tmp_path, hosts=["gw1.example.test"])
    port = gateway.admin_port
    # curl --resolve is what a rebound name does: the browser connects to 127.0.0.1 but sends the
    # attacker's name in Host.
    for name in ("rebound.attacker.test", "localhost.attacker.test"):
        url = "http://%s:%d" % (name, port)
        resolve = ["--resolve", "%s:%d:127.0.0.1" % (name, port)]
        status, body, _ = curl(*resolve, url + "/revocations")
        assert status == "421", body
        assert "does not answer to the name '%s'" % name in body
        status, _, _ = curl(*resolve, "-X", "POST", "-H", "Content-Type: application/json",
                            "-d", "{}", url + "/applications/x/api-keys/PRODUCTION/generate")
        assert status == "421"
    # Its own names pass: addresses, localhost, and the names listed in admin.hosts.
    for name in ("127.0.0.1", "localhost", "gw1.example.test", "GW1.Example.Test"):
        status, _, _ = curl("--resolve", "%s:%d:127.0.0.1" % (name, port),
                            "http://%s:%d/revocations" % (name, port))
        assert status == "200", name
    # Browsers connect 0.0.0.0 to the local host: a public page could reach the admin through it.
    status, _, _ = curl("-H", "Host: 0.0.0.0:%d" % port, gateway.admin_url("/revocations"))
    assert status == "421"


# -- JSON bodies -------------------------------------------------------------------------------

@pytest.mark.parametrize("content_type, body", [
    ("text/plain", '{"jti": "posted-by-a-web-page"}'),
    ("application/x-www-form-urlencoded", "jti=posted-by-a-web-page"),
    ("multipart/form-data; boundary=x", "--x\r\n\r\n{\"jti\": \"posted-by-a-web-page\"}\r\n--x--"),
    (None, '{"jti": "posted-by-a-web-page"}'),
])
def test_a_body_that_is_not_declared_json_is_refused(gateway_factory, tmp_path, content_type,
                                                     body):
    gateway = admin_gateway(gateway_factory, tmp_path)
    headers = {"Content-Type": content_type} if content_type else {}
    session = requests.Session()
    request = requests.Request("POST", gateway.admin_url("/revocations"), data=body,
                               headers=headers).prepare()
    if content_type is None:
        request.headers.pop("Content-Type", None)
    response = session.send(request, timeout=10)
    assert response.status_code == 415, response.text
    assert response.json()["code"] == 415
    assert "Content-Type: application/json" in response.json()["description"]
    listed = requests.get(gateway.admin_url("/revocations"), timeout=10).json()
    assert listed == {"jtis": [], "tokens": 0}
    accepted = requests.post(gateway.admin_url("/revocations"), json={"jti": "by-the-operator"},
                             timeout=10)
    assert accepted.status_code == 202


# -- authentication ----------------------------------------------------------------------------

@pytest.fixture
def token_file(tmp_path):
    path = tmp_path / "admin.token"
    token = subprocess.run(["openssl", "rand", "-hex", "32"], capture_output=True, text=True,
                           check=True).stdout.strip()
    path.write_text(token + "\n")
    return path, token


def test_bearer_tokens_from_a_file_or_a_digest(gateway_factory, tmp_path, token_file):
    path, token = token_file
    second = "second-operator-token-0123456789abcdef"
    gateway = admin_gateway(gateway_factory, tmp_path, auth={"tokens": [
        {"file": str(path)}, {"sha256": hashlib.sha256(second.encode()).hexdigest()}]})
    url = gateway.admin_url("/revocations")

    refused = requests.post(url, json={"jti": "a"}, timeout=10)
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"] == 'Bearer realm="gatehouse-admin"'
    assert refused.json()["code"] == 401
    last_changed = token[:-1] + ("1" if token.endswith("0") else "0")
    wrong = requests.post(url, json={"jti": "a"}, timeout=10,
                          headers={"Authorization": "Bearer " + last_changed})
    assert wrong.status_code == 401
    for accepted in (token, second):
        response = requests.post(url, json={"jti": "a"}, timeout=10,
                                 headers={"Authorization": "Bearer " + accepted})
        assert response.status_code == 202, response.text
    status, _, _ = curl("-H", "Authorization: Bearer " + token, url)
    assert status == "200"

    # Probes and the public keys stay open; metrics are behind authentication.
    for path_ in ("/healthz", "/readyz"):
        assert requests.get(gateway.admin_url(path_), timeout=10).status_code == 200
    assert requests.get(gateway.admin_url("/metrics"), timeout=10).status_code == 401
    metrics = requests.get(gateway.admin_url("/metrics"), timeout=10,
                           headers={"Authorization": "Bearer " + token})
    assert metrics.status_code == 200
    assert "\ngatehouse_revocations 1\n" in metrics.text
    assert token not in gateway.logs()


def test_tokens_change_with_a_reload(gateway_factory, tmp_path):
    old, new = "old-operator-token-0123456789abcdef", "new-operator-token-0123456789abcdef"
    digest = lambda token: hashlib.sha256(token.encode()).hexdigest()  # noqa: E731
    gateway = admin_gateway(gateway_factory, tmp_path, auth={"tokens": [{"sha256": digest(old)}]})
    url = gateway.admin_url("/revocations")
    status = lambda token: requests.get(  # noqa: E731
        url, headers={"Authorization": "Bearer " + token}, timeout=10).status_code
    assert (status(old), status(new)) == (200, 401)
    config = dict(gateway.config)
    config["admin"] = dict(config["admin"], auth={"tokens": [{"sha256": digest(new)}]})
    gateway.reload(config)
    assert wait_until(lambda: status(new) == 200), gateway.output()
    assert status(old) == 401


def hash_password(password):
    result = subprocess.run([harness.GATEHOUSE_BIN, "hash-password"], input=password + "\n",
                            capture_output=True, text=True, check=True, timeout=30)
    return result.stdout.strip()


def test_basic_users_with_a_hashed_password(gateway_factory, tmp_path):
    gateway = admin_gateway(gateway_factory, tmp_path, auth={
        "users": [{"name": "ops", "password_hash": hash_password("correct horse")}]})
    url = gateway.admin_url("/revocations")
    status, _, _ = curl("-u", "ops:correct horse", url)
    assert status == "200"
    status, _, _ = curl("-u", "ops:wrong", url)
    assert status == "401"
    refused = requests.get(url, timeout=10)
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"] == 'Basic realm="gatehouse-admin", charset="UTF-8"'
    status, _, _ = curl("-u", "ops:correct horse", "-X", "POST", "-H",
                        "Content-Type: application/json", "-d", '{"jti": "x"}', url)
    assert status == "202"


def start_tls_admin(tmp_path, pki, **tls):
    """A gateway whose admin listener speaks HTTPS with the test PKI's server certificate."""
    config = base_config(tmp_path, [])
    config["admin"]["tls"] = dict({"cert": str(pki.path("server.pem")),
                                   "key": str(pki.path("server.key"))}, **tls)
    gateway = Gateway(tmp_path, config, wait_ready=False)
    url = "https://127.0.0.1:%d" % gateway.admin_port
    ready = lambda: curl("--cacert", str(pki.path("ca.pem")),  # noqa: E731
                         "--cert", str(pki.path("client.pem")), "--key", str(pki.path("client.key")),
                         url + "/readyz")[0] == "200"
    assert wait_until(ready), gateway.output()
    return gateway, url


def client(pki, name):
    return ["--cert", str(pki.path(name + ".pem")), "--key", str(pki.path(name + ".key"))]


def test_client_certificates_authenticate_over_tls(tmp_path, pki):
    gateway, url = start_tls_admin(tmp_path, pki, client_ca=str(pki.path("ca.pem")))
    try:
        ca = ["--cacert", str(pki.path("ca.pem"))]
        status, body, _ = curl(*ca, *client(pki, "client"), url + "/revocations")
        assert (status, body) == ("200", '{"jtis":[],"tokens":0}')
        # client_auth defaults to required with a client CA: no handshake without a trusted one.
        for options in ([], client(pki, "stranger")):
            status, _, code = curl(*ca, *options, url + "/revocations")
            assert status == "000" and code != 0, options
        # Plain HTTP to the TLS port gets no admin answer either.
        status, _, _ = curl("http://127.0.0.1:%d/revocations" % gateway.admin_port)
        assert status != "200"
        assert "admin listening on 127.0.0.1:%d, TLS, authenticated" % gateway.admin_port in \
            gateway.logs()
    finally:
        assert gateway.stop() == 0, gateway.output()


def test_optional_client_certificates_beside_a_token(tmp_path, pki):
    token = "operator-token-0123456789abcdef0123"
    config_tls = {"client_ca": str(pki.path("ca.pem")), "client_auth": "optional"}
    config = base_config(tmp_path, [])
    config["admin"]["tls"] = dict({"cert": str(pki.path("server.pem")),
                                   "key": str(pki.path("server.key"))}, **config_tls)
    config["admin"]["auth"] = {"tokens": [{"sha256": hashlib.sha256(token.encode()).hexdigest()}]}
    gateway = Gateway(tmp_path, config, wait_ready=False)
    url = "https://127.0.0.1:%d" % gateway.admin_port
    ca = ["--cacert", str(pki.path("ca.pem"))]
    try:
        assert wait_until(lambda: curl(*ca, url + "/readyz")[0] == "200"), gateway.output()
        assert curl(*ca, url + "/revocations")[0] == "401"
        assert curl(*ca, *client(pki, "client"), url + "/revocations")[0] == "200"
        assert curl(*ca, "-H", "Authorization: Bearer " + token, url + "/revocations")[0] == "200"
    finally:
        assert gateway.stop() == 0, gateway.output()


# -- revocation list ---------------------------------------------------------------------------

def test_the_revocation_list_is_capped_and_frees_room_as_revocations_expire(gateway_factory,
                                                                            tmp_path):
    gateway = admin_gateway(gateway_factory, tmp_path,
                            revocations={"capacity": 3, "max_lifetime": "3s"})
    url = gateway.admin_url("/revocations")
    before = int(time.time())
    for jti in ("a", "b", "c"):
        response = requests.post(url, json={"jti": jti}, timeout=10)
        assert response.status_code == 202, response.text
        assert before + 3 <= response.json()["expires_at"] <= int(time.time()) + 3
    full = requests.post(url, json={"jti": "d"}, timeout=10)
    assert full.status_code == 507, full.text
    assert full.json()["code"] == 507
    assert "capacity of 3 revocations" in full.json()["description"]
    # Nothing live was forgotten to make room.
    assert sorted(j["jti"] for j in requests.get(url, timeout=10).json()["jtis"]) == ["a", "b", "c"]
    metrics = requests.get(gateway.admin_url("/metrics"), timeout=10).text
    assert "\ngatehouse_revocations 3\n" in metrics
    assert "\ngatehouse_revocations_capacity 3\n" in metrics
    assert "\ngatehouse_revocations_refused_total 1\n" in metrics
    # Once they expire, a revocation fits again.
    assert wait_until(lambda: requests.post(url, json={"jti": "d"}, timeout=10).status_code == 202,
                      timeout=10)
    assert [j["jti"] for j in requests.get(url, timeout=10).json()["jtis"]] == ["d"]


def test_a_revoked_jwt_is_kept_until_its_own_expiry(gateway_factory, tmp_path):
    import jwt
    gateway = admin_gateway(gateway_factory, tmp_path, revocations={"max_lifetime": "1h"})
    exp = int(time.time()) + 30 * 86400
    token = jwt.encode({"sub": "x", "exp": exp}, "k" * 32, algorithm="HS256")
    response = requests.post(gateway.admin_url("/revocations"), json={"token": token}, timeout=10)
    assert response.status_code == 202
    # Not the one-hour max_lifetime: the token lives a month, and so does its revocation.
    assert response.json() == {"revoked": "token", "expires_at": exp}


# -- exposure ----------------------------------------------------------------------------------

def test_a_network_admin_address_without_tls_is_warned_about_at_start(gateway_factory, tmp_path):
    token = "operator-token-0123456789abcdef0123"
    config = base_config(tmp_path, [])
    port = free_port()
    config["admin"] = {"address": "0.0.0.0:%d" % port,
                       "auth": {"tokens": [{"sha256": hashlib.sha256(token.encode()).hexdigest()}]}}
    gateway = gateway_factory(config=config)
    logs = gateway.logs()
    assert ("the admin address 0.0.0.0:%d is not loopback and has no TLS: credentials and the API "
            "keys it issues cross the network in clear; configure admin 'tls'" % port) in logs
    assert " warn " in logs or " warning " in logs
    assert "admin listening on 0.0.0.0:%d, authenticated" % port in logs
    assert requests.get(gateway.admin_url("/revocations"), timeout=10).status_code == 401
