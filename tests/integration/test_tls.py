"""TLS listeners: certificates from files, ALPN, session resumption, optional and required client
certificates (mTLS). Clients: curl and openssl s_client."""

import re
import subprocess

import pytest

from harness import base_config, echo_api, pizzashack_api

REQUEST = b"GET /pizzashack/1.0.0/menu HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"


@pytest.fixture
def tls_gateway(gateway_factory, backend, pki, tmp_path):
    server = {"cert": str(pki.path("server.pem")), "key": str(pki.path("server.key"))}
    listeners = [
        {"name": "http", "address": "127.0.0.1:0"},
        {"name": "https", "address": "127.0.0.1:0", "tls": server},
        {"name": "mtls-optional", "address": "127.0.0.1:0",
         "tls": dict(server, client_ca=str(pki.path("ca.pem")), client_auth="optional")},
        {"name": "mtls-required", "address": "127.0.0.1:0",
         "tls": dict(server, client_ca=str(pki.path("ca.pem")), client_auth="required")},
    ]
    config = base_config(tmp_path, [pizzashack_api(backend.url), echo_api(backend.url)],
                         listeners=listeners)
    return gateway_factory(config=config)


def curl(gateway, listener, path, *options):
    return subprocess.run(["curl", "-s", "--max-time", "20", "-o", "-", "-w", "\n%{http_code}",
                           *options, gateway.url(path, listener)],
                          capture_output=True, text=True, timeout=60)


def status_of(result):
    return result.stdout.rsplit("\n", 1)[-1]


def s_client(gateway, listener, *options, stdin=REQUEST, wait_for_close=True):
    """`wait_for_close`: read until the gateway closes the connection, not only to the end of
    `stdin` (which would cut off the response to a request sent on stdin)."""
    port = gateway.listener_port(listener)
    until_close = ["-ign_eof"] if wait_for_close else []
    result = subprocess.run(["openssl", "s_client", "-connect", "127.0.0.1:%d" % port,
                             "-servername", "localhost", *until_close, *options],
                            input=stdin, capture_output=True, timeout=60)
    return result.stdout.decode("latin-1") + result.stderr.decode("latin-1")


def test_https_with_curl_verifying_the_server(tls_gateway, pki):
    result = curl(tls_gateway, "https", "/pizzashack/1.0.0/menu", "--cacert", str(pki.path("ca.pem")))
    assert result.returncode == 0, result.stderr
    assert status_of(result) == "200"
    assert "Spicy Italian" in result.stdout


def test_https_presents_the_configured_certificate(tls_gateway, pki):
    output = s_client(tls_gateway, "https", "-CAfile", str(pki.path("ca.pem")))
    assert "Verify return code: 0 (ok)" in output
    assert "CN = localhost" in output or "CN=localhost" in output


def test_alpn_selects_http11(tls_gateway, pki):
    output = s_client(tls_gateway, "https", "-alpn", "http/1.1", "-CAfile", str(pki.path("ca.pem")))
    assert "ALPN protocol: http/1.1" in output, output
    assert "HTTP/1.1 200" in output


def test_alpn_offering_h2_first_still_gets_a_working_protocol(tls_gateway, pki):
    output = s_client(tls_gateway, "https", "-alpn", "h2,http/1.1", "-CAfile",
                      str(pki.path("ca.pem")))
    match = re.search(r"ALPN protocol: (\S+)", output)
    assert match, output
    if match.group(1) == "http/1.1":
        assert "HTTP/1.1 200" in output


@pytest.mark.parametrize("version", ["-tls1_2", "-tls1_3"])
def test_session_resumption(tls_gateway, pki, tmp_path, version):
    session = tmp_path / ("session%s.pem" % version)
    first = s_client(tls_gateway, "https", version, "-sess_out", str(session))
    assert re.search(r"^New, TLSv1\.[23]", first, re.M), first
    assert "HTTP/1.1 200" in first
    # Several times, so that connections landing on different workers are covered.
    for _ in range(4):
        again = s_client(tls_gateway, "https", version, "-sess_in", str(session))
        assert re.search(r"^Reused, TLSv1\.[23]", again, re.M), again
        assert "HTTP/1.1 200" in again


