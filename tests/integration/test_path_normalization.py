"""Path normalisation: the resource the gateway authorises is the resource a decoding backend
serves. Every spelling of a path in the table below goes through the gateway to nginx, which
decodes and normalises paths as most backends do, and reports the path it served ($uri) and the
path it was sent ($request_uri). A spelling is either refused (400), or routed by its normal form:
then a secured resource asks for credentials, and what nginx serves is what was routed."""

import json
import urllib.parse

import pytest

import rawhttp
from harness import api
from security_support import ISSUER, KeySet

# nginx answers every path with the path it served ($uri) and the target it received.
DECODING_LOCATION = """
        location / {
            default_type text/plain;
            return 200 "$uri\\n$request_uri\\n";
        }
"""


@pytest.fixture
def decoding_backend(nginx_factory):
    return nginx_factory(DECODING_LOCATION, name="decoding").url


LISTENERS = {
    "http": None,  # the defaults: merge slashes, refuse %2F/%5C and ';'
    "decode": {"escaped_slashes": "decode"},
    "keep": {"escaped_slashes": "keep", "semicolons": "keep", "merge_slashes": False},
}


@pytest.fixture
def gateway(gateway_factory, decoding_backend, tmp_path):
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps(KeySet().jwks()))
    users = api(name="Users", version="1.0.0", context="/app", endpoints=[decoding_backend],
                security={"schemes": ["oauth2"]},
                resources=[{"method": "GET", "path": "/users/{id}", "auth": "none"},
                           {"method": "GET", "path": "/users/admin"},
                           {"method": "GET", "path": "/pub/*", "auth": "none"},
                           {"method": "GET", "path": "/admin/*"}])
    public = api(name="Open", version="1.0.0", context="/open",
                 endpoints=[decoding_backend + "/public"])
    listeners = []
    for name, paths in LISTENERS.items():
        listener = {"name": name, "address": "127.0.0.1:0"}
        if paths:
            listener["paths"] = paths
        listeners.append(listener)
    return gateway_factory([users, public], listeners=listeners,
                           key_managers=[{"name": "idp", "issuer": ISSUER,
                                          "jwks_file": str(jwks)}])


def get(gateway, target, listener="http"):
    """One raw GET: the target goes on the wire exactly as written (no client normalises it)."""
    with rawhttp.connect(gateway.listener_port(listener)) as conn:
        conn.send(b"GET " + target.encode() + b" HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n")
        return conn.read_response()


def served(response):
    """What nginx served ($uri, decoded and normalised by nginx) and was sent ($request_uri)."""
    uri, request_uri = response.body.decode().splitlines()
    return uri, request_uri


# target: (status on the default listener, path nginx serves when 200)
DEFAULT_LISTENER = {
    # encodings of a secured literal reach the secured resource
    "/app/1.0.0/users/%61dmin": (401, None),
    "/app/1.0.0/users/%61%64%6D%69%6E": (401, None),
    "/app/1.0.0/users/adm%69n/": (401, None),
    "/%61pp/1.0.0/users/admin": (401, None),
    "/app/%31.0.0/users/admin": (401, None),
    # a double encoding is the single encoding it spells, for the gateway as for nginx
    "/app/1.0.0/users/%2561dmin": (200, "/users/%61dmin"),
    "/app/1.0.0/users/%252561dmin": (200, "/users/%2561dmin"),
    # dot-segments, plain, encoded, mixed case, resolved before routing
    "/app/1.0.0/pub/../admin/secret": (401, None),
    "/app/1.0.0/pub/%2e%2e/admin/secret": (401, None),
    "/app/1.0.0/pub/%2E%2e/admin/secret": (401, None),
    "/app/1.0.0/pub/.%2E/admin/secret": (401, None),
    "/app/1.0.0/pub/./../admin/secret": (401, None),
    "/app/1.0.0/pub/x/../../users/admin": (401, None),
    "/app/1.0.0/pub//..//admin/secret": (401, None),
    "/app/1.0.0/pub/%2e%2e/%2e%2e/%2e%2e/app/1.0.0/admin/x": (401, None),
    "/app/1.0.0/pub/./item": (200, "/pub/item"),
    "/app/1.0.0//pub///item": (200, "/pub/item"),
    # escaped slashes and backslashes: refused by default
    "/app/1.0.0/pub/..%2fitems": (400, None),
    "/app/1.0.0/pub/..%2Fadmin%2Fsecret": (400, None),
    "/app/1.0.0/pub/%2e%2e%2fadmin%2fsecret": (400, None),
    "/app/1.0.0/pub/%5c..%5cadmin": (400, None),
    "/app/1.0.0/pub/x%5C..%5C..%5Cadmin": (400, None),
    "/open/1.0.0/..%2fsecret": (400, None),
    # path parameters, as Tomcat and Spring strip them: refused by default
    "/app/1.0.0/users/admin;x": (400, None),
    "/app/1.0.0/users/admin;jsessionid=1": (400, None),
    "/app/1.0.0/pub/..;/admin/secret": (400, None),
    "/app/1.0.0/pub/.;/admin/secret": (400, None),
    # a trailing dot, which Windows servers drop
    "/app/1.0.0/users/admin.": (400, None),
    "/app/1.0.0/users/admin%2e": (400, None),
    "/app/1.0.0/users/admin%2E": (400, None),
    # an encoded NUL
    "/app/1.0.0/users/admin%00": (400, None),
    # case: paths are case-sensitive, as for nginx
    "/app/1.0.0/users/ADMIN": (200, "/users/ADMIN"),
    "/app/1.0.0/PUB/x": (401, None),  # under the secured API, its security answers first
    # an open API's base path cannot be left
    "/open/1.0.0/%2e%2e/secret": (404, None),
    "/open/1.0.0/a/../../../secret": (404, None),
    "/open/1.0.0/a/%2e%2e/b": (200, "/public/b"),
    "/open/1.0.0/%7Euser": (200, "/public/~user"),
}


