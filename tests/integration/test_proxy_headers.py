"""Headers the gateway edits as a proxy: hop-by-hop removal both ways, X-Forwarded-For/-Proto/-Host,
X-Request-ID kept or generated."""

import re
import uuid

import requests

import rawhttp

HOP_BY_HOP = ["Keep-Alive", "Proxy-Connection", "Upgrade", "X-Named"]


def echo(gateway, headers, path="/echo/1.0.0/h"):
    with rawhttp.connect(gateway.port) as conn:
        conn.request("GET", path, headers)
        response = conn.read_response()
    assert response.status == 200, response
    return response


def test_hop_by_hop_request_headers_are_removed(gateway):
    response = echo(gateway, [
        ("Connection", "keep-alive, X-Named"),
        ("X-Named", "listed in Connection"),
        ("Keep-Alive", "timeout=5"),
        ("Proxy-Connection", "keep-alive"),
        ("TE", "gzip"),
        ("Upgrade", "websocket"),
        ("X-End-To-End", "kept"),
    ])
    seen = response.json()["headers"]
    for name in HOP_BY_HOP:
        assert name.lower() not in seen, name
    assert seen.get("te") in (None, "trailers")  # the gateway may ask for trailers itself
    # The gateway's own connection to the backend may say keep-alive, but none of the client's
    # Connection options may leak through.
    assert "x-named" not in seen.get("connection", "").lower()
    assert seen["x-end-to-end"] == "kept"


def test_every_field_named_by_several_connection_headers_is_removed(gateway):
    named = ["X-Opt-%d" % i for i in range(7)]
    response = echo(gateway, [
        ("Connection", "keep-alive, %s,%s" % (named[0], named[1])),
        ("Connection", " %s , %s,%s, x-opt-5, X-OPT-6" % (named[2], named[3], named[4])),
        ("X-Unnamed", "kept"),
    ] + [(name, "dropped") for name in named])
    seen = response.json()["headers"]
    for name in named:
        assert name.lower() not in seen, name
    assert seen["x-unnamed"] == "kept"


def test_hop_by_hop_response_headers_are_removed(gateway):
    query = "Connection=X-Backend-Private&X-Backend-Private=1&Keep-Alive=timeout%3D1" \
            "&Proxy-Connection=close&X-Visible=yes"
    with rawhttp.connect(gateway.port) as conn:
        conn.request("GET", "/test/1.0.0/response-headers?" + query)
        response = conn.read_response()
        assert response.status == 200
        names = {n.lower() for n, _ in response.headers}
        assert "x-backend-private" not in names
        assert "keep-alive" not in names
        assert "proxy-connection" not in names
        assert response.header("X-Visible") == "yes"
        # The backend's Connection header must not make the gateway close the client connection.
        assert "close" not in response.header("Connection", "").lower()
        conn.request("GET", "/echo/1.0.0/still-open")
        assert conn.read_response().status == 200


def test_x_forwarded_headers_are_added(gateway):
    seen = echo(gateway, [], path="/echo/1.0.0/xf").json()["headers"]
    assert seen["x-forwarded-for"] == "127.0.0.1"
    assert seen["x-forwarded-proto"] == "http"
    assert seen["x-forwarded-host"] == "127.0.0.1"  # rawhttp sends Host: 127.0.0.1


def test_x_forwarded_host_is_the_client_host_header(gateway):
    with rawhttp.connect(gateway.port) as conn:
        conn.request("GET", "/echo/1.0.0/xf", host="api.example.com:8280")
        seen = conn.read_response().json()["headers"]
    assert seen["x-forwarded-host"] == "api.example.com:8280"


def test_x_forwarded_for_is_appended_to(gateway):
    seen = echo(gateway, [("X-Forwarded-For", "203.0.113.7")]).json()["headers"]
    assert seen["x-forwarded-for"] == "203.0.113.7, 127.0.0.1"


def test_request_id_is_kept(gateway):
    response = echo(gateway, [("X-Request-ID", "caller-chosen-42")])
    assert response.json()["headers"]["x-request-id"] == "caller-chosen-42"


def test_request_id_is_a_generated_unique_uuid4(gateway):
    ids = set()
    for _ in range(20):
        seen = requests.get(gateway.url("/echo/1.0.0/id"), timeout=10).json()["headers"]
        request_id = seen["x-request-id"]
        assert uuid.UUID(request_id).version == 4, request_id
        assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
                            request_id), request_id
        ids.add(request_id)
    assert len(ids) == 20


def test_backend_host_header_is_the_endpoint(gateway, backend):
    seen = echo(gateway, [], path="/echo/1.0.0/host").json()["headers"]
    assert seen["host"] == "127.0.0.1:%d" % backend.port


def test_end_to_end_headers_pass_unchanged(gateway):
    response = echo(gateway, [("Authorization", "Bearer abc"), ("Accept", "application/json"),
                              ("X-Dup", "1"), ("X-Dup", "2"), ("Cookie", "a=b")])
    seen = response.json()
    assert seen["headers"]["authorization"] == "Bearer abc"
    assert seen["headers"]["cookie"] == "a=b"
    assert [v for n, v in seen["raw_headers"] if n.lower() == "x-dup"] == ["1", "2"]