def test_tls12_reconnect_resumes(tls_gateway):
    # Nothing to read: each of the six connections ends at once, not at the idle timeout.
    output = s_client(tls_gateway, "https", "-tls1_2", "-reconnect", stdin=b"",
                      wait_for_close=False)
    assert output.count("Reused, TLSv1.2") == 5, output


def test_forwarded_proto_is_https(tls_gateway, pki):
    result = curl(tls_gateway, "https", "/echo/1.0.0/p", "--cacert", str(pki.path("ca.pem")))
    assert status_of(result) == "200"
    assert '"x-forwarded-proto": "https"' in result.stdout


def test_plain_http_to_a_tls_port_does_not_break_the_listener(tls_gateway, pki):
    import socket
    with socket.create_connection(("127.0.0.1", tls_gateway.listener_port("https")), timeout=10) as s:
        s.sendall(REQUEST)
        s.settimeout(10)
        try:
            while s.recv(4096):
                pass
        except (ConnectionResetError, socket.timeout):
            pass
    result = curl(tls_gateway, "https", "/pizzashack/1.0.0/menu", "--cacert", str(pki.path("ca.pem")))
    assert status_of(result) == "200"


def client_cert(pki, name="client"):
    return ["--cert", str(pki.path(name + ".pem")), "--key", str(pki.path(name + ".key"))]


def test_optional_client_auth_without_a_certificate(tls_gateway, pki):
    result = curl(tls_gateway, "mtls-optional", "/pizzashack/1.0.0/menu",
                  "--cacert", str(pki.path("ca.pem")))
    assert status_of(result) == "200", result.stderr


def test_optional_client_auth_with_a_certificate(tls_gateway, pki):
    result = curl(tls_gateway, "mtls-optional", "/pizzashack/1.0.0/menu",
                  "--cacert", str(pki.path("ca.pem")), *client_cert(pki))
    assert status_of(result) == "200", result.stderr


def test_optional_client_auth_rejects_an_untrusted_certificate(tls_gateway, pki):
    # A certificate is not demanded, but one that is presented must verify: the handshake ends
    # with the unknown_ca alert, before any HTTP.
    result = curl(tls_gateway, "mtls-optional", "/pizzashack/1.0.0/menu", "--show-error",
                  "--cacert", str(pki.path("ca.pem")), *client_cert(pki, "stranger"))
    assert result.returncode == 56, result.stderr  # CURLE_RECV_ERROR
    assert "alert unknown ca" in result.stderr, result.stderr
    assert status_of(result) == "000"
    output = s_client(tls_gateway, "mtls-optional", "-CAfile", str(pki.path("ca.pem")),
                      "-cert", str(pki.path("stranger.pem")), "-key", str(pki.path("stranger.key")))
    assert "SSL alert number 48" in output, output  # unknown_ca
    assert "HTTP/1.1" not in output


def test_required_client_auth_with_a_certificate(tls_gateway, pki):
    result = curl(tls_gateway, "mtls-required", "/pizzashack/1.0.0/menu",
                  "--cacert", str(pki.path("ca.pem")), *client_cert(pki))
    assert status_of(result) == "200", result.stderr
    assert "Spicy Italian" in result.stdout


def test_required_client_auth_without_a_certificate_fails_the_handshake(tls_gateway, pki):
    result = curl(tls_gateway, "mtls-required", "/pizzashack/1.0.0/menu", "--show-error",
                  "--cacert", str(pki.path("ca.pem")))
    assert result.returncode == 56, result.stderr  # CURLE_RECV_ERROR
    assert "alert certificate required" in result.stderr, result.stderr
    assert status_of(result) == "000"


def test_required_client_auth_with_an_untrusted_certificate_fails(tls_gateway, pki):
    result = curl(tls_gateway, "mtls-required", "/pizzashack/1.0.0/menu", "--show-error",
                  "--cacert", str(pki.path("ca.pem")), *client_cert(pki, "stranger"))
    assert result.returncode == 56, result.stderr  # CURLE_RECV_ERROR
    assert "alert unknown ca" in result.stderr, result.stderr
    assert status_of(result) == "000"


def test_required_client_auth_with_s_client(tls_gateway, pki):
    output = s_client(tls_gateway, "mtls-required", "-CAfile", str(pki.path("ca.pem")),
                      "-cert", str(pki.path("client.pem")), "-key", str(pki.path("client.key")))
    assert "HTTP/1.1 200" in output, output
    refused = s_client(tls_gateway, "mtls-required", "-CAfile", str(pki.path("ca.pem")))
    # TLS 1.3 sends the refusal after the client's Finished: the certificate_required alert.
    assert "SSL alert number 116" in refused, refused
    assert "HTTP/1.1" not in refused