@pytest.mark.parametrize("target", sorted(DEFAULT_LISTENER))
def test_each_spelling_is_refused_or_routed_by_its_normal_form(gateway, target):
    status, expected_uri = DEFAULT_LISTENER[target]
    response = get(gateway, target)
    assert response.status == status, response
    if status == 400:
        assert response.json()["code"] == 400
        assert "request path" in response.json()["description"]
    if status == 200:
        uri, request_uri = served(response)
        assert uri == expected_uri
        # Forwarded in its normal form: nginx had nothing left to resolve but one decoding.
        assert urllib.parse.unquote(request_uri) == uri


def test_no_spelling_reaches_a_secured_path_without_credentials(gateway):
    for target in DEFAULT_LISTENER:
        response = get(gateway, target)
        if response.status != 200:
            continue
        uri, _ = served(response)  # nginx decoded it once, as it serves it
        assert uri.rstrip("/") != "/users/admin" and not uri.startswith("/admin"), (target, uri)
        if target.startswith("/open/"):
            assert uri.startswith("/public/"), (target, uri)


DECODE_LISTENER = {
    "/app/1.0.0/pub/..%2fitems": (401, None),  # /app/1.0.0/items: no resource, secured API
    "/app/1.0.0/pub/%2e%2e%2fadmin%2fsecret": (401, None),
    "/app/1.0.0/pub/x%5C..%5C..%5Cusers%5Cadmin": (401, None),
    "/app/1.0.0/pub/a%2fb": (200, "/pub/a/b"),
    "/open/1.0.0/..%2fsecret": (404, None),
}


@pytest.mark.parametrize("target", sorted(DECODE_LISTENER))
def test_decoded_escaped_slashes_are_separators_before_routing(gateway, target):
    status, expected_uri = DECODE_LISTENER[target]
    response = get(gateway, target, listener="decode")
    assert response.status == status, response
    if status == 200:
        uri, request_uri = served(response)
        assert uri == expected_uri
        assert request_uri == expected_uri


def test_kept_escaped_slashes_and_parameters_are_forwarded_as_routed(gateway):
    # `keep` is for backends that take %2F as data: the segment is forwarded as it was routed.
    response = get(gateway, "/app/1.0.0/users/a%2fb", listener="keep")
    assert response.status == 200, response
    assert served(response)[1] == "/users/a%2Fb"
    response = get(gateway, "/app/1.0.0/users/x;v=1", listener="keep")
    assert response.status == 200, response
    assert served(response)[1] == "/users/x;v=1"
    # Slashes are not merged on this listener: "//" keeps an empty segment.
    response = get(gateway, "/app/1.0.0/pub//item", listener="keep")
    assert response.status == 200, response
    assert served(response)[1] == "/pub//item"
    # A dot-segment hidden behind parameters is refused even here.
    assert get(gateway, "/app/1.0.0/pub/..;/admin/x", listener="keep").status == 400


def test_access_log_shows_the_normal_form(gateway):
    get(gateway, "/app/1.0.0/pub/%2e/%69tem")
    logged = gateway.wait_for_access_log(lambda e: e.get("path") == "/app/1.0.0/pub/item")
    assert logged, gateway.access_log()
