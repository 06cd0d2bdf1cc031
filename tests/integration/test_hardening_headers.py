"""What a client sends that a backend must never receive, checked end to end against a backend
that reports what reached it: fields a backend trusts as the gateway's word (on open APIs,
`auth: none` resources and secured ones alike), the caller's credentials on a secured API (headers
and the API key query parameter), method overrides, and request trailers. Also: API keys and
backend JWTs told apart by a backend that verifies with PyJWT, response trailers, and a backend
response whose body or trailers are bad (a 502 when nothing went out yet, a reset otherwise)."""

import json
import socket
import threading
import time

import jwt
import pytest
import requests

import rawhttp
from harness import api
from security_support import ISSUER, KeySet

APP_ID = "app-hardening"

# Fields the gateway never forwards from a client, whatever the API (the configured names of the
# config below included), in the case variants an attacker would try.
TRUSTED = [
    ("X-JWT-Assertion", "forged"),
    ("x-caller-jwt", "forged"),  # the secured API's backend_jwt.header
    ("X-WSO2-CLIENT-CERTIFICATE", "forged"),
    ("X-Proxy-Cert", "forged"),  # the mutual TLS API's header
    ("Forwarded", "for=10.9.9.9;proto=https"),
    ("X-Real-IP", "10.9.9.9"),
    ("X-Forwarded-Port", "443"),
    ("X-Forwarded-Prefix", "/admin"),
    ("x-forwarded-server", "trusted"),
    ("X-Original-URL", "/admin/secret"),
    ("X-Rewrite-URL", "/admin/secret"),
    ("X-HTTP-Method-Override", "DELETE"),
    ("x-http-method", "DELETE"),
    ("X-METHOD-OVERRIDE", "DELETE"),
    ("Proxy-Authorization", "Basic cHJveHk6c2VjcmV0"),
]

# Trailer fields that must not reach the backend: RFC 9110 6.5.1, hop-by-hop, gateway-set and
# gateway-only fields, credentials and the configured trusted names.
FORBIDDEN_TRAILERS = [
    "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "WWW-Authenticate",
    "X-JWT-Assertion", "X-Caller-JWT", "X-WSO2-CLIENT-CERTIFICATE", "X-Proxy-Cert",
    "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Port", "Forwarded",
    "X-Real-IP", "X-Request-ID", "Connection", "Keep-Alive", "TE", "Trailer", "Upgrade",
    "Proxy-Connection", "X-HTTP-Method-Override", "X-Original-URL", "Expect", "Max-Forwards",
    "Cache-Control", "Pragma", "Range", "If-Match", "If-None-Match", "If-Modified-Since",
    "If-Unmodified-Since", "If-Range", "Accept", "Accept-Encoding", "Accept-Language",
    "Content-Type", "Content-Encoding", "Content-Range", "Content-Location", "Location", "Date",
    "Vary", "Age", "Retry-After", "Expires", "Via", "Referer", "Origin", "X-Named-In-Connection",
]


@pytest.fixture(scope="module")
def keys():
    return KeySet()


@pytest.fixture
def gateway(gateway_factory, backend, keys, signing_key, pki, tmp_path):
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps(keys.jwks()))
    echo = [backend.url + "/echo"]
    apis = [
        api(name="Open", context="/open", endpoints=echo),
        api(name="Secured", context="/sec", endpoints=echo,
            security={"schemes": ["oauth2", "api_key"]},
            backend_jwt={"header": "X-Caller-JWT", "audience": "secured-backend"},
            resources=[{"method": "GET", "path": "/items"},
                       {"methods": ["GET", "POST"], "path": "/public/*", "auth": "none"},
                       {"method": "DELETE", "path": "/public/*"}]),
        api(name="KeysOnly", context="/keys", endpoints=echo,
            security={"schemes": ["api_key"]}, backend_jwt={},
            resources=[{"method": "GET", "path": "/items"}]),
        api(name="Mtls", context="/mtls", endpoints=echo,
            security={"schemes": ["mutual_tls"],
                      "mutual_tls": {"ca_file": str(pki.path("ca.pem")), "header": "X-Proxy-Cert",
                                     "trusted_proxies": ["127.0.0.1"]}}),
    ]
    return gateway_factory(
        apis, signing_key=str(signing_key),
        key_managers=[{"name": "idp", "issuer": ISSUER, "jwks_file": str(jwks)}],
        applications=[{"id": APP_ID, "name": "HardeningApp", "owner": "alice",
                       "keys": [{"key_manager": "idp", "consumer_key": "client-1"}]}],
        subscriptions=[{"application": APP_ID, "api": "Secured:1.0.0"},
                       {"application": APP_ID, "api": "KeysOnly:1.0.0"}])