def test_tls_listener_config_errors_name_the_file(tmp_path, backend, pki):
    import harness
    config = base_config(tmp_path, [pizzashack_api(backend.url)], listeners=[
        {"name": "https", "address": "127.0.0.1:0",
         "tls": {"cert": str(tmp_path / "missing.pem"), "key": str(pki.path("server.key"))}}])
    path = tmp_path / "tls.yaml"
    path.write_text(harness.to_yaml(config))
    result = subprocess.run([harness.GATEHOUSE_BIN, "validate", "-c", str(path)],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert "missing.pem" in result.stdout + result.stderr
    assert re.search(re.escape(str(path)) + r":\d+:\d+: ", result.stdout + result.stderr)


# -- cipher profile ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def rsa_server(tmp_path_factory):
    """An RSA certificate: static-RSA key exchange and the ECDHE-RSA suites need one (the test
    PKI's keys are EC, with which no RSA suite could be chosen whatever the profile)."""
    directory = tmp_path_factory.mktemp("rsa")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
                    "-keyout", "rsa.key", "-out", "rsa.pem", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                   cwd=directory, check=True, capture_output=True)
    return {"cert": str(directory / "rsa.pem"), "key": str(directory / "rsa.key")}


@pytest.fixture(scope="module")
def rsa_gateway(rsa_server, tmp_path_factory):
    from harness import Gateway
    workdir = tmp_path_factory.mktemp("rsa-gateway")
    config = base_config(workdir, [], listeners=[
        {"name": "https", "address": "127.0.0.1:0", "tls": rsa_server}])
    gateway = Gateway(workdir, config)
    yield gateway
    assert gateway.stop() == 0, gateway.output()


def negotiated(gateway, *options):
    """The cipher the handshake agreed on, or None when the server refused every one offered.
    @SECLEVEL=0 makes the client offer even the weak suites, so a refusal is the server's."""
    output = s_client(gateway, "https", *options, stdin=b"", wait_for_close=False)
    match = re.search(r"Cipher is (\S+)", output)
    return None if match is None or match.group(1) == "(NONE)" else match.group(1)


@pytest.mark.parametrize("cipher", [
    "AES128-SHA",                  # static RSA key exchange, CBC, SHA-1
    "AES256-SHA256",               # static RSA, CBC
    "AES128-GCM-SHA256",           # static RSA, even with GCM: no forward secrecy
    "ECDHE-RSA-AES128-SHA",        # forward secret, but CBC with SHA-1
    "ECDHE-RSA-AES256-SHA384",     # forward secret, but CBC
    "DHE-RSA-AES128-GCM-SHA256",   # finite-field DH: not in the profile
])
def test_tls12_refuses_suites_outside_the_intermediate_profile(rsa_gateway, cipher):
    assert negotiated(rsa_gateway, "-tls1_2", "-cipher", cipher + ":@SECLEVEL=0") is None


@pytest.mark.parametrize("cipher", [
    "ECDHE-RSA-AES128-GCM-SHA256",
    "ECDHE-RSA-AES256-GCM-SHA384",
    "ECDHE-RSA-CHACHA20-POLY1305",
])
def test_tls12_accepts_ecdhe_with_aead(rsa_gateway, cipher):
    assert negotiated(rsa_gateway, "-tls1_2", "-cipher", cipher) == cipher


def test_tls12_lets_the_client_choose_among_the_profiles_suites(rsa_gateway):
    preference = "ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-GCM-SHA256"
    assert negotiated(rsa_gateway, "-tls1_2", "-cipher", preference) == \
        "ECDHE-RSA-CHACHA20-POLY1305"


def test_tls13_keeps_its_default_suites(rsa_gateway):
    assert negotiated(rsa_gateway, "-tls1_3") == "TLS_AES_256_GCM_SHA384"
    assert negotiated(rsa_gateway, "-tls1_3", "-ciphersuites", "TLS_CHACHA20_POLY1305_SHA256") \
        == "TLS_CHACHA20_POLY1305_SHA256"