def issued_api_key(gateway):
    response = requests.post(
        gateway.admin_url("/applications/%s/api-keys/PRODUCTION/generate" % APP_ID), json={},
        timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["apikey"]


def published_key(gateway, token):
    published = jwt.PyJWKSet.from_dict(requests.get(gateway.admin_url("/jwks"), timeout=10).json())
    kid = jwt.get_unverified_header(token)["kid"]
    return next(key.key for key in published.keys if key.key_id == kid)


def received(gateway, path, headers=(), method="GET"):
    """What the echo backend received for one request sent as is (raw, so that no client library
    adds or merges a field)."""
    with rawhttp.connect(gateway.port) as conn:
        conn.request(method, path, list(headers))
        response = conn.read_response()
    assert response.status == 200, response
    return response.json()


def test_trusted_fields_never_reach_the_backend_whatever_the_security(gateway, keys, pki):
    token = keys.token()
    certificate = requests.utils.quote(pki.path("client.pem").read_text(), safe="")
    cases = [  # path, credentials, the header of the gateway's own backend JWT there
        ("/open/1.0.0/x", [], None),
        ("/sec/1.0.0/public/x", [], None),  # auth: none on a secured API
        ("/sec/1.0.0/items", [("Authorization", "Bearer " + token)], "x-caller-jwt"),
        ("/keys/1.0.0/items", [("apikey", issued_api_key(gateway))], "x-jwt-assertion"),
        # The proxy's certificate is checked, then not forwarded.
        ("/mtls/1.0.0/x", [("X-Proxy-Cert", certificate)], None),
    ]
    for path, credentials, own_jwt in cases:
        sent = [(n, v) for n, v in TRUSTED
                if not any(n.lower() == c.lower() for c, _ in credentials)]
        seen = received(gateway, path, credentials + sent + [("X-Custom", "kept")])
        headers = seen["headers"]
        for name, _ in TRUSTED:
            if name.lower() == own_jwt:
                assert headers[own_jwt].count(".") == 2, (path, headers[own_jwt])
            else:
                assert name.lower() not in headers, (path, name)
        assert headers["x-custom"] == "kept", path
        assert seen["method"] == "GET", path
        assert headers["x-forwarded-for"] == "127.0.0.1", path
        assert headers["x-forwarded-proto"] == "http", path
    # On the secured resource the backend JWT header holds the gateway's JWT, not the forged one.
    seen = received(gateway, "/sec/1.0.0/items",
                    [("Authorization", "Bearer " + token), ("X-Caller-JWT", "forged"),
                     ("x-caller-jwt", "forged again")])
    assertion = seen["headers"]["x-caller-jwt"]
    claims = jwt.decode(assertion, published_key(gateway, assertion), algorithms=["RS256"],
                        audience="secured-backend")
    assert claims["sub"] == "alice"


def test_a_method_override_cannot_turn_an_open_get_into_a_secured_delete(gateway):
    anonymous = requests.delete(gateway.url("/sec/1.0.0/public/x"), timeout=10)
    assert anonymous.status_code == 401
    for name in ("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override"):
        for method in ("GET", "POST"):
            seen = received(gateway, "/sec/1.0.0/public/x", [(name, "DELETE")], method=method)
            assert seen["method"] == method
            assert name.lower() not in seen["headers"]


def test_secured_apis_never_forward_the_callers_credentials(gateway, keys):
    token = keys.token()
    key = issued_api_key(gateway)
    credential_names = ("authorization", "apikey")
    cases = [
        # A secured resource, admitted by a bearer token: also an API key sent along is removed.
        ("/sec/1.0.0/items", [("Authorization", "Bearer " + token), ("apikey", key)]),
        ("/sec/1.0.0/items", [("apikey", key), ("Authorization", "Basic dTpw")]),
        # auth: none resources of a secured API: nothing is checked, nothing is forwarded.
        ("/sec/1.0.0/public/x", [("Authorization", "Bearer " + token)]),
        ("/sec/1.0.0/public/x", [("authorization", "Bearer anything"), ("APIKEY", key)]),
        # An API that takes only API keys removes Authorization as well.
        ("/keys/1.0.0/items", [("apikey", key), ("Authorization", "Bearer " + token)]),
    ]
    for path, credentials in cases:
        headers = received(gateway, path, credentials)["headers"]
        for name in credential_names:
            assert name not in headers, (path, name)
    # An open API is a pass-through: its backend may authenticate callers itself.
    headers = received(gateway, "/open/1.0.0/x",
                       [("Authorization", "Bearer " + token), ("apikey", "abc")])["headers"]
    assert headers["authorization"] == "Bearer " + token
    assert headers["apikey"] == "abc"


def test_the_api_key_query_parameter_is_cut_and_the_rest_kept_as_sent(gateway):
    key = issued_api_key(gateway)
    cases = [
        ("?apikey=%s" % key, ""),
        ("?a=1&apikey=%s&b=%%41%%2F+x&c" % key, "?a=1&b=%41%2F+x&c"),
        ("?apikey=%s&z=%%7E&a=1" % key, "?z=%7E&a=1"),
        # Further copies, and what a decoding or case-blind backend reads as the same parameter.
        ("?apikey=%s&x=1&apikey=other&%%61pikey=again&APIKEY=upper&y=2" % key, "?x=1&y=2"),
    ]
    for query, forwarded in cases:
        seen = received(gateway, "/keys/1.0.0/items" + query)
        assert seen["target"] == "/echo/items" + forwarded, query
    # auth: none on a secured API: the parameter is a credential of the API all the same.
    seen = received(gateway, "/sec/1.0.0/public/x?keep=1&apikey=" + key)
    assert seen["target"] == "/echo/public/x?keep=1"
    # An open API forwards its query untouched.
    seen = received(gateway, "/open/1.0.0/x?apikey=abc&b=2")
    assert seen["target"] == "/echo/x?apikey=abc&b=2"


def chunked_post(gateway, path, trailers, headers=()):
    with rawhttp.connect(gateway.port) as conn:
        head = ["POST %s HTTP/1.1" % path, "Host: 127.0.0.1", "Transfer-Encoding: chunked",
                "Connection: X-Named-In-Connection"]
        head += ["%s: %s" % h for h in headers]
        body = b"5\r\nhello\r\n0\r\n" + b"".join(
            ("%s: %s\r\n" % (name, value)).encode() for name, value in trailers) + b"\r\n"
        conn.send(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        response = conn.read_response()
    assert response.status == 200, response
    return response.json()


def test_request_trailers_carry_only_what_may_be_forwarded(gateway, keys):
    allowed = [("X-Checksum", "sha-256=abc"), ("Server-Timing", "db;dur=5"),
               ("X-Amz-Checksum-Crc32", "AAAAAA==")]
    forbidden = [(name, "from-trailer") for name in FORBIDDEN_TRAILERS]
    # The API key header goes on as a trailer exactly where it goes on as a header: on the open
    # API only.
    api_key = [("apikey", "from-trailer")]
    for path, headers, passing in [
            ("/open/1.0.0/upload", (), allowed[:2] + api_key + allowed[2:]),
            ("/sec/1.0.0/public/upload", (), allowed),
            ("/sec/1.0.0/public/upload", [("Authorization", "Bearer x")], allowed)]:
        seen = chunked_post(gateway, path, allowed[:2] + forbidden + api_key + allowed[2:],
                            headers)
        assert seen["body"] == "hello"
        assert [tuple(t) for t in seen["trailers"]] == passing, path
        for name in FORBIDDEN_TRAILERS:
            assert seen["headers"].get(name.lower()) != "from-trailer", name


def test_api_keys_are_not_backend_jwts_for_a_backend_that_checks(gateway, keys):
    """One signing key, two kinds of token: a backend verifying as docs/config.md says (PyJWT,
    typ JWT, its audience) takes the backend JWT and refuses the caller's API key."""
    key = issued_api_key(gateway)
    header = jwt.get_unverified_header(key)
    assert header["typ"] == "apikey+jwt"
    public = published_key(gateway, key)
    assert jwt.decode(key, public, algorithms=["RS256"],
                      audience="urn:gatehouse:api-key")["token_type"] == "apiKey"

    # The API with an audience.
    assertion = received(gateway, "/sec/1.0.0/items",
                         [("apikey", key)])["headers"]["x-caller-jwt"]
    assert jwt.get_unverified_header(assertion)["typ"] == "JWT"
    assert jwt.get_unverified_header(assertion)["kid"] == header["kid"]  # same key
    jwt.decode(assertion, public, algorithms=["RS256"], audience="secured-backend")
    with pytest.raises(jwt.InvalidAudienceError):
        jwt.decode(key, public, algorithms=["RS256"], audience="secured-backend")
    # The API without one (WSO2's layout): PyJWT, told of no audience, refuses the API key's.
    plain = received(gateway, "/keys/1.0.0/items",
                     [("apikey", key)])["headers"]["x-jwt-assertion"]
    assert "aud" not in jwt.decode(plain, public, algorithms=["RS256"])
    with pytest.raises(jwt.InvalidAudienceError):
        jwt.decode(key, public, algorithms=["RS256"])
    # A backend with an audience takes no JWT made without it.
    with pytest.raises(jwt.MissingRequiredClaimError):
        jwt.decode(plain, public, algorithms=["RS256"], audience="secured-backend")


# -- a backend that sends exactly the bytes a test gives it --------------------------------------

class ScriptedBackend:
    """Answers every request with `pieces` (bytes, sent one by one with `pause` seconds between
    them), then closes."""

    def __init__(self, pieces, pause=0.0):
        self.pieces = pieces
        self.pause = pause
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def serve(self):
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self.answer, args=(conn,), daemon=True).start()

    def answer(self, conn):
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                piece = conn.recv(65536)
                if not piece:
                    return
                data += piece
            try:
                for i, piece in enumerate(self.pieces):
                    if i:
                        time.sleep(self.pause)
                    conn.sendall(piece)
                time.sleep(0.2)
            except OSError:
                pass

    def close(self):
        self.listener.close()


@pytest.fixture
def scripted(gateway_factory):
    made = []

    def make(pieces, pause=0.0):
        backend = ScriptedBackend(pieces, pause)
        made.append(backend)
        gateway = gateway_factory([api(name="Raw", context="/raw", endpoints=[backend.url])])
        return gateway

    yield make
    for backend in made:
        backend.close()


HEAD = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"


@pytest.mark.parametrize("tail", [
    b"0\r\nContent-Length: 5\r\n\r\n",
    b"0\r\nTransfer-Encoding: chunked\r\n\r\n",
    b"0\r\nHost: evil\r\n\r\n",
    b"0\r\nBad Name: x\r\n\r\n",
    b"zz\r\n",
    b"5\r\nhelloXXXXXXX\r\n",
])
def test_a_bad_response_body_not_yet_sent_is_a_502(scripted, tail):
    gateway = scripted([HEAD + b"5\r\nhello\r\n" + tail])
    with rawhttp.connect(gateway.port) as conn:
        conn.request("GET", "/raw/1.0.0/x")
        response = conn.read_response()
        assert response.status == 502, response
        assert response.json()["code"] == 101500
        assert conn.closed_by_peer()


def test_a_backend_closing_mid_body_leaves_the_client_a_broken_message(scripted):
    gateway = scripted([b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this"])
    with rawhttp.connect(gateway.port) as conn:
        conn.request("GET", "/raw/1.0.0/x")
        # The head leaves with the first body bytes; those were whole in the first read, so the
        # head and 9 bytes went out before the close: the client must see a broken message.
        with pytest.raises((ConnectionError, ValueError)):
            response = conn.read_response()
            raise AssertionError("a complete-looking response: %r" % response)


@pytest.mark.parametrize("version", ["HTTP/1.1", "HTTP/1.0"])
def test_a_bad_trailer_after_bytes_went_out_resets_the_connection(scripted, version):
    gateway = scripted([HEAD + b"5\r\nhello\r\n", b"0\r\nContent-Length: 5\r\n\r\n"], pause=0.5)
    sock = socket.create_connection(("127.0.0.1", gateway.port), timeout=10)
    with sock:
        sock.sendall(("GET /raw/1.0.0/x %s\r\nHost: 127.0.0.1\r\n\r\n" % version).encode())
        received = b""
        with pytest.raises(ConnectionResetError):
            while True:
                piece = sock.recv(65536)
                if not piece:
                    raise AssertionError("a clean end after %r" % received)
                received += piece
    assert b"hello" in received  # the part that went out before the bad trailer


def test_response_trailers_lose_hop_by_hop_and_forbidden_fields(scripted):
    gateway = scripted([HEAD + b"5\r\nhello\r\n0\r\nX-Checksum: 1\r\nConnection: close\r\n"
                        b"Set-Cookie: a=b\r\nKeep-Alive: 5\r\nX-Forwarded-For: 1.2.3.4\r\n"
                        b"Server-Timing: app;dur=1\r\n\r\n"])
    with rawhttp.connect(gateway.port) as conn:
        conn.request("GET", "/raw/1.0.0/x", [("TE", "trailers")])
        response = conn.read_response()
    assert response.status == 200
    assert response.body == b"hello"
    assert response.trailers == [("X-Checksum", "1"), ("Server-Timing", "app;dur=1")]
